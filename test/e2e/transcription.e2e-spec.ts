import { execFile, execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { INestApplication } from '@nestjs/common';
import { Queue } from 'bullmq';
import { QueueName, stageJobId } from '#libs/queue';
import {
  type CallView,
  REDIS_URL,
  type TestEnvironment,
  createTestEnvironment,
  REPO_ROOT,
  loadSample,
  startApi,
  uploadCall,
  uploadForm,
  waitForCall,
  authFetch,
} from '../support/earshot-harness.js';
import { type FakeOpenAi, type RecordedRequest, startFakeOpenAi } from '../support/fake-openai-server.js';

const API_KEY = 'test';
const dir = mkdtempSync(join(tmpdir(), 'tx-e2e-'));

/** Short 8 kHz mu-law audio made with ffmpeg; `freq` makes each recording's bytes unique (uploads are deduplicated). */
function tone(name: string, freq: number, stereo: boolean): Buffer {
  const on = (ranges: Array<[number, number]>): string =>
    `(${ranges.map(([a, b]) => `between(t,${a},${b})`).join('+')})*0.5*sin(2*PI*${freq}*t)`;
  // Stereo: agent (left) speaks 1–3 s and 7–9 s, customer (right) 4–6 s. Mono: one stretch, 1–3 s.
  const expr = stereo ? `${on([[1, 3], [7, 9]])}|${on([[4, 6]])}` : on([[1, 3]]);
  const path = join(dir, `${name}.wav`);
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `aevalsrc='${expr}':s=8000:d=${stereo ? 10 : 5}`, '-c:a', 'pcm_mulaw', path]);
  return readFileSync(path);
}

/** A WAV whose format chunk is garbage (sample rate -1): it passes format sniffing at the API and cannot be decoded. */
function corruptWav(): Buffer {
  const u32 = (n: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    return b;
  };
  return Buffer.concat([Buffer.from('RIFF'), u32(2048), Buffer.from('WAVEfmt '), u32(16), Buffer.alloc(16, 0xff), Buffer.from('data'), u32(1024), Buffer.alloc(1024, 0x7f)]);
}

