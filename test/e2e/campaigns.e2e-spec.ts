import type { INestApplication } from '@nestjs/common';
import { type TestEnvironment, createTestEnvironment, loadSample, startApi, uploadCall, uploadForm, waitForCall, authFetch } from '../support/earshot-harness.js';

async function put(baseUrl: string, path: string, body: unknown) {
  const response = await authFetch(`${baseUrl}${path}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('campaign settings', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    ({ app, baseUrl } = await startApi(environment.env));
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await environment?.dispose();
  });

  it('creates a campaign with defaults for what is not given, then changes one setting', async () => {
    const created = await put(baseUrl, '/v1/campaigns/retention-q1', { name: 'Retention Q1', vadDetector: 'silero' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ externalId: 'retention-q1', name: 'Retention Q1', vadDetector: 'silero', agentChannel: 'left', talkRatioAgentTarget: 0.3, rulePolicies: [] });
    const changed = await put(baseUrl, '/v1/campaigns/retention-q1', { agentChannel: 'right' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ name: 'Retention Q1', vadDetector: 'silero', agentChannel: 'right' });
    const fetched = (await (await authFetch(`${baseUrl}/v1/campaigns/${created.body.id as string}`)).json()) as Record<string, unknown>;
    expect(fetched).toMatchObject({ externalId: 'retention-q1', agentChannel: 'right' });
  });

  it.each([
    [{ talkRatioAgentTarget: 30 }, /body\.talkRatioAgentTarget/],
    [{ vadDetector: 'webrtc' }, /body\.vadDetector: must be energy or silero/],
    [{ colour: 'blue' }, /body\.colour/],
    [{ redactionOff: ['passport'] }, /body\.redactionOff: must list kinds among card/],
    [{ redactionOn: 'phone' }, /body\.redactionOn/],
    [{ rulePolicies: ['complaints_count'] }, /body\.rulePolicies/],
  ])('answers 400 naming the field for %j', async (body, message) => {
    const response = await put(baseUrl, '/v1/campaigns/retention-q1', body);
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.message)).toMatch(message);
  });

  it('keeps redaction switches: kinds added to and exempted from the deployment', async () => {
    const saved = await put(baseUrl, '/v1/campaigns/retention-q1', { redactionOn: ['phone'], redactionOff: ['name', 'address'] });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ redactionOn: ['phone'], redactionOff: ['name', 'address'] });
  });

  it('answers 404 for an unknown campaign', async () => {
    expect((await authFetch(`${baseUrl}/v1/campaigns/nope`)).status).toBe(404);
  });

  it('counts a complaint about repeated calls as a stop request only in a campaign with complaint_as_opt_out', async () => {
    const sample = await loadSample('en-compliant');
    const transcript = JSON.parse(sample.transcript.toString('utf8')) as { segments: { speaker: string; text: string }[] };
    const customer = transcript.segments.findIndex((seg) => seg.speaker === 'customer');
    transcript.segments[customer] = { ...(transcript.segments[customer] as { speaker: string; text: string }), text: 'Why do you keep calling me?' };
    const on = await put(baseUrl, '/v1/campaigns/complaints-count', { rulePolicies: ['complaint_as_opt_out'] });
    expect(on.body).toMatchObject({ rulePolicies: ['complaint_as_opt_out'] });
    const families = async (campaign: string, pad: number, phone: string) => {
      const upload = await uploadCall(
        baseUrl,
        uploadForm({
          audio: Buffer.concat([sample.audio, Buffer.alloc(pad)]),
          metadata: { ...sample.metadata, externalId: `${campaign}-1`, campaignExternalId: campaign, customerPhone: phone },
          transcript: Buffer.from(JSON.stringify(transcript)),
        }),
      );
      const call = await waitForCall(baseUrl, upload.body.id as string);
      return call.findings.filter((f) => f.ruleId.includes('opt_out')).map((f) => f.ruleId);
    };
    expect(await families('complaints-count', 4, '+14155550177')).toEqual(['en.opt_out.repeated-call-complaint']);
    expect(await families('complaints-default', 6, '+14155550178')).toEqual([]);
  }, 90_000);

  it("uses the campaign's agent channel: with the agent on the right, the roles of a stereo call's audio swap", async () => {
    const sample = await loadSample('en-compliant');
    const left = await uploadCall(baseUrl, uploadForm({ audio: sample.audio, metadata: sample.metadata, transcript: sample.transcript }));
    const asLeft = await waitForCall(baseUrl, left.body.id as string);
    await put(baseUrl, '/v1/campaigns/swapped', { agentChannel: 'right' });
    // the transcript's roles follow the campaign's channels: the left speaker is now the customer
    const parsed = JSON.parse(sample.transcript.toString('utf8')) as { segments: { speaker: string }[] };
    const swappedTranscript = Buffer.from(
      JSON.stringify({ ...parsed, segments: parsed.segments.map((seg) => ({ ...seg, speaker: seg.speaker === 'agent' ? 'customer' : 'agent' })) }),
    );
    const upload = async (pad: number, externalId: string, transcript: Buffer) => {
      const audio = Buffer.concat([sample.audio, Buffer.alloc(pad)]);
      const response = await uploadCall(baseUrl, uploadForm({ audio, metadata: { ...sample.metadata, externalId, campaignExternalId: 'swapped' }, transcript }));
      return waitForCall(baseUrl, response.body.id as string);
    };
    const asRight = await upload(2, 'swapped-1', swappedTranscript);
    const shares = (call: typeof asLeft) => call.metrics as { agentTalkShare: number; customerTalkShare: number };
    expect(shares(asLeft).agentTalkShare).toBeGreaterThan(shares(asLeft).customerTalkShare);
    expect(shares(asRight).agentTalkShare).toBeCloseTo(shares(asLeft).customerTalkShare, 1);
    expect(shares(asRight).customerTalkShare).toBeCloseTo(shares(asLeft).agentTalkShare, 1);
    expect(asRight.metrics).not.toHaveProperty('metricsWarnings');
    // a transcript whose roles contradict the channels: the metrics say so instead of scoring swapped talk time
    const contradicted = await upload(8, 'swapped-2', sample.transcript);
    expect((contradicted.metrics?.metricsWarnings as { speaker: string }[]).map((w) => w.speaker)).toEqual(['agent', 'customer']);
    expect(contradicted.metrics).toMatchObject({ agentTalkShare: null, talkRatioWithinTarget: null });
  }, 90_000);
});
