import type { INestApplication } from '@nestjs/common';
import type pg from 'pg';
import { hashAuditEntry, type JsonValue } from '#libs/audit';
import { type TestEnvironment, authFetch, createTestEnvironment, loadSample, startApi, uploadCall, uploadForm, waitForCall, withDatabase } from '../support/earshot-harness.js';

/** Regressions of issue 18's defects: each failed before its fix. */
describe('reliability (issue 18)', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    environment = await createTestEnvironment({ JOB_ATTEMPTS: '1', AUDIT_CHAIN_KEY: 'an audit chain key of at least thirty-two characters' });
    ({ app, baseUrl } = await startApi(environment.env));
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await environment?.dispose();
  });

  it('answers 404 for the evaluation history of an unknown call', async () => {
    const response = await authFetch(`${baseUrl}/v1/calls/00000000-0000-4000-8000-000000000000/evaluation/history`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { message: string }).message).toMatch(/call/);
  });

  it('shows a failed call its reason without storage paths or ffmpeg internals', async () => {
    const sample = await loadSample('en-compliant');
    // a WAV header over bytes that are not audio: accepted at upload (judged by the first bytes), unreadable to ffmpeg
    const broken = Buffer.concat([sample.audio.subarray(0, 12), Buffer.from('garbage that is not a fmt chunk'.repeat(200))]);
    const upload = await uploadCall(baseUrl, uploadForm({ audio: broken, metadata: { ...sample.metadata, externalId: 'broken-audio-1' }, transcript: sample.transcript }));
    expect(upload.status).toBe(201);
    const call = await waitForCall(baseUrl, upload.body.id as string, 45_000);
    expect(call.status).toBe('failed');
    expect(call.failure?.reason).toMatch(/\S/);
    expect(call.failure?.reason).not.toMatch(/(^|[\s'"(])\/[\w.-]+\//);
    expect(call.failure?.reason).not.toMatch(/0x[0-9a-f]{6,}|@ 0x/i);
  }, 60_000);

  it('anchors the audit chain outside the database: a re-hashed rewrite and a truncated tail no longer verify', async () => {
    type Verification = { ok: boolean; reason?: string; anchor: { checked: boolean; problem?: string | null } };
    const verify = async () => (await (await authFetch(`${baseUrl}/v1/audit/verify`)).json()) as Verification;
    for (let i = 0; i < 3; i++) expect((await authFetch(`${baseUrl}/v1/calls/00000000-0000-4000-8000-00000000000${i}/evaluation/history`)).status).toBe(404);
    const anchored = await authFetch(`${baseUrl}/v1/audit/anchor`, { method: 'POST' });
    expect(anchored.status).toBe(200);
    const { checkpoint } = (await anchored.json()) as { checkpoint: { id: string; hash: string; signature: string } };
    expect(checkpoint.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(await verify()).toMatchObject({ ok: true, anchor: { checked: true, problem: null } });

    // a database owner rewrites the first entry and recomputes every later hash: the chain itself still verifies
    await withDatabase(environment.databaseUrl, async (db: pg.Client) => {
      await db.query("SET session_replication_role = 'replica'");
      const rows = (await db.query('SELECT id, at, actor, action, "entityType", "entityId", details FROM "AuditEvent" ORDER BY id')).rows as {
        id: string; at: Date; actor: string; action: string; entityType: string; entityId: string | null; details: JsonValue | null;
      }[];
      let prevHash = '0'.repeat(64);
      for (const [index, row] of rows.entries()) {
        const content = { ...row, actor: index === 0 ? 'someone else' : row.actor };
        const hash = hashAuditEntry(prevHash, content);
        await db.query('UPDATE "AuditEvent" SET actor = $1, "prevHash" = $2, hash = $3 WHERE id = $4', [content.actor, prevHash, hash, row.id]);
        prevHash = hash;
      }
    });
    const rewritten = await verify();
    expect(rewritten.ok).toBe(false);
    expect(rewritten.reason).toMatch(/rewritten and re-hashed/);

    // and deletes the newest entries, the anchored one among them
    await withDatabase(environment.databaseUrl, async (db: pg.Client) => {
      await db.query("SET session_replication_role = 'replica'");
      await db.query('DELETE FROM "AuditEvent" WHERE id >= $1', [String(BigInt(checkpoint.id) - 1n)]);
    });
    const truncated = await verify();
    expect(truncated.ok).toBe(false);
    expect(truncated.reason).toMatch(/truncated/);
  }, 60_000);
});
