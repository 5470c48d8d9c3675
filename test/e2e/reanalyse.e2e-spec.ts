import type { INestApplication } from '@nestjs/common';
import { importedTranscriptKey } from '#libs/calls';
import { OBJECT_STORAGE, type ObjectStorage } from '#libs/storage';
import {
  type TestEnvironment,
  authFetch,
  createTestEnvironment,
  createUser,
  loadSample,
  startApi,
  uploadCall,
  uploadForm,
  waitForCall,
  withDatabase,
} from '../support/earshot-harness.js';

/** Re-analysing a call from a chosen stage, and what a call in the pipeline refuses (issue 18). */
describe('re-analyse and transcript replacement (real Postgres, Redis, s3rver)', () => {
  let environment: TestEnvironment;
  const apps: INestApplication[] = [];
  let callId: string;

  beforeAll(async () => {
    environment = await createTestEnvironment();
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await environment?.dispose();
  });

  const reanalyse = (baseUrl: string, id: string, body: unknown, init: RequestInit = {}) =>
    authFetch(`${baseUrl}/v1/calls/${id}/reanalyse`, { method: 'POST', headers: { 'content-type': 'application/json', ...init.headers }, body: JSON.stringify(body) });

  it('a queued call refuses a re-run and a new transcript with 409, storing nothing; known audio says its different transcript was ignored', async () => {
    // the API alone: the call's first job waits with nobody to run it, so the call stays queued
    const api = await startApi(environment.env, { withWorker: false });
    apps.push(api.app);
    const sample = await loadSample('en-guaranteed-returns');
    const upload = await uploadCall(api.baseUrl, uploadForm({ audio: sample.audio, metadata: sample.metadata, transcript: sample.transcript }));
    expect(upload.status).toBe(201);
    expect(upload.body.transcriptIgnored).toBe(false);
    callId = upload.body.id as string;

    const busy = await reanalyse(api.baseUrl, callId, { fromStage: 'check' });
    expect(busy.status).toBe(409);
    expect(await busy.json()).toMatchObject({ error: 'conflict', callId, callStatus: 'queued' });

    const replaced = await authFetch(`${api.baseUrl}/v1/calls/${callId}/transcript`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: sample.transcript });
    expect(replaced.status).toBe(409);
    const storage = api.app.get<ObjectStorage>(OBJECT_STORAGE, { strict: false });
    expect(await storage.stat(importedTranscriptKey(callId))).toBeNull();

    const unknownStage = await reanalyse(api.baseUrl, callId, { fromStage: 'transcode' });
    expect(unknownStage.status).toBe(400);
    expect(JSON.stringify(await unknownStage.json())).toContain('body.fromStage');
    expect((await reanalyse(api.baseUrl, callId, {})).status).toBe(400);
    expect((await reanalyse(api.baseUrl, '6f1c1a52-3a55-4c43-9a57-3c1e1f0d2b11', { fromStage: 'check' })).status).toBe(404);

    // the same audio again: with the same transcript nothing is lost; with another one the client is told
    const same = await uploadCall(api.baseUrl, uploadForm({ audio: sample.audio, metadata: sample.metadata, transcript: sample.transcript }));
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ id: callId, transcriptIgnored: false, notice: null });
    const other = JSON.parse(sample.transcript.toString('utf8')) as { segments: { text: string }[] };
    other.segments[0]!.text = 'A different first line.';
    const response = await authFetch(`${api.baseUrl}/v1/calls`, {
      method: 'POST',
      body: uploadForm({ audio: sample.audio, metadata: sample.metadata, transcript: Buffer.from(JSON.stringify(other)) }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('earshot-transcript-ignored')).toBe('true');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ id: callId, transcriptIgnored: true });
    expect(body.notice).toContain('PUT /v1/calls/{id}/transcript');
    await api.app.close();
    apps.pop();
  }, 120_000);

  it('re-runs a finished call from a chosen stage without re-importing, counting findings and rollups once; role-guarded and audited', async () => {
    const api = await startApi(environment.env, { withWorker: true });
    apps.push(api.app);
    const first = await waitForCall(api.baseUrl, callId, 60_000);
    expect(first.status).toBe('completed');
    expect(first.findings.length).toBeGreaterThan(0);
    const before = await counts(environment.databaseUrl, callId);
    expect(before.rollupCalls).toBe(1);

    const trainer = await createUser(api.baseUrl, { email: 'trainer@earshot.test', role: 'trainer' });
    expect((await reanalyse(api.baseUrl, callId, { fromStage: 'check' }, { headers: { authorization: `Bearer ${trainer}` } })).status).toBe(403);

    for (const fromStage of ['check', 'rollup', 'transcribe'] as const) {
      const response = await reanalyse(api.baseUrl, callId, { fromStage });
      expect(response.status).toBe(202);
      expect(await response.json()).toEqual({ callId, status: 'queued', fromStage });
      const again = await waitForCall(api.baseUrl, callId, 60_000);
      expect(again.status).toBe('completed');
      expect(again.transcript?.segments.length).toBe(first.transcript?.segments.length);
      expect(await counts(environment.databaseUrl, callId)).toEqual(before);
    }

    // the campaign's agent channel changes: analyse-audio runs again and measures the other side as the agent
    const campaign = await authFetch(`${api.baseUrl}/v1/campaigns/fund-q4`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agentChannel: 'right' }) });
    expect(campaign.status).toBe(200);
    expect((await reanalyse(api.baseUrl, callId, { fromStage: 'analyse-audio' })).status).toBe(202);
    const swapped = await waitForCall(api.baseUrl, callId, 60_000);
    expect(swapped.status).toBe('completed');
    const after = await counts(environment.databaseUrl, callId);
    expect(after.agentShare).not.toBeCloseTo(before.agentShare ?? 0, 2);
    // the call's day holds this call once, with what it has now
    expect(after.distinctFindings).toBe(after.findings);
    expect(after).toMatchObject({ rollupCalls: 1, scoredCalls: 1, rollupFindings: swapped.findings.length });
    expect(after.scoreSum).toBeCloseTo(swapped.evaluation?.score ?? -1, 6);

    const audited = await withDatabase(environment.databaseUrl, (db) =>
      db.query<{ details: { fromStage: string } }>(`SELECT details FROM "AuditEvent" WHERE action = 'call.reanalysed' AND "entityId" = $1 ORDER BY id`, [callId]),
    );
    expect(audited.rows.map((row) => row.details.fromStage)).toEqual(['check', 'rollup', 'transcribe', 'analyse-audio']);
  }, 240_000);
});

