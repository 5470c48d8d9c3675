import { randomBytes } from 'node:crypto';
import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import { SIGNATURE_HEADER, verifyWebhookSignature } from '#libs/webhooks';
import {
  type SampleCall,
  type TestEnvironment,
  createTestEnvironment,
  loadSample,
  startApi,
  uploadCall,
  uploadForm,
  waitForCall,
  authFetch,
} from '../support/earshot-harness.js';

const SECRET = 'e2e-opt-out-secret-0123456789';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  answered: number;
}

/** A dialer stand-in on 127.0.0.1: answers 500 to the first delivery, 200 afterwards, and keeps what it got. */
async function startReceiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answered = received.length === 0 ? 500 : 200;
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8'), answered });
      response.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/hooks/opt-out`, received };
}

function variant(sample: SampleCall, externalId: string, startedAt: string): SampleCall {
  const audio = Buffer.concat([sample.audio, randomBytes(16).map((b) => b & 0x01)]);
  return { ...sample, audio, metadata: { ...sample.metadata, externalId, startedAt } };
}

async function json(response: Response): Promise<{ status: number; body: Record<string, unknown> }> {
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function poll<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms (last ${JSON.stringify(value)})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('compliance: opt-out registry, metadata checks, opt-out webhook, backtest (real Postgres, Redis, s3rver)', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let sample: SampleCall;
  let db: pg.Client;

  beforeAll(async () => {
    receiver = await startReceiver();
    environment = await createTestEnvironment({
      OPTOUT_WEBHOOK_URL: receiver.url,
      OPTOUT_WEBHOOK_SECRET: SECRET,
      WEBHOOK_BACKOFF_MS: '100',
    });
    ({ app, baseUrl } = await startApi(environment.env));
    sample = await loadSample('en-guaranteed-returns');
    db = new pg.Client({ connectionString: environment.databaseUrl });
    await db.connect();
  }, 60_000);

  afterAll(async () => {
    await db?.end();
    await app?.close();
    await environment?.dispose();
    await new Promise((resolve) => receiver?.server.close(resolve));
  }, 30_000);

  describe('registry API', () => {
    const post = (body: unknown) =>
      authFetch(`${baseUrl}/v1/opt-outs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(json);

    it('rejects a bad number with a 400 naming the field', async () => {
      const bad = await post({ phone: '555-12' });
      expect(bad.status).toBe(400);
      expect((bad.body.message as string[])[0]).toMatch(/^body\.phone: /);
      const check = await authFetch(`${baseUrl}/v1/opt-outs/check?phone=hello`).then(json);
      expect(check.status).toBe(400);
      expect((check.body.message as string[])[0]).toMatch(/^query\.phone: /);
    });

    it('adds once (E.164-normalised), checks, lists with pagination and removes', async () => {
      const first = await post({ phone: '(212) 555-0187', country: 'US', source: 'sms_unsubscribe', evidence: 'STOP reply' });
      expect(first.status).toBe(201);
      expect(first.body.optOut).toMatchObject({ phone: '+12125550187', source: 'sms_unsubscribe', evidence: 'STOP reply', removedAt: null });
      const again = await post({ phone: '+1 212 555 0187' });
      expect(again.status).toBe(200);
      expect(again.body.created).toBe(false);
      for (const n of ['0190', '0191', '0192']) expect((await post({ phone: `+1212555${n}` })).status).toBe(201);

      const check = await authFetch(`${baseUrl}/v1/opt-outs/check?phone=${encodeURIComponent('+12125550187')}`).then(json);
      expect(check.body).toMatchObject({ phone: '+12125550187', optedOut: true });
      const before = await authFetch(`${baseUrl}/v1/opt-outs/check?phone=${encodeURIComponent('+12125550187')}&at=2000-01-01T00:00:00Z`).then(json);
      expect(before.body.optedOut).toBe(false);

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: Record<string, unknown> } = await authFetch(`${baseUrl}/v1/opt-outs?limit=3${cursor ? `&cursor=${cursor}` : ''}`).then(json);
        const items = page.body.items as { phone: string }[];
        expect(items.length).toBeLessThanOrEqual(3);
        seen.push(...items.map((item) => item.phone));
        cursor = page.body.nextCursor as string | null;
      } while (cursor);
      expect(seen.sort()).toEqual(['+12125550187', '+12125550190', '+12125550191', '+12125550192']);
      expect((await authFetch(`${baseUrl}/v1/opt-outs?limit=0`).then(json)).status).toBe(400);

      const removed = await authFetch(`${baseUrl}/v1/opt-outs/${encodeURIComponent('+12125550190')}`, { method: 'DELETE' }).then(json);
      expect(removed.body).toMatchObject({ phone: '+12125550190', removed: 1 });
      expect((await authFetch(`${baseUrl}/v1/opt-outs/${encodeURIComponent('+12125550190')}`, { method: 'DELETE' })).status).toBe(404);
      const after = await authFetch(`${baseUrl}/v1/opt-outs/check?phone=${encodeURIComponent('+12125550190')}`).then(json);
      expect(after.body.optedOut).toBe(false);
      expect((after.body.entries as unknown[]).length).toBe(1);
    });

    it('imports a CSV all or nothing, naming the bad line and column', async () => {
      const upload = (csv: string) => {
        const form = new FormData();
        form.set('file', new Blob([csv], { type: 'text/csv' }), 'opt-outs.csv');
        return authFetch(`${baseUrl}/v1/opt-outs/import`, { method: 'POST', body: form }).then(json);
      };
      const bad = await upload('phone,source\n+13125550100,import\nnope,import\n');
      expect(bad.status).toBe(422);
      expect(bad.body.message).toEqual([expect.stringMatching(/^line 3: phone: /)]);
      const none = await authFetch(`${baseUrl}/v1/opt-outs/check?phone=${encodeURIComponent('+13125550100')}`).then(json);
      expect(none.body.optedOut).toBe(false);

      const good = await upload('phone,country,effective_at\n+13125550100,,2026-01-01T00:00:00Z\n312-555-0101,US,\n+12125550187,,\n');
      expect(good.status).toBe(200);
      expect(good.body).toEqual({ rows: 3, created: 2, alreadyOptedOut: 1 });
      const imported = await authFetch(`${baseUrl}/v1/opt-outs/check?phone=${encodeURIComponent('+13125550101')}`).then(json);
      expect(imported.body.optOut).toMatchObject({ source: 'import' });
    });
  });

  describe('pipeline', () => {
    const ids: Record<string, string> = {};

    it('registers a customer stop request once and delivers a signed opt-out webhook, retried after a 500', async () => {
      const upload = await uploadCall(baseUrl, uploadForm({ audio: sample.audio, metadata: sample.metadata, transcript: sample.transcript }));
      expect(upload.status).toBe(201);
      ids.first = upload.body.id as string;
      const call = await waitForCall(baseUrl, ids.first, 60_000);
      expect(call.status).toBe('completed');
      expect(call.findings.map((f) => f.family)).toContain('opt_out_request');
      expect(call.findings.filter((f) => f.ruleId.startsWith('metadata.'))).toEqual([]);

      const check = await authFetch(`${baseUrl}/v1/opt-outs/check?phone=${encodeURIComponent('+14155550123')}`).then(json);
      expect(check.body.optedOut).toBe(true);
      expect(check.body.optOut).toMatchObject({ source: 'call_detected', sourceCallId: ids.first, evidence: expect.stringMatching(/stop calling me/i) });
      const effectiveAt = Date.parse((check.body.optOut as { effectiveAt: string }).effectiveAt);
      expect(effectiveAt).toBeGreaterThan(Date.parse(sample.metadata.startedAt as string));

      const log = await poll(
        'webhook delivered',
        async () => (await authFetch(`${baseUrl}/v1/opt-outs/webhook-deliveries`).then(json)).body.items as { status: string; attempts: number; lastStatusCode: number; attemptLog: { statusCode: number }[] }[],
        (items) => items[0]?.status === 'delivered',
      );
      expect(log).toHaveLength(1);
      expect(log[0]).toMatchObject({ status: 'delivered', attempts: 2, lastStatusCode: 200 });
      expect(log[0]?.attemptLog.map((a) => a.statusCode)).toEqual([500, 200]);

      expect(receiver.received.map((r) => r.answered)).toEqual([500, 200]);
      for (const got of receiver.received) {
        expect(verifyWebhookSignature(SECRET, got.headers[SIGNATURE_HEADER] as string, got.body)).toBe(true);
        expect(verifyWebhookSignature('another-secret-0123456789', got.headers[SIGNATURE_HEADER] as string, got.body)).toBe(false);
      }
      const event = JSON.parse(receiver.received[1]?.body ?? '{}') as { type: string; data: Record<string, unknown> };
      expect(event.type).toBe('opt_out.created');
      expect(event.data).toMatchObject({ phone: '+14155550123', source: 'call_detected', callId: ids.first });
      expect(receiver.received[0]?.body).toBe(receiver.received[1]?.body);
    }, 90_000);

    it('flags later calls to the opted-out number: opted out (critical), outside hours and over the daily limit (major)', async () => {
      const late = variant(sample, 'compliance-late', '2026-11-20T22:30:00-08:00');
      const later = variant(sample, 'compliance-later', '2026-11-20T23:00:00-08:00');
      for (const [key, s] of [['late', late], ['later', later]] as const) {
        const upload = await uploadCall(baseUrl, uploadForm({ audio: s.audio, metadata: s.metadata, transcript: s.transcript }));
        expect(upload.status).toBe(201);
        ids[key] = upload.body.id as string;
        expect((await waitForCall(baseUrl, ids[key], 60_000)).status).toBe('completed');
      }
      const metadataFindings = async (id: string | undefined) =>
        (await waitForCall(baseUrl, id ?? '')).findings
          .filter((f) => f.ruleId.startsWith('metadata.'))
          .map((f) => `${f.ruleId}:${f.severity}`)
          .sort();
      expect(await metadataFindings(ids.late)).toEqual(['metadata.calling_hours:major', 'metadata.opted_out_number:critical']);
      expect(await metadataFindings(ids.later)).toEqual([
        'metadata.calling_hours:major',
        'metadata.dial_frequency:major',
        'metadata.opted_out_number:critical',
      ]);
      // The repeated stop requests add nothing: the number was already opted out.
      const entries = await authFetch(`${baseUrl}/v1/opt-outs/check?phone=${encodeURIComponent('+14155550123')}`).then(json);
      expect((entries.body.entries as unknown[]).length).toBe(1);
      const log = await authFetch(`${baseUrl}/v1/opt-outs/webhook-deliveries`).then(json);
      expect((log.body.items as unknown[]).length).toBe(1);
    }, 120_000);

    it('flags a later call to a number whose stop request the registry does not hold: called after a stop request (critical)', async () => {
      const phone = '+14155550999';
      const upload = async (externalId: string, startedAt: string) => {
        const s = variant(sample, externalId, startedAt);
        const answer = await uploadCall(baseUrl, uploadForm({ audio: s.audio, metadata: { ...s.metadata, customerPhone: phone }, transcript: s.transcript }));
        expect(answer.status).toBe(201);
        return waitForCall(baseUrl, answer.body.id as string, 60_000);
      };
      const asked = await upload('compliance-asked', '2026-11-18T10:00:00-08:00');
      expect(asked.findings.map((f) => f.family)).toContain('opt_out_request');
      // as if the request had been made before the registry existed: only the call's finding remembers it
      await db.query(`DELETE FROM "OptOut" WHERE phone = $1`, [phone]);
      const next = await upload('compliance-next', '2026-11-19T10:00:00-08:00');
      const prior = next.findings.filter((f) => f.ruleId === 'metadata.prior_stop_request');
      expect(prior.map((f) => [f.family, f.severity])).toEqual([['called_after_stop_request', 'critical']]);
      // its evidence is the earlier call's stop request
      expect(String(prior[0]?.evidence.text)).toMatch(/stop calling me/i);
    }, 120_000);

    it('backtests a draft rule: hits, examples and precision against reviews, writing nothing', async () => {
      await db.query(`UPDATE "Finding" SET "reviewState" = 'confirmed' WHERE "callId" = $1 AND family = 'guaranteed_returns'`, [ids.first]);
      await db.query(`UPDATE "Finding" SET "reviewState" = 'dismissed' WHERE "callId" = $1 AND family = 'guaranteed_returns'`, [ids.late]);
      const findingsBefore = (await db.query('SELECT count(*)::int AS n, max("updatedAt") AS t FROM "Finding"')).rows[0];

      const rule = {
        id: 'draft.risk-free',
        version: 1,
        family: 'guaranteed_returns',
        severity: 'critical',
        dimension: 'compliance',
        description: 'risk free claims',
        regulation: 'FINRA Rule 2210(d)(1)(B)',
        speaker: 'agent',
        match: { phrases: ['risk free'] },
      };
      const response = await authFetch(`${baseUrl}/v1/rules/backtest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ rule, filter: { callIds: [ids.first, ids.late] } }),
      }).then(json);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ calls: 2, callsWithHits: 2 });
      const [summary] = response.body.rules as { ruleId: string; hits: number; examples: { text: string }[]; reviewed: { confirmed: number; dismissed: number; precision: number } }[];
      expect(summary).toMatchObject({ ruleId: 'draft.risk-free', hits: 2 });
      expect(summary?.examples[0]?.text?.toLowerCase()).toBe('risk free');
      expect(summary?.reviewed).toMatchObject({ confirmed: 1, dismissed: 1, precision: 0.5 });

      const findingsAfter = (await db.query('SELECT count(*)::int AS n, max("updatedAt") AS t FROM "Finding"')).rows[0];
      expect(findingsAfter).toEqual(findingsBefore);

      const bad = await authFetch(`${baseUrl}/v1/rules/backtest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ rule: { ...rule, match: { regex: '(' } } }),
      }).then(json);
      expect(bad.status).toBe(400);
      expect((bad.body.message as string[]).join(' ')).toMatch(/body\.rule\.match\.regex/);
    }, 60_000);
  });
});
