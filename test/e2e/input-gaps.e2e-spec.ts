import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import { AlertRepository, CallRepository, CallResultsRepository, type NewCall, OptOutRepository, RollupRepository, RulePackRepository } from '#libs/db';
import type { FindingDraft } from '#libs/domain';
import { emptyCounters } from '#libs/evaluation-model';
import {
  REPO_ROOT,
  type TestEnvironment,
  authFetch,
  createTestEnvironment,
  loadSample,
  startApi,
  uploadCall,
  uploadForm,
  waitForCall,
} from '../support/earshot-harness.js';
import { type FakeOpenAi, startFakeOpenAi } from '../support/fake-openai-server.js';

const API_KEY = 'test';
const dir = mkdtempSync(join(tmpdir(), 'input-gaps-e2e-'));

/** The sample call downmixed to one channel; `volume` makes each file's bytes unique (uploads are deduplicated). */
function monoOfSample(volume: string): Buffer {
  const path = join(dir, `mono-${volume}.wav`);
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-i', join(REPO_ROOT, 'samples/audio/en-guaranteed-returns.wav'), '-ac', '1', '-af', `volume=${volume}`, path]);
  return readFileSync(path);
}

type Detailed = { status: string; audio: { bytes: number; channels: number | null }; audioWarnings: { code: string; message: string }[]; transcript: unknown };

/** A call as the repository creates it, its recording named by `key` (each key its own audio). */
function newCall(key: string, fields: Pick<NewCall, 'agentExternalId' | 'customerPhone' | 'startedAt'> & Partial<NewCall>): NewCall {
  return {
    direction: 'outbound',
    channelLayout: 'mono',
    audioKey: `recordings/${key}.wav`,
    audioSha256: createHash('sha256').update(key).digest('hex'),
    audioBytes: 1,
    audioContentType: 'audio/wav',
    ...fields,
  };
}