async function counts(databaseUrl: string, callId: string) {
  return withDatabase(databaseUrl, async (db) => {
    const findings = await db.query<{ n: string; keys: string }>(`SELECT count(*) AS n, count(DISTINCT "dedupeKey") AS keys FROM "Finding" WHERE "callId" = $1`, [callId]);
    const rollup = await db.query<{ calls: number; findings: number; scoredCalls: number; scoreSum: number }>(
      `SELECT sum(r.calls)::int AS calls, sum(r.findings)::int AS findings, sum(r."scoredCalls")::int AS "scoredCalls", sum(r."scoreSum")::float AS "scoreSum"
         FROM "AgentDailyRollup" r JOIN "Call" c ON c."agentId" = r."agentId" WHERE c.id = $1`,
      [callId],
    );
    const metrics = await db.query<{ agentTalkShare: number | null }>(`SELECT "agentTalkShare" FROM "ConversationMetrics" WHERE "callId" = $1`, [callId]);
    return {
      findings: Number(findings.rows[0]?.n),
      distinctFindings: Number(findings.rows[0]?.keys),
      rollupCalls: rollup.rows[0]?.calls,
      rollupFindings: rollup.rows[0]?.findings,
      scoredCalls: rollup.rows[0]?.scoredCalls,
      scoreSum: rollup.rows[0]?.scoreSum,
      agentShare: metrics.rows[0]?.agentTalkShare ?? null,
    };
  });
}
