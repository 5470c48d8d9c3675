import type { INestApplication } from '@nestjs/common';
import type pg from 'pg';
import { hashAuditEntry, type JsonValue } from '#libs/audit';
import { type TestEnvironment, authFetch, createTestEnvironment, createUser, startApi, withDatabase } from '../support/earshot-harness.js';

const KEY = 'an audit chain key of at least thirty-two characters';

type Verification = { ok: boolean; entries?: number; firstBrokenId?: string; reason?: string };

/** Issue 18: a keyed chain a database owner cannot re-hash, and anonymous refusals kept off the chain. */
describe('audit chain keyed per entry; anonymous denials off the chain (real Postgres, Redis, s3rver)', () => {
  let environment: TestEnvironment;
  const apps: INestApplication[] = [];

  beforeAll(async () => {
    environment = await createTestEnvironment();
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await environment?.dispose();
  });

  const count = (table: string) => withDatabase(environment.databaseUrl, async (db) => Number((await db.query(`SELECT count(*) FROM "${table}"`)).rows[0].count));

  it('verifies entries written before the key and after it; a rewrite re-hashed without the key fails verify', async () => {
    // entries written before the chain was keyed (the bootstrap admin, a sign-in)
    const unkeyed = await startApi(environment.env, { withWorker: false });
    await unkeyed.app.close();
    const api = await startApi({ ...environment.env, AUDIT_CHAIN_KEY: KEY }, { withWorker: false });
    apps.push(api.app);
    const verify = async () => (await (await authFetch(`${api.baseUrl}/v1/audit/verify`)).json()) as Verification;
    const versions = await withDatabase(environment.databaseUrl, async (db) => (await db.query<{ hashVersion: number }>('SELECT "hashVersion" FROM "AuditEvent" ORDER BY id')).rows.map((r) => r.hashVersion));
    expect(versions[0]).toBe(1);
    expect(versions.at(-1)).toBe(2);
    const intact = await verify();
    expect(intact).toMatchObject({ ok: true });
    expect(intact.entries).toBeGreaterThanOrEqual(versions.length);

    // anonymous: a cookie write without the CSRF header is refused; the refusal is kept, but not on the chain
    const chained = await count('AuditEvent');
    const denied = await fetch(`${api.baseUrl}/v1/calls/00000000-0000-4000-8000-000000000000/reanalyse?${'x'.repeat(16_000)}`, {
      method: 'POST',
      headers: { cookie: `earshot_session=${api.adminToken}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(denied.status).toBe(403);
    expect(await count('AuditEvent')).toBe(chained);
    const event = await withDatabase(environment.databaseUrl, async (db) => (await db.query('SELECT actor, action, "entityId", details FROM "SecurityEvent" ORDER BY id DESC LIMIT 1')).rows[0]);
    expect(event).toMatchObject({ actor: 'anonymous', action: 'access.denied', entityId: 'POST /v1/calls/:id/reanalyse' });
    expect((event.details as { path: string }).path.length).toBeLessThanOrEqual(512);

    // more keyed entries: two users created (each also signs in)
    for (const email of ['lead-1@earshot.test', 'lead-2@earshot.test']) await createUser(api.baseUrl, { email, role: 'qa_lead' });
    expect(await verify()).toMatchObject({ ok: true });

    // a database owner without the key rewrites the second keyed entry, re-hashes the rest with sha256 and marks them unkeyed
    const secondKeyed = await rewriteFrom(environment.databaseUrl, 1, () => 1);
    const downgraded = await verify();
    expect(downgraded).toMatchObject({ ok: false, firstBrokenId: secondKeyed, reason: expect.stringMatching(/unkeyed entry after keyed/) });

    // ...or rewrites the first keyed entry and re-hashes everything after it as well as anyone without the key can
    const firstKeyed = await rewriteFrom(environment.databaseUrl, 0, () => 2);
    const rewritten = await verify();
    expect(rewritten).toMatchObject({ ok: false, firstBrokenId: firstKeyed, reason: expect.stringMatching(/altered/) });
  }, 120_000);
});

/**
 * Rewrites the actor of the `nth` keyed entry and re-hashes it and every later entry with sha256 (no key), giving each
 * the version `versionOf(index)`; triggers bypassed as a database owner can. Returns the rewritten entry's id.
 */
async function rewriteFrom(databaseUrl: string, nth: number, versionOf: (index: number) => number): Promise<string> {
  return withDatabase(databaseUrl, async (db: pg.Client) => {
    await db.query("SET session_replication_role = 'replica'");
    const rows = (await db.query('SELECT id::text AS id, at, actor, action, "entityType", "entityId", details, "prevHash", "hashVersion" FROM "AuditEvent" ORDER BY "AuditEvent".id')).rows as {
      id: string; at: Date; actor: string; action: string; entityType: string; entityId: string | null; details: JsonValue | null; prevHash: string; hashVersion: number;
    }[];
    const firstKeyed = rows.findIndex((row) => row.hashVersion === 2);
    const start = firstKeyed + nth;
    const first = rows[start];
    if (firstKeyed < 0 || !first) throw new Error('no keyed entry to rewrite');
    let prevHash = first.prevHash;
    for (const [index, row] of rows.slice(start).entries()) {
      const content = { ...row, actor: index === 0 ? 'someone else' : row.actor };
      const hash = hashAuditEntry(prevHash, content);
      await db.query('UPDATE "AuditEvent" SET actor = $1, "prevHash" = $2, hash = $3, "hashVersion" = $4 WHERE id = $5', [content.actor, prevHash, hash, versionOf(index), row.id]);
      prevHash = hash;
    }
    return first.id;
  });
}
