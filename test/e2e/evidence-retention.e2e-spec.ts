import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { INestApplication } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { RETENTION_SWEEP_SCHEDULER_ID, RetentionJobName, SideQueueName } from '#libs/queue';
import { OBJECT_STORAGE, type ObjectStorage } from '#libs/storage';
import { waveformKey } from '#libs/domain';
import {
  type CallView,
  REDIS_URL,
  type SampleCall,
  TEST_ADMIN_EMAIL,
  type TestEnvironment,
  authFetch,
  createTestEnvironment,
  loadSample,
  startApi,
  uploadCall,
  uploadForm,
  waitForCall,
  withDatabase as queryDatabase,
} from '../support/earshot-harness.js';
import { readZip } from '../support/zip-reader.js';

type Json = Record<string, unknown>;

interface ManifestJson {
  callId: string;
  generatedAt: string;
  generatedBy: string;
  recording: { included: boolean; file?: string; reason?: string; deletedAt?: string };
  files: { name: string; bytes: number; sha256: string }[];
}

interface AuditItem {
  id: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string | null;
  details: Json | null;
}

interface FindingRow {
  id: string;
  clipKey: string | null;
  reviewState: string;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const ADMIN = `user:${TEST_ADMIN_EMAIL}`;
const CAMPAIGN = 'fund-q4';

describe('evidence bundles, recording retention per campaign and legal hold (real Postgres, Redis, s3rver)', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;
  let storage: ObjectStorage;
  let sample: SampleCall;
  /** en-guaranteed-returns: findings with clips; one confirmed, one dismissed, the rest pending */
  let violating: CallView;
  /** en-compliant: put on legal hold */
  let held: CallView;
  /** zh-compliant in the same campaign, recent: within retention */
  let recent: CallView;
  let confirmedId: string;
  let dismissedId: string;

  const request = async (method: string, path: string, body?: unknown) => {
    const response = await authFetch(`${baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as Json };
  };
  const withDatabase = <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => queryDatabase(environment.databaseUrl, work);
  const audioKey = (callId: string) =>
    withDatabase(async (db) => (await db.query<{ audioKey: string }>('SELECT "audioKey" FROM "Call" WHERE id = $1', [callId])).rows[0]?.audioKey ?? '');
  const findingRows = (callId: string) =>
    withDatabase(async (db) =>
      (await db.query<FindingRow>('SELECT id::text, "clipKey", "reviewState"::text AS "reviewState" FROM "Finding" WHERE "callId" = $1 ORDER BY id', [callId])).rows,
    );
  const auditOf = async (callId: string) => {
    const response = await request('GET', `/v1/audit?entityType=call&entityId=${callId}&limit=1000`);
    expect(response.status).toBe(200);
    return response.body.items as AuditItem[];
  };
  const bundle = async (callId: string) => {
    const response = await authFetch(`${baseUrl}/v1/calls/${callId}/evidence-bundle`);
    expect(response.status).toBe(200);
    const zip = Buffer.from(await response.arrayBuffer());
    const files = await readZip(zip);
    const manifestBytes = files.get('manifest.json');
    if (!manifestBytes) throw new Error(`no manifest.json in ${[...files.keys()].join(', ')}`);
    return { response, files, manifestBytes, manifest: JSON.parse(manifestBytes.toString('utf8')) as ManifestJson };
  };
  /** Waits until the call finished a run that completed after `since` (a re-score after a review). */
  const waitForRerun = async (callId: string, since: Date) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const view = (await request('GET', `/v1/calls/${callId}`)).body as unknown as CallView & { completedAt: string | null };
      if (view.status === 'failed') throw new Error(`call ${callId} failed: ${JSON.stringify(view.failure)}`);
      if (view.status === 'completed' && view.completedAt && new Date(view.completedAt) > since) return view;
      if (Date.now() > deadline) throw new Error(`call ${callId} was not re-run; last ${view.status}/${view.currentStage}`);
      await sleep(150);
    }
  };

  beforeAll(async () => {
    environment = await createTestEnvironment({ MEDIA_DELIVERY: 'stream' });
    ({ app, baseUrl } = await startApi(environment.env));
    storage = app.get<ObjectStorage>(OBJECT_STORAGE, { strict: false });
    sample = await loadSample('en-guaranteed-returns');
    const compliant = await loadSample('en-compliant');
    const zh = await loadSample('zh-compliant');
    const uploads = await Promise.all([
      uploadCall(baseUrl, uploadForm({ audio: sample.audio, metadata: sample.metadata, transcript: sample.transcript })),
      uploadCall(baseUrl, uploadForm({ audio: compliant.audio, metadata: compliant.metadata, transcript: compliant.transcript })),
      uploadCall(baseUrl, uploadForm({ audio: zh.audio, metadata: { ...zh.metadata, campaignExternalId: CAMPAIGN }, transcript: zh.transcript })),
    ]);
    expect(uploads.map((u) => u.status)).toEqual([201, 201, 201]);
    [violating, held, recent] = await Promise.all(uploads.map((u) => waitForCall(baseUrl, u.body.id as string, 60_000)));
    expect([violating.status, held.status, recent.status]).toEqual(['completed', 'completed', 'completed']);

    // one finding confirmed as a violation, one dismissed, the others left pending
    const clipped = violating.findings.filter((f) => f.hasClip);
    expect(clipped.length).toBeGreaterThanOrEqual(3);
    confirmedId = clipped[0]?.id ?? '';
    dismissedId = clipped[1]?.id ?? '';
    const reviewedAt = new Date();
    expect((await request('POST', `/v1/findings/${confirmedId}/review`, { decision: 'confirmed' })).status).toBe(200);
    expect((await request('POST', `/v1/findings/${dismissedId}/review`, { decision: 'dismissed', reason: 'quoting the brochure' })).status).toBe(200);
    violating = await waitForRerun(violating.id, reviewedAt);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await environment?.dispose();
    delete process.env.MEDIA_DELIVERY;
  });

  describe('evidence bundle', () => {
    it('zips the recording, transcript, findings, evaluation, reviews, audit and metadata with a manifest whose sums match', async () => {
      const { response, files, manifestBytes, manifest } = await bundle(violating.id);
      expect(response.headers.get('content-type')).toBe('application/zip');
      expect(response.headers.get('content-disposition')).toBe(`attachment; filename="evidence-${violating.id}.zip"`);
      expect(response.headers.get('x-earshot-manifest-sha256')).toBe(sha256(manifestBytes));

      expect(manifest).toMatchObject({ callId: violating.id, generatedBy: ADMIN, recording: { included: true, file: 'recording.wav' } });
      expect(Math.abs(Date.parse(manifest.generatedAt) - Date.now())).toBeLessThan(60_000);
      // the manifest lists every other file, and each one's size and sha256 match the bytes in the zip
      expect(manifest.files.map((f) => f.name).sort()).toEqual([...files.keys()].filter((name) => name !== 'manifest.json').sort());
      for (const name of ['recording.wav', 'call.json', 'transcript.json', 'findings.json', 'evaluation.json', 'reviews.json', 'audit.json', `clips/${confirmedId}.mp3`]) {
        expect(files.has(name)).toBe(true);
      }
      for (const entry of manifest.files) {
        const data = files.get(entry.name);
        if (!data) throw new Error(`${entry.name} is in the manifest but not in the zip`);
        expect({ name: entry.name, bytes: data.length, sha256: sha256(data) }).toEqual(entry);
      }
      // a file changed after export no longer matches its line
      const findingsBytes = files.get('findings.json') ?? Buffer.alloc(0);
      const tampered = Buffer.from(findingsBytes.toString('utf8').replace('"confirmed"', '"dismissed"'), 'utf8');
      expect(tampered.equals(findingsBytes)).toBe(false);
      expect(sha256(tampered)).not.toBe(manifest.files.find((f) => f.name === 'findings.json')?.sha256);

      expect(files.get('recording.wav')?.equals(sample.audio)).toBe(true);
      const call = JSON.parse(files.get('call.json')?.toString('utf8') ?? '{}') as Json;
      expect(call).toMatchObject({ id: violating.id, externalId: 'demo-en-001', audioSha256: sha256(sample.audio), legalHold: false, audioDeletedAt: null, campaign: { externalId: CAMPAIGN } });
      const transcript = JSON.parse(files.get('transcript.json')?.toString('utf8') ?? 'null') as { segments: { text: string }[]; provider: string };
      expect(transcript.segments.map((s) => s.text).join(' ')).toMatch(/guaranteed returns/);

      const findings = JSON.parse(files.get('findings.json')?.toString('utf8') ?? '[]') as FindingRow[];
      expect(findings.map((f) => f.id).sort()).toEqual(violating.findings.map((f) => f.id).sort());
      expect(findings.find((f) => f.id === confirmedId)?.reviewState).toBe('confirmed');
      expect(findings.find((f) => f.id === dismissedId)?.reviewState).toBe('dismissed');
      const evaluation = JSON.parse(files.get('evaluation.json')?.toString('utf8') ?? 'null') as { score: number };
      expect(evaluation.score).toBe(violating.evaluation?.score);

      const reviews = JSON.parse(files.get('reviews.json')?.toString('utf8') ?? '{}') as { findingReviews: { findingId: string; action: string; actor: string }[]; evaluationFeedback: unknown[] };
      expect(reviews.findingReviews).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ findingId: confirmedId, action: 'confirmed', actor: ADMIN }),
          expect.objectContaining({ findingId: dismissedId, action: 'dismissed', actor: ADMIN }),
        ]),
      );
      expect(reviews.evaluationFeedback).toEqual([]);

      const audit = JSON.parse(files.get('audit.json')?.toString('utf8') ?? '[]') as AuditItem[];
      expect(audit.map((e) => `${e.entityType}:${e.entityId}:${e.action}`)).toEqual(
        expect.arrayContaining([`finding:${confirmedId}:finding.confirmed`, `finding:${dismissedId}:finding.dismissed`, `call:${violating.id}:call.viewed`]),
      );
      expect(audit.every((e) => e.entityId === violating.id || violating.findings.some((f) => f.id === e.entityId))).toBe(true);
      expect(audit.map((e) => BigInt(e.id))).toEqual([...audit.map((e) => BigInt(e.id))].sort((a, b) => (a < b ? -1 : 1)));

      // the export is audited with the manifest's own sha256
      const exported = (await auditOf(violating.id)).find((e) => e.action === 'evidence.exported');
      expect(exported).toMatchObject({ actor: ADMIN, details: { manifestSha256: sha256(manifestBytes), recordingIncluded: true } });
    });

    it('answers 404 for an unknown call and 400 for a malformed id', async () => {
      expect((await request('GET', '/v1/calls/00000000-0000-4000-8000-000000000000/evidence-bundle')).status).toBe(404);
      const bad = await request('GET', '/v1/calls/not-a-uuid/evidence-bundle');
      expect(bad.status).toBe(400);
    });
  });

  describe('retention and legal hold', () => {
    let keys: { violating: string; held: string; recent: string };
    let findingsBefore: FindingRow[];

    beforeAll(async () => {
      keys = { violating: await audioKey(violating.id), held: await audioKey(held.id), recent: await audioKey(recent.id) };
      findingsBefore = await findingRows(violating.id);
    });

    it('runs the sweep on a BullMQ job scheduler every RETENTION_SWEEP_INTERVAL_MINUTES', async () => {
      const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
      const queue = new Queue(SideQueueName.Retention, { connection, prefix: environment.queuePrefix });
      try {
        expect(await queue.getJobScheduler(RETENTION_SWEEP_SCHEDULER_ID)).toMatchObject({ every: 60 * 60_000, name: RetentionJobName.SweepRecordings });
      } finally {
        await queue.close();
        connection.disconnect();
      }
    });

    it('sets a campaign retention through the settings API, whole days 1..36500 or null', async () => {
      for (const retentionDays of [0, 1.5, 36501, 'a year']) {
        const bad = await request('PUT', `/v1/campaigns/${CAMPAIGN}`, { retentionDays });
        expect(bad.status).toBe(400);
        expect(JSON.stringify(bad.body.message)).toMatch(/body\.retentionDays/);
      }
      expect((await request('PUT', `/v1/campaigns/${CAMPAIGN}`, { retentionDays: null })).body).toMatchObject({ retentionDays: null });
      expect((await request('PUT', `/v1/campaigns/${CAMPAIGN}`, { retentionDays: 365 })).body).toMatchObject({ externalId: CAMPAIGN, retentionDays: 365 });
      expect((await request('GET', `/v1/campaigns/${CAMPAIGN}`)).body).toMatchObject({ retentionDays: 365 });
    });

    it('places a legal hold with a reason (400 without one), shows it and audits it', async () => {
      for (const body of [{}, { reason: '   ' }, { reason: 42 }]) {
        const bad = await request('PUT', `/v1/calls/${held.id}/legal-hold`, body);
        expect(bad.status).toBe(400);
        expect(JSON.stringify(bad.body.message)).toMatch(/reason/);
      }
      expect((await request('PUT', '/v1/calls/00000000-0000-4000-8000-000000000000/legal-hold', { reason: 'x' })).status).toBe(404);
      const placed = await request('PUT', `/v1/calls/${held.id}/legal-hold`, { reason: 'Complaint FCA-2026-0412' });
      expect(placed).toMatchObject({ status: 200, body: { callId: held.id, legalHold: true, reason: 'Complaint FCA-2026-0412', placedBy: ADMIN, recordingDeletedAt: null } });
      expect((await request('GET', `/v1/calls/${held.id}/legal-hold`)).body).toMatchObject({ legalHold: true, reason: 'Complaint FCA-2026-0412' });
      expect((await request('GET', `/v1/calls/${violating.id}/legal-hold`)).body).toMatchObject({ legalHold: false, reason: null });
      expect((await auditOf(held.id)).find((e) => e.action === 'call.legal_hold.placed')).toMatchObject({ actor: ADMIN, details: { reason: 'Complaint FCA-2026-0412' } });
    });

    it('deletes the recording of a call past retention, keeping findings, confirmed clips, transcript and the audit chain; skips the held call', async () => {
      // both calls started 400 days ago; the recent one stays within the 365 days
      await withDatabase((db) => db.query(`UPDATE "Call" SET "startedAt" = now() - interval '400 days' WHERE id = ANY($1::uuid[])`, [[violating.id, held.id]]));
      for (const key of Object.values(keys)) expect(await storage.stat(key)).not.toBeNull();
      const redactedKey = await withDatabase(
        async (db) => (await db.query<{ key: string | null }>('SELECT "redactedAudioKey" AS key FROM "Call" WHERE id = $1', [violating.id])).rows[0]?.key ?? null,
      );

      // the console's waveform of the muted copy (analyse-audio keeps it for stereo calls)
      const waveform = waveformKey(redactedKey ?? keys.violating);
      expect(await storage.stat(waveform)).not.toBeNull();

      const swept = await request('POST', '/v1/retention/sweep');
      expect(swept).toMatchObject({ status: 200, body: { deletedCalls: [violating.id], heldCalls: 1, failedCalls: [] } });
      expect(await storage.stat(waveform)).toBeNull();

      expect(await storage.stat(keys.violating)).toBeNull();
      // the muted copy of the recording goes with it (when it is an object of its own)
      if (redactedKey && redactedKey !== keys.violating) expect(await storage.stat(redactedKey)).toBeNull();
      expect(await storage.stat(keys.held)).not.toBeNull();
      expect(await storage.stat(keys.recent)).not.toBeNull();

      const gone = await request('GET', `/v1/calls/${violating.id}/audio`);
      expect(gone.status).toBe(410);
      expect(String(gone.body.message)).toMatch(/deleted by retention on \d{4}-\d{2}-\d{2}T/);
      expect((await authFetch(`${baseUrl}/v1/calls/${held.id}/audio`, { headers: { range: 'bytes=0-99' } })).status).toBe(206);

      // findings stay; only the confirmed finding keeps its clip
      const after = await findingRows(violating.id);
      expect(after.map((f) => f.id)).toEqual(findingsBefore.map((f) => f.id));
      for (const before of findingsBefore.filter((f) => f.clipKey)) {
        const now = after.find((f) => f.id === before.id);
        const kept = before.id === confirmedId;
        expect({ id: before.id, clipKey: now?.clipKey ?? null }).toEqual({ id: before.id, clipKey: kept ? before.clipKey : null });
        expect({ id: before.id, stored: (await storage.stat(before.clipKey ?? '')) !== null }).toEqual({ id: before.id, stored: kept });
      }
      expect(findingsBefore.some((f) => f.clipKey && f.reviewState === 'pending')).toBe(true);
      const clip = await authFetch(`${baseUrl}/v1/findings/${confirmedId}/clip`);
      expect(clip.status).toBe(200);
      await clip.arrayBuffer();
      const removedClip = await request('GET', `/v1/findings/${dismissedId}/clip`);
      expect(removedClip.status).toBe(410);
      expect(String(removedClip.body.message)).toMatch(/clip of finding .* deleted by retention/);

      const view = (await request('GET', `/v1/calls/${violating.id}`)).body as unknown as CallView & { audio: { deletedByRetentionAt: string | null }; legalHold: boolean };
      expect(view.transcript?.segments.length).toBeGreaterThan(0);
      expect(view.findings.length).toBe(findingsBefore.length);
      expect(view.audio.deletedByRetentionAt).toEqual(expect.any(String));
      expect((await request('GET', `/v1/calls/${held.id}`)).body).toMatchObject({ legalHold: true, audio: { deletedByRetentionAt: null } });
      // a new transcript would need the recording to re-run the call
      const reimport = await authFetch(`${baseUrl}/v1/calls/${violating.id}/transcript`, {
        method: 'PUT',
        headers: { 'content-type': 'text/vtt' },
        body: 'WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Agent>Hello.\n',
      });
      expect(reimport.status).toBe(410);

      const deleted = (await auditOf(violating.id)).filter((e) => e.action === 'recording.deleted');
      expect(deleted).toHaveLength(1);
      expect(deleted[0]).toMatchObject({
        actor: 'system:retention',
        details: { retentionDays: 365, requestedBy: ADMIN, clipsKept: [{ findingId: confirmedId, clipKey: findingsBefore.find((f) => f.id === confirmedId)?.clipKey }] },
      });
      const deletedKeys = (deleted[0]?.details?.deletedKeys ?? []) as string[];
      expect(deletedKeys).toContain(keys.violating);
      if (redactedKey) expect(deletedKeys).toContain(redactedKey);
      expect(deletedKeys).toContain(findingsBefore.find((f) => f.id === dismissedId)?.clipKey);
      expect(deletedKeys).not.toContain(findingsBefore.find((f) => f.id === confirmedId)?.clipKey);
      expect((await request('GET', '/v1/audit/verify')).body).toMatchObject({ ok: true });
      expect((await request('GET', `/v1/calls/${violating.id}/legal-hold`)).body.recordingDeletedAt).toEqual(expect.any(String));
    });

    it('re-running the sweep deletes nothing twice', async () => {
      expect((await request('POST', '/v1/retention/sweep')).body).toEqual({ deletedCalls: [], heldCalls: 1, failedCalls: [] });
      expect((await auditOf(violating.id)).filter((e) => e.action === 'recording.deleted')).toHaveLength(1);
      expect(await storage.stat(keys.held)).not.toBeNull();
    });

    it('bundles a deleted call without its recording, saying so, and still re-scores it after a review', async () => {
      const { files, manifest } = await bundle(violating.id);
      expect(manifest.recording).toMatchObject({ included: false, reason: 'deleted by retention' });
      expect([...files.keys()].some((name) => name.startsWith('recording.'))).toBe(false);
      expect(files.has(`clips/${confirmedId}.mp3`)).toBe(true);
      for (const entry of manifest.files) expect(sha256(files.get(entry.name) ?? Buffer.alloc(0))).toBe(entry.sha256);
      const audit = JSON.parse(files.get('audit.json')?.toString('utf8') ?? '[]') as AuditItem[];
      expect(audit.some((e) => e.action === 'recording.deleted')).toBe(true);

      // a review re-scores the call; the clip stage has no recording to cut from and must not fail the call
      const pending = findingsBefore.find((f) => f.reviewState === 'pending' && f.clipKey);
      const reviewedAt = new Date();
      expect((await request('POST', `/v1/findings/${pending?.id}/review`, { decision: 'dismissed', reason: 'after retention' })).status).toBe(200);
      const rerun = await waitForRerun(violating.id, reviewedAt);
      expect(rerun.status).toBe('completed');
    });

    it('releasing the hold (audited) lets the next sweep, run by the worker, delete the recording', async () => {
      const released = await request('DELETE', `/v1/calls/${held.id}/legal-hold`);
      expect(released).toMatchObject({ status: 200, body: { callId: held.id, legalHold: false, reason: null, placedBy: null } });
      expect((await auditOf(held.id)).find((e) => e.action === 'call.legal_hold.released')).toMatchObject({ actor: ADMIN, details: { reason: 'Complaint FCA-2026-0412' } });

      // this time the worker's scheduled job does it: the same job the scheduler produces, queued now
      const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
      const queue = new Queue(SideQueueName.Retention, { connection, prefix: environment.queuePrefix });
      try {
        await queue.add(RetentionJobName.SweepRecordings, {}, { removeOnComplete: true });
        const deadline = Date.now() + 20_000;
        // the objects go inside the sweep's transaction, the audit entry with its commit: wait for both
        const swept = async () => (await storage.stat(keys.held)) === null && (await auditOf(held.id)).some((e) => e.action === 'recording.deleted');
        while (!(await swept()) && Date.now() < deadline) await sleep(100);
      } finally {
        await queue.close();
        connection.disconnect();
      }
      expect(await storage.stat(keys.held)).toBeNull();
      const deleted = (await auditOf(held.id)).filter((e) => e.action === 'recording.deleted');
      expect(deleted).toHaveLength(1);
      expect(deleted[0]?.actor).toBe('system:retention');
      expect(deleted[0]?.details).not.toHaveProperty('requestedBy');
      expect((await request('POST', '/v1/retention/sweep')).body).toEqual({ deletedCalls: [], heldCalls: 0, failedCalls: [] });
      expect((await request('GET', `/v1/calls/${held.id}/audio`)).status).toBe(410);
      expect(await storage.stat(keys.recent)).not.toBeNull();
      expect((await request('GET', '/v1/audit/verify')).body).toMatchObject({ ok: true });
    });
  });
});
