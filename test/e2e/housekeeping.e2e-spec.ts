import { setTimeout as sleep } from 'node:timers/promises';
import type { INestApplication } from '@nestjs/common';
import { Queue } from 'bullmq';
import { importedTranscriptKey } from '#libs/calls';
import { HOUSEKEEPING_SCHEDULER_ID, MaintenanceJobName, REDACTION_BACKFILL_SCHEDULER_ID, RETENTION_SWEEP_SCHEDULER_ID, SideQueueName, deleteQueueKeys } from '#libs/queue';
import { OBJECT_STORAGE, type ObjectStorage } from '#libs/storage';
import {
  REDIS_URL,
  type TestEnvironment,
  authFetch,
  createTestEnvironment,
  loadSample,
  startApi,
  uploadCall,
  uploadForm,
  waitForCall,
  withDatabase,
} from '../support/earshot-harness.js';

const SCHEDULERS: [SideQueueName, string][] = [
  [SideQueueName.Retention, RETENTION_SWEEP_SCHEDULER_ID],
  [SideQueueName.Redaction, REDACTION_BACKFILL_SCHEDULER_ID],
  [SideQueueName.Maintenance, HOUSEKEEPING_SCHEDULER_ID],
];

/** Issue 18, left open by earlier work: what the worker keeps tidy, and what is audited or deleted with a recording. */
describe('housekeeping, schedulers, library audit, transcript files under retention (real Postgres, Redis, s3rver)', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;
  const queues = new Map<SideQueueName, Queue>();
  const queue = (name: SideQueueName) => {
    let q = queues.get(name);
    if (!q) queues.set(name, (q = new Queue(name, { connection: { url: REDIS_URL }, prefix: environment.queuePrefix })));
    return q;
  };
  const schedulersPresent = async () => (await Promise.all(SCHEDULERS.map(async ([name, id]) => (await queue(name).getJobScheduler(id)) !== undefined))).every(Boolean);
  const json = (method: string, path: string, body?: unknown) =>
    authFetch(`${baseUrl}${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

  beforeAll(async () => {
    environment = await createTestEnvironment({ SCHEDULER_CHECK_SECONDS: '1' });
    ({ app, baseUrl } = await startApi(environment.env));
  }, 60_000);

  afterAll(async () => {
    for (const q of queues.values()) await q.close();
    await app?.close();
    await environment?.dispose();
  });

  it('re-creates the job schedulers when Redis loses its data, without a worker restart', async () => {
    expect(await schedulersPresent()).toBe(true);
    await deleteQueueKeys(REDIS_URL, environment.queuePrefix);
    expect(await queue(SideQueueName.Retention).getJobScheduler(RETENTION_SWEEP_SCHEDULER_ID)).toBeUndefined();
    let back = false;
    for (const until = Date.now() + 15_000; !back && Date.now() < until; await sleep(250)) back = await schedulersPresent();
    expect(back).toBe(true);
  }, 30_000);

  it('deletes expired and revoked sessions in the scheduled housekeeping job, keeping live ones', async () => {
    const ids = await withDatabase(environment.databaseUrl, async (db) => {
      const user = (await db.query<{ id: string }>('SELECT id FROM "User" LIMIT 1')).rows[0]?.id;
      const insert = async (hash: string, expiresAt: string, revoked: boolean) =>
        (await db.query<{ id: string }>(`INSERT INTO "Session" (id, "userId", "tokenHash", "expiresAt", "revokedAt") VALUES (gen_random_uuid(), $1, $2, ${expiresAt}, ${revoked ? 'now()' : 'NULL'}) RETURNING id`, [user, hash])).rows[0]?.id;
      return { expired: await insert('h-expired', "now() - interval '1 day'", false), revoked: await insert('h-revoked', "now() + interval '1 day'", true), live: await insert('h-live', "now() + interval '1 day'", false) };
    });
    const job = await queue(SideQueueName.Maintenance).add(MaintenanceJobName.Housekeeping, {});
    for (const until = Date.now() + 20_000; Date.now() < until && !(await job.isCompleted()); ) await sleep(200);
    expect(await job.isCompleted()).toBe(true);
    const left = await withDatabase(environment.databaseUrl, async (db) => (await db.query<{ id: string }>('SELECT id FROM "Session" WHERE id = ANY($1::uuid[])', [Object.values(ids)])).rows.map((r) => r.id));
    expect(left).toEqual([ids.live]);
  }, 30_000);

  it('audits every edit of library collections and items', async () => {
    const sample = await loadSample('en-guaranteed-returns');
    const upload = await uploadCall(baseUrl, uploadForm({ audio: sample.audio, metadata: sample.metadata, transcript: sample.transcript }));
    const callId = upload.body.id as string;
    expect((await waitForCall(baseUrl, callId, 60_000)).status).toBe('completed');
    const collection = (await (await json('POST', '/v1/library/collections', { name: 'Openings' })).json()) as { id: string };
    expect((await json('PATCH', `/v1/library/collections/${collection.id}`, { name: 'Good openings' })).status).toBe(200);
    const added = await json('POST', `/v1/library/collections/${collection.id}/items`, { callId, startSeconds: 0, endSeconds: 4, label: 'good' });
    expect(added.status).toBe(201);
    const item = (await added.json()) as { id: string };
    expect((await json('PATCH', `/v1/library/collections/${collection.id}/items/${item.id}`, { notes: 'clear greeting' })).status).toBe(200);
    expect((await json('DELETE', `/v1/library/collections/${collection.id}/items/${item.id}`)).status).toBe(204);
    expect((await json('DELETE', `/v1/library/collections/${collection.id}`)).status).toBe(204);
    const entries = await withDatabase(environment.databaseUrl, async (db) =>
      (await db.query<{ action: string; entityId: string; details: Record<string, unknown> | null }>(`SELECT action, "entityId", details FROM "AuditEvent" WHERE action LIKE 'library.%' ORDER BY id`)).rows,
    );
    expect(entries).toEqual([
      { action: 'library.collection.created', entityId: collection.id, details: { name: 'Openings' } },
      { action: 'library.collection.updated', entityId: collection.id, details: { changed: ['name'], name: 'Good openings' } },
      { action: 'library.item.added', entityId: item.id, details: { collectionId: collection.id, callId, findingId: null, label: 'good' } },
      { action: 'library.item.updated', entityId: item.id, details: { collectionId: collection.id, callId, changed: ['notes'] } },
      { action: 'library.item.removed', entityId: item.id, details: { collectionId: collection.id } },
      { action: 'library.collection.deleted', entityId: collection.id, details: null },
    ]);
  }, 90_000);

  it('retention deletes the transcript files uploaded and imported with a recording', async () => {
    const sample = await loadSample('zh-baoben');
    const upload = await uploadCall(baseUrl, uploadForm({ audio: sample.audio, metadata: sample.metadata, transcript: sample.transcript }));
    const callId = upload.body.id as string;
    expect((await waitForCall(baseUrl, callId, 60_000)).status).toBe('completed');
    const imported = await authFetch(`${baseUrl}/v1/calls/${callId}/transcript`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: sample.transcript });
    expect(imported.status).toBe(202);
    expect((await waitForCall(baseUrl, callId, 60_000)).status).toBe('completed');
    const storage = app.get<ObjectStorage>(OBJECT_STORAGE, { strict: false });
    const sidecarKey = await withDatabase(environment.databaseUrl, async (db) => (await db.query<{ sidecarKey: string }>('SELECT "sidecarKey" FROM "Call" WHERE id = $1', [callId])).rows[0]?.sidecarKey);
    expect(sidecarKey).toBeTruthy();
    expect(await storage.stat(sidecarKey as string)).not.toBeNull();
    expect(await storage.stat(importedTranscriptKey(callId))).not.toBeNull();

    expect((await json('PUT', `/v1/campaigns/${String(sample.metadata.campaignExternalId)}`, { retentionDays: 1 })).status).toBe(200);
    const sweep = await json('POST', '/v1/retention/sweep');
    expect(sweep.status).toBe(200);
    expect(((await sweep.json()) as { deletedCalls: string[] }).deletedCalls).toContain(callId);
    expect(await storage.stat(sidecarKey as string)).toBeNull();
    expect(await storage.stat(importedTranscriptKey(callId))).toBeNull();
    // the transcript as stored stays readable (redacted) in the call view
    const call = (await (await authFetch(`${baseUrl}/v1/calls/${callId}`)).json()) as { transcript: { segments: unknown[] } | null };
    expect(call.transcript?.segments.length).toBeGreaterThan(0);
  }, 120_000);
});
