import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import {
  type CallView,
  TEST_ADMIN_EMAIL,
  type TestEnvironment,
  authFetch,
  createTestEnvironment,
  createUser,
  loadSample,
  startApi,
  uploadCall,
  uploadForm,
  waitForCall,
  withDatabase as queryDatabase,
} from '../support/earshot-harness.js';

type Json = Record<string, unknown>;
interface AuditItem {
  id: string;
  at: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string | null;
  details: Json | null;
}
const ADMIN = `user:${TEST_ADMIN_EMAIL}`;

/** The reads the compliance desk of the console needs: audit filters, opt-out search and history, delivery log pages, critical findings by family, the retention schedule. */
describe('compliance desk API (real Postgres, Redis, s3rver)', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;
  let violating: CallView;
  let compliant: CallView;
  let qaToken: string;

  const request = async (method: string, path: string, body?: unknown, token?: string) => {
    const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await authFetch(`${baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as Json };
  };
  const withDatabase = <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => queryDatabase(environment.databaseUrl, work);

  beforeAll(async () => {
    environment = await createTestEnvironment();
    ({ app, baseUrl } = await startApi(environment.env));
    const bad = await loadSample('en-guaranteed-returns');
    const good = await loadSample('en-compliant');
    const uploads = await Promise.all([
      uploadCall(baseUrl, uploadForm({ audio: bad.audio, metadata: bad.metadata, transcript: bad.transcript })),
      uploadCall(baseUrl, uploadForm({ audio: good.audio, metadata: good.metadata, transcript: good.transcript })),
    ]);
    expect(uploads.map((u) => u.status)).toEqual([201, 201]);
    [violating, compliant] = await Promise.all(uploads.map((u) => waitForCall(baseUrl, u.body.id as string, 60_000)));
    expect([violating.status, compliant.status]).toEqual(['completed', 'completed']);
    qaToken = await createUser(baseUrl, { email: 'qa-desk@earshot.test', role: 'qa_lead' });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await environment?.dispose();
  });

  describe('audit log filters', () => {
    it('filters by actor, action prefix, call and period, newest first', async () => {
      const finding = violating.findings[0];
      if (!finding) throw new Error('the violating sample has no finding');
      expect((await request('POST', `/v1/findings/${finding.id}/review`, { decision: 'confirmed' })).status).toBe(200);
      expect((await request('PUT', `/v1/calls/${compliant.id}/legal-hold`, { reason: 'Matter 7' })).status).toBe(200);

      const byCall = await request('GET', `/v1/audit?callId=${violating.id}`);
      expect(byCall.status).toBe(200);
      const callItems = byCall.body.items as AuditItem[];
      expect(callItems.some((item) => item.action === 'finding.reviewed' || item.action.startsWith('finding.'))).toBe(true);
      expect(callItems.every((item) => item.entityId === violating.id || item.details?.callId === violating.id)).toBe(true);

      const holds = await request('GET', '/v1/audit?action=call.legal_hold.');
      expect((holds.body.items as AuditItem[]).map((item) => [item.action, item.entityId])).toEqual([['call.legal_hold.placed', compliant.id]]);

      const byActor = await request('GET', `/v1/audit?actor=${encodeURIComponent(ADMIN)}&action=call.legal_hold.placed`);
      expect((byActor.body.items as AuditItem[]).length).toBe(1);
      expect((await request('GET', '/v1/audit?actor=user:nobody@earshot.test')).body.items).toEqual([]);

      const future = new Date(Date.now() + 3_600_000).toISOString();
      expect((await request('GET', `/v1/audit?from=${future}`)).body.items).toEqual([]);
      const all = (await request('GET', `/v1/audit?to=${future}&limit=1000`)).body.items as AuditItem[];
      expect(all.length).toBeGreaterThan(2);
      expect(all.map((item) => Number(item.id))).toEqual([...all.map((item) => Number(item.id))].sort((a, b) => b - a));
    });

    it('answers 400 naming the field for a bad call id, action or period', async () => {
      const badCall = await request('GET', '/v1/audit?callId=nope');
      expect(badCall.status).toBe(400);
      expect(JSON.stringify(badCall.body)).toContain('callId');
      const badAction = await request('GET', '/v1/audit?action=DROP%20TABLE');
      expect(badAction.status).toBe(400);
      expect(JSON.stringify(badAction.body)).toContain('action');
      const badFrom = await request('GET', '/v1/audit?from=yesterday');
      expect(badFrom.status).toBe(400);
      expect(JSON.stringify(badFrom.body)).toContain('from');
    });
  });

  describe('opt-out registry', () => {
    it('searches by number, removes with a reason and shows the history with who and why', async () => {
      expect((await request('POST', '/v1/opt-outs', { phone: '+14155550101', evidence: 'asked on call 12' })).status).toBe(201);
      expect((await request('POST', '/v1/opt-outs', { phone: '+14155550102' })).status).toBe(201);

      const search = await request('GET', `/v1/opt-outs?phone=${encodeURIComponent('(415) 555-0101')}&country=US`);
      expect(search.status).toBe(200);
      expect((search.body.items as { phone: string }[]).map((item) => item.phone)).toEqual(['+14155550101']);
      const badSearch = await request('GET', '/v1/opt-outs?phone=12');
      expect(badSearch.status).toBe(400);
      expect(JSON.stringify(badSearch.body)).toContain('query.phone');

      const removed = await request('DELETE', `/v1/opt-outs/${encodeURIComponent('+14155550101')}?reason=${encodeURIComponent('consented again in writing')}`);
      expect(removed.status).toBe(200);
      const emptyReason = await request('DELETE', `/v1/opt-outs/${encodeURIComponent('+14155550102')}?reason=%20`);
      expect(emptyReason.status).toBe(400);
      expect(JSON.stringify(emptyReason.body)).toContain('reason');

      const history = await request('GET', `/v1/opt-outs/${encodeURIComponent('+14155550101')}/history`);
      expect(history.status).toBe(200);
      expect((history.body.entries as { removedAt: string | null; evidence: string | null }[]).map((e) => [e.evidence, e.removedAt !== null])).toEqual([['asked on call 12', true]]);
      const events = history.body.events as AuditItem[];
      expect(events.map((e) => [e.action, e.actor, e.details?.reason ?? e.details?.evidence])).toEqual([
        ['opt_out.removed', ADMIN, 'consented again in writing'],
        ['opt_out.added', ADMIN, 'asked on call 12'],
      ]);
      // the other number's history is its own
      const other = await request('GET', `/v1/opt-outs/${encodeURIComponent('+14155550102')}/history`);
      expect((other.body.events as AuditItem[]).map((e) => e.action)).toEqual(['opt_out.added']);
    });

    it('pages the webhook delivery log by cursor and filters it by state', async () => {
      await withDatabase(async (db) => {
        for (const [n, status, attempts] of [
          [1, 'delivered', 1],
          [2, 'pending', 3],
          [3, 'failed', 8],
        ] as const) {
          await db.query(
            `INSERT INTO "WebhookDelivery" (id, "eventId", "eventType", url, payload, status, attempts, "lastError", "createdAt", "updatedAt")
             VALUES (gen_random_uuid(), $1, 'opt_out.created', 'https://crm.example/hook', '{}', $2::"WebhookDeliveryStatus", $3, $4, now() - ($5 || ' minutes')::interval, now())`,
            [`evt-desk-${n}`, status, attempts, status === 'delivered' ? null : 'HTTP 503', String(10 - n)],
          );
        }
      });
      const first = await request('GET', '/v1/opt-outs/webhook-deliveries?limit=2');
      expect(first.status).toBe(200);
      expect((first.body.items as { eventId: string }[]).map((d) => d.eventId)).toEqual(['evt-desk-3', 'evt-desk-2']);
      expect(typeof first.body.nextCursor).toBe('string');
      const second = await request('GET', `/v1/opt-outs/webhook-deliveries?limit=2&cursor=${first.body.nextCursor as string}`);
      expect((second.body.items as { eventId: string }[]).map((d) => d.eventId)).toEqual(['evt-desk-1']);
      expect(second.body.nextCursor).toBeNull();
      const retrying = await request('GET', '/v1/opt-outs/webhook-deliveries?status=pending');
      expect((retrying.body.items as { eventId: string; attempts: number }[]).map((d) => [d.eventId, d.attempts])).toEqual([['evt-desk-2', 3]]);
      const bad = await request('GET', '/v1/opt-outs/webhook-deliveries?status=lost');
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toContain('status');
    });
  });

  it('counts critical findings by rule family', async () => {
    const counts = await request('GET', '/v1/findings/counts?severity=critical');
    expect(counts.status).toBe(200);
    const expected: Record<string, number> = {};
    for (const finding of [...violating.findings, ...compliant.findings])
      if (finding.severity === 'critical' && finding.family) expected[finding.family] = (expected[finding.family] ?? 0) + 1;
    expect(Object.keys(expected).length).toBeGreaterThan(0);
    expect(counts.body.byFamily).toEqual(expected);
  });

  describe('retention schedule', () => {
    it('dates each stored recording by its campaign retention; none while held or kept forever; compliance only', async () => {
      await withDatabase((db) => db.query('UPDATE "Campaign" SET "retentionDays" = 30'));
      const response = await request('GET', '/v1/retention/schedule?limit=1');
      expect(response.status).toBe(200);
      const firstPage = response.body.items as { callId: string; startedAt: string; deleteAt: string | null; legalHold: boolean; campaign: string }[];
      const second = await request('GET', `/v1/retention/schedule?limit=1&cursor=${response.body.nextCursor as string}`);
      const items = [...firstPage, ...(second.body.items as typeof firstPage)];
      expect(items.map((item) => item.callId).sort()).toEqual([violating.id, compliant.id].sort());
      for (const item of items) {
        if (item.callId === compliant.id) expect([item.legalHold, item.deleteAt]).toEqual([true, null]);
        else expect(item.deleteAt).toBe(new Date(new Date(item.startedAt).getTime() + 30 * 86_400_000).toISOString());
      }
      await withDatabase((db) => db.query('UPDATE "Campaign" SET "retentionDays" = NULL'));
      const forever = (await request('GET', '/v1/retention/schedule')).body.items as { deleteAt: string | null }[];
      expect(forever.map((item) => item.deleteAt)).toEqual([null, null]);

      expect((await request('GET', '/v1/retention/schedule?limit=0')).status).toBe(400);
      expect((await request('GET', '/v1/retention/schedule?cursor=garbage')).status).toBe(400);
      expect((await request('GET', '/v1/retention/schedule', undefined, qaToken)).status).toBe(403);
    });
  });
});