/** What a new user hit uploading real calls (issue 18): a mono file declared stereo; recordings over 2 GiB. */
describe('input gaps (real Postgres, Redis, s3rver; OpenAI faked)', () => {
  let fake: FakeOpenAi;
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    fake = await startFakeOpenAi({ apiKey: API_KEY });
    environment = await createTestEnvironment({ TRANSCRIPTION_PROVIDER: 'openai', OPENAI_BASE_URL: fake.baseURL, OPENAI_API_KEY: API_KEY });
    ({ app, baseUrl } = await startApi(environment.env));
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await environment?.dispose();
    await fake?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a mono file declared stereo is analysed as mono and flagged on the call, with or without a transcript', async () => {
    const sample = await loadSample('en-guaranteed-returns');
    fake.requests.length = 0;
    const transcribed = await uploadCall(baseUrl, uploadForm({ audio: monoOfSample('0.9'), metadata: { ...sample.metadata, externalId: 'mono-as-stereo-1', channelLayout: 'stereo' } }));
    expect(transcribed.status).toBe(201);
    const withSidecar = await uploadCall(
      baseUrl,
      uploadForm({ audio: monoOfSample('0.8'), metadata: { ...sample.metadata, externalId: 'mono-as-stereo-2', channelLayout: 'stereo' }, transcript: sample.transcript }),
    );
    expect(withSidecar.status).toBe(201);
    for (const id of [transcribed.body.id, withSidecar.body.id] as string[]) {
      const call = (await waitForCall(baseUrl, id, 60_000)) as unknown as Detailed;
      expect(call.status).toBe('completed');
      expect(call.transcript).not.toBeNull();
      expect(call.audio.channels).toBe(1);
      expect(call.audioWarnings).toEqual([{ code: 'declared_stereo_but_mono', message: expect.stringContaining('analysed as mono') }]);
    }
    // one request for the whole recording, not one per channel
    expect(fake.requests.filter((r) => r.path === '/v1/audio/transcriptions')).toHaveLength(1);

    // a real stereo file declared stereo has no warning
    const stereo = await uploadCall(baseUrl, uploadForm({ audio: sample.audio, metadata: sample.metadata, transcript: sample.transcript }));
    const stereoCall = (await waitForCall(baseUrl, stereo.body.id as string, 60_000)) as unknown as Detailed;
    expect(stereoCall.audio.channels).toBe(2);
    expect(stereoCall.audioWarnings).toEqual([]);
  }, 120_000);

  it('an upload waiting over 5 s on its agent row (another writer holds it) still succeeds', async () => {
    const sample = await loadSample('en-compliant');
    const metadata = { ...sample.metadata, agentExternalId: 'agent-locked', agentName: 'First Name', channelLayout: 'mono' };
    const first = await uploadCall(baseUrl, uploadForm({ audio: monoOfSample('0.7'), metadata: { ...metadata, externalId: 'locked-1' }, transcript: sample.transcript }));
    expect(first.status).toBe(201);
    const holder = new pg.Client({ connectionString: environment.databaseUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT id FROM "Agent" WHERE "externalId" = 'agent-locked' FOR UPDATE`);
      // the agent's new name makes the upload update the locked row
      const upload = uploadCall(baseUrl, uploadForm({ audio: monoOfSample('0.6'), metadata: { ...metadata, agentName: 'Renamed', externalId: 'locked-2' }, transcript: sample.transcript }));
      await sleep(6000);
      await holder.query('COMMIT');
      expect((await upload).status).toBe(201);
    } finally {
      await holder.end();
    }
  }, 60_000);

  it('stores and answers the size of a recording over 2 GiB exactly', async () => {
    const calls = app.get(CallRepository, { strict: false });
    const bytes = 3 * 1024 ** 3 + 17;
    const call = await calls.create({
      agentExternalId: 'agent-big',
      customerPhone: '+14155550123',
      direction: 'outbound',
      startedAt: new Date('2026-11-20T18:15:00Z'),
      channelLayout: 'mono',
      audioKey: 'recordings/big/one.wav',
      audioSha256: 'b'.repeat(64),
      audioBytes: bytes,
      audioContentType: 'audio/wav',
    });
    expect((await calls.findById(call.id))?.audioBytes).toBe(bytes);
    const view = (await (await authFetch(`${baseUrl}/v1/calls/${call.id}/status`)).json()) as Record<string, unknown>;
    expect(view.status).toBe('queued');
    const page = (await (await authFetch(`${baseUrl}/v1/calls?agent=agent-big`)).json()) as { items: { id: string; audio: { bytes: number } }[] };
    expect(page.items).toEqual([expect.objectContaining({ id: call.id, audio: expect.objectContaining({ bytes }) })]);
  });

  it('rollup swaps made at once (one batch) sum as one after another would, a call swapped twice and one taken out included', async () => {
    const calls = app.get(CallRepository, { strict: false });
    const rollups = app.get(RollupRepository, { strict: false });
    const created = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        calls.create(newCall(`batch/${index}`, { agentExternalId: `agent-batch-${index % 2}`, customerPhone: '+14155550125', startedAt: new Date('2026-11-21T15:00:00Z') })),
      ),
    );
    const day = new Date('2026-11-21T00:00:00Z');
    const agentOf = (index: number) => created[index % 2].agentId as string;
    const contribution = (index: number, agentIndex = index, seconds = 60) => async () => ({
      agentId: agentOf(agentIndex),
      campaignId: null,
      day,
      counters: { ...emptyCounters(), calls: 1, handleSeconds: seconds },
      findings: 1,
    });
    const rows = async () => {
      const { rows: found } = await db.query<{ agentId: string; calls: number; handleSeconds: number; findings: number }>(
        `SELECT "agentId"::text AS "agentId", calls, "handleSeconds", findings FROM "AgentDailyRollup" WHERE "agentId" = ANY($1::uuid[]) AND day = '2026-11-21' ORDER BY "agentId"`,
        [[agentOf(0), agentOf(1)]],
      );
      return Object.fromEntries(found.map((r) => [r.agentId, { calls: r.calls, handleSeconds: r.handleSeconds, findings: r.findings }]));
    };
    const db = new pg.Client({ connectionString: environment.databaseUrl });
    await db.connect();
    try {
      await Promise.all(created.map((call, index) => rollups.swapContribution(call.id, contribution(index))));
      expect(await rows()).toEqual({ [agentOf(0)]: { calls: 4, handleSeconds: 240, findings: 4 }, [agentOf(1)]: { calls: 4, handleSeconds: 240, findings: 4 } });
      // at once: call 0 moves to agent 1 and is re-scored again, call 1 is taken out, call 2 is swapped for the same
      const answers = await Promise.all([
        rollups.swapContribution(created[0].id, contribution(0, 1, 30)),
        rollups.swapContribution(created[0].id, contribution(0, 1, 90)),
        rollups.swapContribution(created[1].id, async () => null),
        rollups.swapContribution(created[2].id, contribution(2)),
      ]);
      const expected = { [agentOf(0)]: { calls: 3, handleSeconds: 180, findings: 3 }, [agentOf(1)]: { calls: 4, handleSeconds: 270, findings: 4 } };
      expect(await rows()).toEqual(expected);
      // each swap answers its agent day as it is after the batch
      expect(answers[1]).toMatchObject({ calls: 4, handleSeconds: 270 });
      expect(answers[2]).toBeNull();
      const { rows: kept } = await db.query<{ callId: string }>(`SELECT "callId"::text AS "callId" FROM "CallRollupContribution" WHERE "callId" = ANY($1::uuid[])`, [created.map((c) => c.id)]);
      expect(kept.map((k) => k.callId).sort()).toEqual(created.filter((_, index) => index !== 1).map((c) => c.id).sort());
    } finally {
      await db.end();
    }
  });

  it("a number's history, an agent's activity and open alerts asked at once (one query each) answer what each asked alone gets", async () => {
    const calls = app.get(CallRepository, { strict: false });
    const optOuts = app.get(OptOutRepository, { strict: false });
    const rollups = app.get(RollupRepository, { strict: false });
    const alerts = app.get(AlertRepository, { strict: false });
    const phones = ['+14155550131', '+14155550132'];
    const made = await Promise.all(
      [0, 1, 2].map((index) =>
        calls.create(newCall(`history/${index}`, { agentExternalId: `agent-history-${index % 2}`, customerPhone: phones[index % 2], startedAt: new Date(Date.UTC(2026, 10, 22, 9, index)), durationSeconds: 150 })),
      ),
    );
    await optOuts.add({ phone: phones[0], source: 'manual', effectiveAt: new Date('2026-11-01T00:00:00Z') });
    const agents = [made[0].agentId as string, made[1].agentId as string];
    await alerts.raise({ key: `t1|agent:${agents[0]}|2026-11-22`, thresholdId: 't1', severity: 'warning', entity: { kind: 'agent', id: agents[0] }, period: '2026-11-22', metric: 'violationRate', value: 0.5, sample: 10, op: '>', threshold: 0.1, message: 'too many' });
    const at = new Date('2026-11-22T09:30:00Z');
    const day = { from: new Date('2026-11-22T00:00:00Z'), to: new Date('2026-11-23T00:00:00Z') };
    const asks = [
      () => optOuts.phoneHistory(phones[0], at, 86_400_000, 'opt_out_request'),
      () => optOuts.phoneHistory(phones[1], at, 86_400_000, 'opt_out_request'),
      () => rollups.agentActivity(agents[0], day.from, day.to),
      () => rollups.agentActivity(agents[1], day.from, day.to),
      () => alerts.openFor('agent', agents[0], '2026-11-22'),
      () => alerts.openFor('agent', agents[1], '2026-11-22'),
    ];
    const alone: unknown[] = [];
    for (const ask of asks) alone.push(await ask());
    expect(alone[0]).toMatchObject({ optOuts: [{ phone: phones[0], source: 'manual' }], nearbyCalls: [{ id: made[0].id }, { id: made[2].id }] });
    expect(alone[1]).toMatchObject({ optOuts: [], nearbyCalls: [{ id: made[1].id, startedAt: made[1].startedAt }] });
    expect(alone[2]).toHaveLength(2);
    expect(alone[4]).toEqual([expect.objectContaining({ thresholdId: 't1', period: '2026-11-22' })]);
    expect(alone[5]).toEqual([]);
    expect(await Promise.all(asks.map((ask) => ask()))).toEqual(alone);
  });

  it("findings replaced and redacted copies pointed at for several calls at once (one statement each) land on their own calls", async () => {
    const calls = app.get(CallRepository, { strict: false });
    const results = app.get(CallResultsRepository, { strict: false });
    const made = await Promise.all(
      [0, 1].map((index) =>
        calls.create(newCall(`findings/${index}`, { agentExternalId: 'agent-findings', customerPhone: '+14155550141', startedAt: new Date('2026-11-23T10:00:00Z') })),
      ),
    );
    const [a, b] = made.map((call) => call.id);
    const draft = (key: string, source: FindingDraft['source'] = 'rule'): FindingDraft => ({
      dedupeKey: key, source, ruleId: `r-${key}`, ruleVersion: '1', severity: 'major', dimension: 'compliance', description: key,
    });
    await Promise.all([results.replaceFindings(a, ['rule'], [draft('a1'), draft('a2')]), results.replaceFindings(b, ['rule'], [draft('b1')])]);
    const [kept] = await results.listFindings(a);
    await results.setClipKey(kept.id, 'clips/a1.mp3');
    // at once: a keeps a1 (its id and clip) and drops a2, b's rule findings go, b gets an llm finding
    await Promise.all([
      results.replaceFindings(a, ['rule'], [draft('a1')]),
      results.replaceFindings(b, ['rule'], []),
      results.replaceFindings(b, ['llm'], [draft('b-llm', 'llm')]),
    ]);
    expect((await results.listFindings(a)).map((f) => [f.dedupeKey, f.id, f.clipKey])).toEqual([['a1', kept.id, 'clips/a1.mp3']]);
    expect((await results.listFindings(b)).map((f) => [f.dedupeKey, f.source])).toEqual([['b-llm', 'llm']]);
    // pointed at once: a's clip is cleared to be cut again, b had none; each answers its own count
    const cleared = await Promise.all([
      calls.pointAtRedactedAudio(a, 'redacted/a.wav', { audioChannels: 1, durationSeconds: 30 }),
      calls.pointAtRedactedAudio(b, 'redacted/b.wav'),
    ]);
    expect(cleared).toEqual([1, 0]);
    expect(await calls.findById(a)).toMatchObject({ redactedAudioKey: 'redacted/a.wav', audioChannels: 1, durationSeconds: 30 });
    expect(await calls.findById(b)).toMatchObject({ redactedAudioKey: 'redacted/b.wav', audioChannels: null, durationSeconds: null });
    expect((await results.listFindings(a))[0].clipKey).toBeNull();
  });

  it('live rule packs asked at once for several campaigns (one query) answer what each asked alone gets', async () => {
    const calls = app.get(CallRepository, { strict: false });
    const packs = app.get(RulePackRepository, { strict: false });
    const [plain, choosing] = await Promise.all(
      ['packs-plain', 'packs-choosing'].map((campaign, index) =>
        calls.create(newCall(`packs/${index}`, { agentExternalId: 'agent-packs', campaignExternalId: campaign, customerPhone: '+14155550126', startedAt: new Date('2026-11-21T15:00:00Z') })),
      ),
    );
    const system = await packs.livePacksFor(null);
    expect(system.length).toBeGreaterThan(1);
    const chosen = system.slice(0, 2).map((pack) => pack.key).reverse();
    await packs.setCampaignPackKeys(choosing.campaignId as string, chosen, 'test', {});
    const alone = [await packs.livePacksFor(null), await packs.livePacksFor(plain.campaignId), await packs.livePacksFor(choosing.campaignId)];
    expect(alone[1]).toEqual(system);
    expect(alone[2].map((pack) => pack.key)).toEqual(chosen);
    const together = await Promise.all([packs.livePacksFor(null), packs.livePacksFor(choosing.campaignId), packs.livePacksFor(plain.campaignId), packs.livePacksFor(choosing.campaignId)]);
    expect(together).toEqual([alone[0], alone[2], alone[1], alone[2]]);
  });

  it('status writes of many calls at once each land on their own call, and a failed call stays failed', async () => {
    const calls = app.get(CallRepository, { strict: false });
    const created = await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        calls.create(newCall(`status/${index}`, { agentExternalId: 'agent-status', customerPhone: '+14155550124', startedAt: new Date('2026-11-20T18:15:00Z') })),
      ),
    );
    const ids = created.map((call) => call.id);
    await calls.markFailed(ids[11], 'check', 'broken');
    const before = Date.now();
    // concurrent, as a worker's jobs write them: most go in shared statements
    await Promise.all(ids.map((id, index) => (index % 3 === 0 ? calls.markCompleted(id) : calls.markStageStarted(id, index % 3 === 1 ? 'check' : 'score'))));
    const after = Date.now();
    for (const [index, id] of ids.entries()) {
      const call = await calls.findById(id);
      if (index === 11) {
        expect(call).toMatchObject({ status: 'failed', failedStage: 'check', currentStage: null });
        continue;
      }
      if (index % 3 === 0) {
        expect(call).toMatchObject({ status: 'completed', currentStage: null });
        // stored in UTC like every timestamp Prisma writes
        expect(call?.completedAt?.getTime()).toBeGreaterThanOrEqual(before - 1000);
        expect(call?.completedAt?.getTime()).toBeLessThanOrEqual(after + 1000);
      } else {
        expect(call).toMatchObject({ status: 'processing', currentStage: index % 3 === 1 ? 'check' : 'score', completedAt: null });
      }
    }
  });
});
