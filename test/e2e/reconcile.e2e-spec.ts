import type { INestApplication } from '@nestjs/common';
import { IngestService } from '#libs/calls';
import { deleteQueueKeys } from '#libs/queue';
import {
  REDIS_URL,
  type TestEnvironment,
  createTestEnvironment,
  loadSample,
  startApi,
  uploadCall,
  uploadForm,
  waitForCall,
  withDatabase,
} from '../support/earshot-harness.js';

/** Redis restarted without its data: the calls in flight have no jobs any more, and must not stay processing. */
describe('calls whose jobs Redis lost are re-queued by the reconciler (real Postgres, Redis, s3rver)', () => {
  let environment: TestEnvironment;
  const apps: INestApplication[] = [];

  beforeAll(async () => {
    environment = await createTestEnvironment({ PIPELINE_STALL_MINUTES: '5' });
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await environment?.dispose();
  });

  it('re-queues the current stage of a processing call with no live job, once, and the call then completes', async () => {
    // the API alone: the call's first job waits on Redis with nobody to run it
    const api = await startApi(environment.env, { withWorker: false });
    apps.push(api.app);
    const sample = await loadSample('en-guaranteed-returns');
    const upload = await uploadCall(api.baseUrl, uploadForm({ audio: sample.audio, metadata: sample.metadata, transcript: sample.transcript }));
    expect(upload.status).toBe(201);
    const callId = upload.body.id as string;
    // as if a worker had started the stage ten minutes ago
    await withDatabase(environment.databaseUrl, (db) =>
      db.query(`UPDATE "Call" SET "status" = 'processing', "currentStage" = 'transcribe', "updatedAt" = now() - interval '10 minutes' WHERE "id" = $1`, [callId]),
    );
    const ingest = api.app.get(IngestService, { strict: false });
    // a call unchanged in its stage for longer than PIPELINE_STALL_MINUTES is a backlog that does not move
    const stalled = await fetch(`${api.baseUrl}/health`);
    expect(stalled.status).toBe(503);
    expect(await stalled.json()).toMatchObject({ status: 'degraded', checks: { database: { status: 'up' }, pipeline: { status: 'stalled', processing: 1 } } });

    // its job is still there, waiting: nothing to do
    expect(await ingest.reconcileProcessing(60_000)).toBe(0);
    // a call that changed recently is left to its worker
    expect(await ingest.reconcileProcessing(15 * 60_000)).toBe(0);
    // mid-lane (or waiting to retry a later stage): the job that started at transcribe still holds the call
    const setStage = (stage: string) =>
      withDatabase(environment.databaseUrl, (db) => db.query(`UPDATE "Call" SET "currentStage" = $2, "updatedAt" = now() - interval '10 minutes' WHERE "id" = $1`, [callId, stage]));
    await setStage('score');
    expect(await ingest.reconcileProcessing(60_000)).toBe(0);
    await setStage('transcribe');

    await deleteQueueKeys(REDIS_URL, environment.queuePrefix);
    expect(await ingest.reconcileProcessing(60_000)).toBe(1);
    // the re-queued job is live now: a second pass (or a second worker's) adds nothing
    expect(await ingest.reconcileProcessing(60_000)).toBe(0);

    const worker = await startApi(environment.env, { withWorker: true });
    apps.push(worker.app);
    const call = await waitForCall(worker.baseUrl, callId, 60_000);
    expect(call.status).toBe('completed');
    expect(call.evaluation?.autoFailed).toBe(true);
    const healthy = await fetch(`${worker.baseUrl}/health`);
    expect(healthy.status).toBe(200);
    expect(await healthy.json()).toMatchObject({ status: 'ok', checks: { pipeline: { status: 'moving', processing: 0, oldestUnchangedSeconds: null } } });
    // findings are keyed by call and place: the re-run raised each one once
    const rows = await withDatabase(environment.databaseUrl, (db) =>
      db.query<{ n: string; keys: string }>(`SELECT count(*) AS n, count(DISTINCT "dedupeKey") AS keys FROM "Finding" WHERE "callId" = $1`, [callId]),
    );
    expect(Number(rows.rows[0]?.n)).toBe(call.findings.length);
    expect(rows.rows[0]?.keys).toBe(rows.rows[0]?.n);
  }, 120_000);
});