describe('transcription end to end (openai provider against a fake OpenAI-compatible server)', () => {
  let fake: FakeOpenAi;
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;
  let metadata: Record<string, unknown>;
  const transcriptionRequests = (): RecordedRequest[] => fake.requests.filter((r) => r.path === '/v1/audio/transcriptions');

  async function upload(audio: Buffer, channelLayout: 'mono' | 'stereo', externalId: string): Promise<string> {
    const response = await uploadCall(baseUrl, uploadForm({ audio, metadata: { ...metadata, channelLayout, externalId } }));
    expect(response.status).toBe(201);
    return response.body.id as string;
  }

  async function transcribeJobAttempts(callId: string): Promise<number | undefined> {
    const queue = new Queue(QueueName.Transcribe, { connection: { url: REDIS_URL }, prefix: environment.queuePrefix });
    try {
      return (await queue.getJob(stageJobId(callId, 'transcribe')))?.attemptsMade;
    } finally {
      await queue.close();
    }
  }

  async function putTranscript(callId: string, body: string | FormData, headers: Record<string, string> = {}) {
    const response = await authFetch(`${baseUrl}/v1/calls/${callId}/transcript`, { method: 'PUT', body, headers });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  function transcriptFile(content: string, filename: string, type: string, speakerMap?: string): FormData {
    const form = new FormData();
    form.set('transcript', new Blob([content], { type }), filename);
    if (speakerMap !== undefined) form.set('speakerMap', speakerMap);
    return form;
  }

  beforeAll(async () => {
    fake = await startFakeOpenAi({ apiKey: API_KEY });
    environment = await createTestEnvironment({ TRANSCRIPTION_PROVIDER: 'openai', OPENAI_BASE_URL: fake.baseURL, OPENAI_API_KEY: API_KEY });
    ({ app, baseUrl } = await startApi(environment.env));
    const sample = await loadSample('en-guaranteed-returns');
    metadata = { ...sample.metadata, language: 'en' };
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await environment?.dispose();
    await fake?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    fake.requests.length = 0;
  });

  describe('transcribe stage', () => {
    let stereoCallId: string;

    it('a stereo upload without a sidecar gets one request per channel, merged with exact agent/customer roles', async () => {
      stereoCallId = await upload(tone('stereo', 440, true), 'stereo', 'tx-stereo');
      const call = await waitForCall(baseUrl, stereoCallId);
      expect(call.status).toBe('completed');
      const transcript = call.transcript as unknown as {
        rolesSource: string;
        segments: { speaker: string; start: number; end: number }[];
        usage: { requests: number };
      };
      expect(transcript).toMatchObject({ provider: 'openai', model: 'whisper-1', rolesSource: 'channel', rolesConfidence: 1, language: 'en' });
      expect(transcript.segments.map((s) => s.speaker)).toEqual(['agent', 'customer', 'agent']);
      expect(transcript.segments.map((s) => [Math.round(s.start), Math.round(s.end)])).toEqual([[1, 3], [4, 6], [7, 9]]);
      expect(transcript.usage.requests).toBe(2);
      const requests = transcriptionRequests();
      expect(requests.map((r) => r.status)).toEqual([200, 200]);
      for (const r of requests) expect(r.fields).toMatchObject({ model: 'whisper-1', response_format: 'verbose_json', language: 'en' });
    }, 60_000);

    it("uses the campaign's transcription model instead of the deployment's", async () => {
      const campaign = await authFetch(`${baseUrl}/v1/campaigns/diarized-desk`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ transcriptionModel: 'gpt-4o-transcribe-diarize' }),
      });
      expect(campaign.status).toBe(201);
      const response = await uploadCall(
        baseUrl,
        uploadForm({ audio: tone('campaign-model', 587, false), metadata: { ...metadata, channelLayout: 'mono', externalId: 'tx-campaign-model', campaignExternalId: 'diarized-desk' } }),
      );
      const call = await waitForCall(baseUrl, response.body.id as string);
      expect(call.status).toBe('completed');
      expect((call.transcript as unknown as { model: string }).model).toBe('gpt-4o-transcribe-diarize');
      const requests = transcriptionRequests();
      expect(requests.length).toBeGreaterThan(0);
      for (const r of requests) expect(r.fields).toMatchObject({ model: 'gpt-4o-transcribe-diarize', response_format: 'diarized_json' });
    }, 60_000);

    it('a 429 with Retry-After is waited out and retried, then the call completes', async () => {
      fake.script({ status: 429, headers: { 'retry-after': '1' }, body: { error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' } } });
      const id = await upload(tone('rate-limited', 523, false), 'mono', 'tx-429');
      const call = await waitForCall(baseUrl, id);
      expect(call.status).toBe('completed');
      expect(call.transcript?.rolesSource).toBe('none');
      expect(call.transcript?.segments.map((s) => s.speaker)).toEqual(['unknown']);
      const requests = transcriptionRequests();
      expect(requests.map((r) => r.status)).toEqual([429, 200]);
      // Retry-After is a floor, whatever the backoff would have been.
      expect(requests[1].receivedAt - requests[0].receivedAt).toBeGreaterThanOrEqual(950);
    }, 60_000);

    it.each([
      ['401 bad key', 401, 'Incorrect API key provided: sk-****. You can find your API key at https://platform.openai.com/account/api-keys.'],
      ['400 unsupported file', 400, "Invalid file format. Supported formats: ['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm']"],
    ])('a permanent %s fails the call once with the provider message', async (name, status, message) => {
      fake.script({ status, body: { error: { message, type: 'invalid_request_error', param: null, code: null } } });
      const id = await upload(tone(`permanent-${status}`, 600 + status, false), 'mono', `tx-${name}`);
      const call = await waitForCall(baseUrl, id);
      expect(call.status).toBe('failed');
      expect(call.failure?.stage).toBe('transcribe');
      expect(call.failure?.reason).toContain(`(${status}): ${message}`);
      expect(transcriptionRequests().map((r) => r.status)).toEqual([status]);
      expect(await transcribeJobAttempts(id)).toBe(1);
    }, 60_000);

    it('a corrupt recording fails its call with a readable reason, sends nothing and is not retried', async () => {
      const id = await upload(corruptWav(), 'mono', 'tx-corrupt');
      const call = await waitForCall(baseUrl, id);
      expect(call.status).toBe('failed');
      expect(call.failure?.stage).toBe('transcribe');
      expect(call.failure?.reason).toMatch(/^cannot decode WAV audio: \S/);
      expect(call.failure?.reason).not.toMatch(/0x[0-9a-f]{6,}/);
      expect(transcriptionRequests()).toHaveLength(0);
      expect(await transcribeJobAttempts(id)).toBe(1);
    }, 60_000);

    it('the import CLI uploads a manifest folder through the API and resumes where it stopped', async () => {
      const folder = join(dir, 'import');
      mkdirSync(folder);
      writeFileSync(join(folder, 'one.wav'), tone('cli-one', 901, false));
      writeFileSync(join(folder, 'two.wav'), tone('cli-two', 907, false));
      writeFileSync(join(folder, 'two.vtt'), 'WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Agent>您好，这里是安心证券。\n');
      writeFileSync(
        join(folder, 'calls.csv'),
        [
          'file,transcript,externalId,agentExternalId,customerPhone,direction,startedAt,channelLayout,language',
          'one.wav,,cli-1,agent-cli,+14155550177,outbound,2026-11-20T10:15:00-08:00,mono,en',
          'two.wav,two.vtt,cli-2,agent-cli,+8613800138000,inbound,2026-11-20T10:15:00+08:00,mono,zh',
        ].join('\n'),
      );
      // the dialer's way in: an integration API key, handed to the CLI in EARSHOT_API_TOKEN
      const created = await authFetch(`${baseUrl}/v1/api-keys`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'cli-import', role: 'integration' }) });
      expect(created.status).toBe(201);
      const { key } = (await created.json()) as { key: string };
      const cli = (): Promise<{ stdout: string }> =>
        promisify(execFile)('node', [join(REPO_ROOT, 'dist/scripts/earshot-cli.js'), 'import', folder, '--manifest', 'calls.csv', '--api', baseUrl], {
          env: { ...process.env, EARSHOT_API_TOKEN: key },
        });
      expect((await cli()).stdout).toMatch(/imported 2 new, 0 already there, 0 skipped \(done before\), 0 failed of 2/);
      expect((await cli()).stdout).toMatch(/imported 0 new, 0 already there, 2 skipped \(done before\), 0 failed of 2/);
      const list = (await (await authFetch(`${baseUrl}/v1/calls?agent=agent-cli&limit=10`)).json()) as { items: { id: string; externalId: string }[] };
      expect(list.items.map((c) => c.externalId).sort()).toEqual(['cli-1', 'cli-2']);
      const two = await waitForCall(baseUrl, list.items.find((c) => c.externalId === 'cli-2')?.id ?? '');
      expect(two.transcript?.segments.map((seg) => [seg.speaker, seg.text])).toEqual([['agent', '您好，这里是安心证券。']]);
      // Only the row without a sidecar went to the provider.
      await waitForCall(baseUrl, list.items.find((c) => c.externalId === 'cli-1')?.id ?? '');
      expect(transcriptionRequests()).toHaveLength(1);
    }, 60_000);

    describe('PUT /v1/calls/:id/transcript', () => {
      it('replaces a completed call\'s transcript with Earshot JSON and re-runs its pipeline without the provider', async () => {
        const earshot = {
          format: 'earshot.transcript.v1',
          language: 'zh',
          segments: [
            { speaker: 'agent', start: 1, end: 3, text: '您好，这里是安心证券。' },
            { speaker: 'customer', start: 4, end: 6, text: '你好，什么事？' },
            { speaker: 'agent', start: 7, end: 9, text: '这款产品保本保收益。' },
          ],
        };
        const put = await putTranscript(stereoCallId, JSON.stringify(earshot), { 'content-type': 'application/json' });
        expect(put.status).toBe(202);
        expect(put.body).toMatchObject({ callId: stereoCallId, status: 'queued', transcript: { rolesSource: 'sidecar', segments: 3, language: 'zh' } });
        const call = await waitForCall(baseUrl, stereoCallId);
        expect(call.status).toBe('completed');
        expect(call.transcript?.rolesSource).toBe('sidecar');
        expect(call.transcript?.segments).toEqual(earshot.segments.map((s) => expect.objectContaining({ speaker: s.speaker, text: s.text })));
        expect(transcriptionRequests()).toHaveLength(0);
      }, 60_000);

      it('recovers a call that failed in transcribe from a WebVTT body with speaker tags', async () => {
        fake.script({ status: 401, body: { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } } });
        const id = await upload(tone('vtt', 733, false), 'mono', 'tx-vtt');
        expect((await waitForCall(baseUrl, id)).status).toBe('failed');
        const vtt = 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Agent>Thank you for calling Acme.\n\n00:00:02.500 --> 00:00:03.000\n<v Customer>Hi there.\n';
        const put = await putTranscript(id, vtt, { 'content-type': 'text/vtt' });
        expect(put.status).toBe(202);
        const call = await waitForCall(baseUrl, id);
        expect(call.status).toBe('completed');
        expect(call.failure).toBeNull();
        expect(call.transcript?.segments.map((s) => [s.speaker, s.text])).toEqual([
          ['agent', 'Thank you for calling Acme.'],
          ['customer', 'Hi there.'],
        ]);
      }, 60_000);

      it('takes AWS Transcribe JSON as a multipart file, mapping speaker labels through speakerMap', async () => {
        const id = await upload(tone('aws', 811, false), 'mono', 'tx-aws');
        expect((await waitForCall(baseUrl, id)).status).toBe('completed');
        const aws = {
          jobName: 'call-1',
          results: {
            transcripts: [{ transcript: 'Hello there. Hi.' }],
            speaker_labels: { speakers: 2, segments: [] },
            items: [
              { type: 'pronunciation', start_time: '1.0', end_time: '1.4', speaker_label: 'spk_0', alternatives: [{ confidence: '0.99', content: 'Hello' }] },
              { type: 'pronunciation', start_time: '1.4', end_time: '1.9', speaker_label: 'spk_0', alternatives: [{ confidence: '0.98', content: 'there' }] },
              { type: 'punctuation', speaker_label: 'spk_0', alternatives: [{ confidence: '0.0', content: '.' }] },
              { type: 'pronunciation', start_time: '2.5', end_time: '2.8', speaker_label: 'spk_1', alternatives: [{ confidence: '0.97', content: 'Hi' }] },
            ],
          },
          status: 'COMPLETED',
        };
        const put = await putTranscript(id, transcriptFile(JSON.stringify(aws), 'call-1.json', 'application/json', '{"spk_0":"agent","spk_1":"customer"}'));
        expect(put.status).toBe(202);
        const call = await waitForCall(baseUrl, id);
        expect(call.status).toBe('completed');
        expect(call.transcript?.rolesSource).toBe('sidecar');
        expect(call.transcript?.segments.map((s) => s.speaker)).toEqual(['agent', 'customer']);
        expect(call.transcript?.segments[0].text).toMatch(/^Hello there/);
      }, 60_000);

      it.each([
        ['an Earshot segment ending before it starts', JSON.stringify({ segments: [{ speaker: 'agent', start: 3, end: 1, text: 'hi' }] }), 'application/json', /transcript: .*segments\[0\]/],
        ['an unknown speaker role', JSON.stringify({ segments: [{ speaker: 'bot', start: 0, end: 1, text: 'hi' }] }), 'application/json', /transcript: .*speaker/],
        ['text in no known format', 'just some words', 'text/plain', /transcript: unrecognised transcript format/],
      ])('answers 422 naming the problem for %s, leaving the call alone', async (_name, content, type, message) => {
        const before = (await (await authFetch(`${baseUrl}/v1/calls/${stereoCallId}`)).json()) as CallView;
        const put = await putTranscript(stereoCallId, content, { 'content-type': type });
        expect(put.status).toBe(422);
        expect(JSON.stringify(put.body.message)).toMatch(message);
        const after = (await (await authFetch(`${baseUrl}/v1/calls/${stereoCallId}`)).json()) as CallView;
        expect(after.status).toBe(before.status);
        expect(after.transcript).toEqual(before.transcript);
      });

      it('answers 404 for an unknown call, 400 for a bad id, a missing transcript or a bad speakerMap', async () => {
        const vtt = 'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Agent>Hello.\n';
        const unknown = await putTranscript(randomUUID(), vtt, { 'content-type': 'text/vtt' });
        expect(unknown.status).toBe(404);
        expect(JSON.stringify(unknown.body.message)).toMatch(/call .* does not exist/);
        expect((await putTranscript('not-a-uuid', vtt, { 'content-type': 'text/vtt' })).status).toBe(400);
        const empty = await putTranscript(stereoCallId, '', { 'content-type': 'text/vtt' });
        expect(empty.status).toBe(400);
        expect(JSON.stringify(empty.body.message)).toMatch(/transcript: a transcript is required/);
        const badMap = await putTranscript(stereoCallId, transcriptFile(vtt, 't.vtt', 'text/vtt', '{"Alice":"boss"}'));
        expect(badMap.status).toBe(400);
        expect(JSON.stringify(badMap.body.message)).toMatch(/speakerMap\.Alice: must be agent, customer or unknown/);
      });
    });
  });
});
