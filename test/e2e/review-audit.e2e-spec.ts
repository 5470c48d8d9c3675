import { setTimeout as sleep } from 'node:timers/promises';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import {
  type CallView,
  type TestEnvironment,
  createTestEnvironment,
  loadSample,
  startApi,
  uploadCall,
  uploadForm,
  waitForCall,
  authFetch,
  createUser,
  withDatabase as queryDatabase,
} from '../support/earshot-harness.js';

type Json = Record<string, unknown>;

interface QueueItem {
  id: string;
  callId: string;
  ruleId: string;
  severity: string;
  reviewState: string;
  assignedTo: string | null;
  createdAt: string;
  call: { agent: string | null; group: string | null; team: string | null; campaign: string | null };
}

interface AuditItem {
  id: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string | null;
  details: Json | null;
}

const AGENT = 'agent-001';
// the people acting in this file, and how the audit log names them
const LEAD = 'user:lead@earshot.test';
const AGENT_USER = 'user:dana@earshot.test';
const COMPLIANCE = 'user:compliance@earshot.test';
const TRAINER = 'user:trainer@earshot.test';
const ADMIN = 'user:admin@earshot.test';
const SEVERITY_RANK: Record<string, number> = { critical: 0, major: 1, minor: 2 };

describe('review queue, evaluation disputes and the hash-chained audit log (real Postgres, Redis, s3rver)', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;
  let call: CallView;
  const tokens: Record<string, string> = {};
  const as = (actor: string) => ({ authorization: `Bearer ${tokens[actor]}` });

  const request = async (method: string, path: string, body?: unknown, actor?: string) => {
    const headers: Record<string, string> = actor ? as(actor) : {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await authFetch(`${baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Json };
  };
  const queue = async (query: string) => {
    const response = await request('GET', `/v1/findings?${query}`);
    expect(response.status).toBe(200);
    return response.body as { items: QueueItem[]; nextCursor: string | null };
  };
  const audit = async (query: string) => {
    const response = await request('GET', `/v1/audit?${query}`);
    expect(response.status).toBe(200);
    return (response.body as { items: AuditItem[] }).items;
  };
  const withDatabase = <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => queryDatabase(environment.databaseUrl, work);

  beforeAll(async () => {
    environment = await createTestEnvironment();
    ({ app, baseUrl } = await startApi(environment.env));
    const sample = await loadSample('en-guaranteed-returns');
    const upload = await uploadCall(baseUrl, uploadForm({ audio: sample.audio, metadata: sample.metadata, transcript: sample.transcript }));
    expect(upload.status).toBe(201);
    call = await waitForCall(baseUrl, upload.body.id as string);
    expect(call.status).toBe('completed');
    tokens[LEAD] = await createUser(baseUrl, { email: 'lead@earshot.test', role: 'qa_lead' });
    tokens[AGENT_USER] = await createUser(baseUrl, { email: 'dana@earshot.test', role: 'agent', agent: AGENT });
    tokens[COMPLIANCE] = await createUser(baseUrl, { email: 'compliance@earshot.test', role: 'compliance' });
    tokens[TRAINER] = await createUser(baseUrl, { email: 'trainer@earshot.test', role: 'trainer' });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await environment?.dispose();
  });

  it('lists the queue critical first, filters it, pages it by cursor and names a bad filter', async () => {
    const all = await queue('status=pending&limit=500');
    expect(all.items.map((f) => f.id).sort()).toEqual(call.findings.map((f) => f.id).sort());
    const ranks = all.items.map((f) => SEVERITY_RANK[f.severity] ?? 9);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(all.items[0]).toMatchObject({ severity: 'critical', call: { agent: AGENT, group: 'Wealth desk A', team: 'Outbound sales', campaign: 'fund-q4' } });

    const critical = await queue('severity=critical&agent=agent-001&team=Outbound%20sales&group=Wealth%20desk%20A&campaign=fund-q4&source=rule&from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z');
    expect(critical.items.length).toBeGreaterThan(0);
    expect(critical.items.every((f) => f.severity === 'critical')).toBe(true);
    expect((await queue('agent=nobody')).items).toEqual([]);
    expect((await queue('campaign=fund-q4&from=2026-11-21T00:00:00Z')).items).toEqual([]);
    expect((await queue(`ruleId=${encodeURIComponent(critical.items[0]?.ruleId ?? '')}`)).items.every((f) => f.ruleId === critical.items[0]?.ruleId)).toBe(true);

    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: QueueItem[]; nextCursor: string | null } = await queue(`limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      paged.push(...page.items.map((f) => f.id));
      cursor = page.nextCursor;
    } while (cursor && paged.length < 100);
    expect(paged).toEqual(all.items.map((f) => f.id));

    const bad = await request('GET', '/v1/findings?status=maybe&severity=huge');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.message)).toMatch(/query\.status/);
    expect(JSON.stringify(bad.body.message)).toMatch(/query\.severity/);
    expect((await request('GET', '/v1/findings?cursor=bm90LWEtY3Vyc29y')).status).toBe(400);
  });

  it('assigns a finding to a reviewer, keeps it in the history and names a missing reviewer', async () => {
    const [first] = (await queue('severity=critical')).items;
    if (!first) throw new Error('no critical finding');
    expect((await request('POST', `/v1/findings/${first.id}/assign`, {}, LEAD)).body.message).toEqual(expect.arrayContaining([expect.stringMatching(/^reviewer:/)]));
    expect((await request('POST', '/v1/findings/00000000-0000-4000-8000-000000000000/assign', { reviewer: 'x' }, LEAD)).status).toBe(404);
    const assigned = await request('POST', `/v1/findings/${first.id}/assign`, { reviewer: 'reviewer-7' }, LEAD);
    expect(assigned).toMatchObject({ status: 200, body: { assignedTo: 'reviewer-7', callId: call.id } });
    expect((await queue('assignedTo=reviewer-7')).items.map((f) => f.id)).toEqual([first.id]);
  });

  it('dismissing the critical findings of an auto-failed call re-scores it so it is no longer auto-failed', async () => {
    expect(call.evaluation).toMatchObject({ autoFailed: true });
    const critical = (await queue('severity=critical')).items;
    expect(critical.length).toBeGreaterThan(0);

    const missing = await request('POST', `/v1/findings/${critical[0]?.id}/review`, { decision: 'dismissed' }, LEAD);
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body.message)).toMatch(/reason/);
    const wrong = await request('POST', `/v1/findings/${critical[0]?.id}/review`, { decision: 'maybe' }, LEAD);
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(wrong.body.message)).toMatch(/decision/);

    for (const finding of critical) {
      const dismissed = await request('POST', `/v1/findings/${finding.id}/review`, { decision: 'dismissed', reason: 'quoting the prospectus, not a promise' }, LEAD);
      expect(dismissed).toMatchObject({ status: 200, body: { reviewState: 'dismissed', previous: 'pending', rescore: 'queued' } });
    }

    const deadline = Date.now() + 30_000;
    let latest = call;
    while (Date.now() < deadline) {
      latest = (await request('GET', `/v1/calls/${call.id}`)).body as unknown as CallView;
      if (latest.evaluation && !latest.evaluation.autoFailed) break;
      await sleep(150);
    }
    expect(latest.evaluation?.autoFailed).toBe(false);
    expect((await queue('status=dismissed')).items.map((f) => f.id).sort()).toEqual(critical.map((f) => f.id).sort());

    const history = await request('GET', `/v1/findings/${critical[0]?.id}/reviews`);
    expect((history.body.items as Json[]).map((h) => h.action)).toEqual(['assigned', 'dismissed']);
    expect(history.body.items).toEqual([
      expect.objectContaining({ action: 'assigned', actor: LEAD, reviewer: 'reviewer-7' }),
      expect.objectContaining({ action: 'dismissed', actor: LEAD, reason: 'quoting the prospectus, not a promise' }),
    ]);
  }, 60_000);

  it('reports per-rule precision from the reviews over a period', async () => {
    const others = (await queue('status=pending')).items;
    const target = others[0] ?? (await queue('status=dismissed')).items[0];
    if (!target) throw new Error('no finding to confirm');
    expect((await request('POST', `/v1/findings/${target.id}/review`, { decision: 'confirmed' }, LEAD)).status).toBe(200);
    const reviewed = [...(await queue('status=dismissed')).items, ...(await queue('status=confirmed')).items];

    const today = new Date();
    const from = new Date(today.getTime() - 86_400_000).toISOString();
    const to = new Date(today.getTime() + 86_400_000).toISOString();
    const precision = await request('GET', `/v1/rules/precision?from=${from}&to=${to}`);
    expect(precision.status).toBe(200);
    const rules = precision.body.rules as { ruleId: string; confirmed: number; reviewed: number; precision: number | null }[];
    for (const ruleId of new Set(reviewed.map((f) => f.ruleId))) {
      const mine = reviewed.filter((f) => f.ruleId === ruleId);
      const confirmed = mine.filter((f) => f.reviewState === 'confirmed').length;
      expect(rules.find((r) => r.ruleId === ruleId)).toEqual({ ruleId, confirmed, dismissed: mine.length - confirmed, reviewed: mine.length, precision: confirmed / mine.length });
    }
    const empty = await request('GET', '/v1/rules/precision?from=2020-01-01&to=2020-02-01');
    expect(empty.body.rules).toEqual([]);
    const bad = await request('GET', '/v1/rules/precision?from=yesterday');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.message)).toMatch(/query\.from/);
  });

  it('lets the agent acknowledge and dispute an evaluation and a QA lead rule on it, keeping the history', async () => {
    const base = `/v1/calls/${call.id}/evaluation`;
    expect((await request('POST', `${base}/ruling`, { decision: 'upheld', reason: 'x' }, LEAD)).status).toBe(422);
    expect((await request('POST', `${base}/acknowledge`, {}, AGENT_USER)).body).toMatchObject({ state: 'acknowledged' });
    const noReason = await request('POST', `${base}/dispute`, {}, AGENT_USER);
    expect(noReason.status).toBe(400);
    expect(JSON.stringify(noReason.body.message)).toMatch(/reason/);
    expect((await request('POST', `${base}/dispute`, { reason: 'the customer asked about past performance' }, AGENT_USER)).body).toMatchObject({ state: 'disputed' });
    expect((await request('POST', `${base}/acknowledge`, {}, AGENT_USER)).status).toBe(422);
    const noDecision = await request('POST', `${base}/ruling`, { reason: 'listened to the call' }, LEAD);
    expect(noDecision.status).toBe(400);
    expect(JSON.stringify(noDecision.body.message)).toMatch(/decision/);
    expect((await request('POST', `${base}/ruling`, { decision: 'upheld', reason: 'listened to the call' }, LEAD)).body).toMatchObject({ state: 'upheld' });
    const history = await request('GET', `${base}/history`);
    expect(history.body).toMatchObject({ state: 'upheld' });
    expect((history.body.items as Json[]).map((h) => [h.kind, h.actor, h.ruling])).toEqual([
      ['acknowledged', AGENT_USER, null],
      ['disputed', AGENT_USER, null],
      ['ruling', LEAD, 'upheld'],
    ]);
    expect((await request('POST', '/v1/calls/00000000-0000-4000-8000-000000000000/evaluation/acknowledge', {}, AGENT_USER)).status).toBe(404);
  });

  it('audits reviews, assignments, disputes and every access to a recording, clip or transcript, with the actor', async () => {
    const audio = await authFetch(`${baseUrl}/v1/calls/${call.id}/audio`, { headers: { ...as(COMPLIANCE), range: 'bytes=0-99' } });
    expect(audio.status).toBe(206);
    await audio.arrayBuffer();
    expect((await authFetch(`${baseUrl}/v1/calls/${call.id}`, { headers: as(COMPLIANCE) })).status).toBe(200);

    const callEntries = await audit(`entityType=call&entityId=${call.id}&limit=1000`);
    const actions = callEntries.map((e) => `${e.action}/${e.actor}`);
    expect(actions).toEqual(expect.arrayContaining([`recording.accessed/${COMPLIANCE}`, `call.viewed/${COMPLIANCE}`, `call.viewed/${ADMIN}`, `evaluation.disputed/${AGENT_USER}`, `evaluation.ruling/${LEAD}`, `evaluation.acknowledged/${AGENT_USER}`]));
    expect(callEntries[0]?.action).toBe('call.viewed');

    const dismissed = (await queue('status=dismissed')).items[0];
    const findingEntries = await audit(`entityType=finding&entityId=${dismissed?.id}`);
    expect(findingEntries.map((e) => e.action)).toEqual(['finding.dismissed', 'finding.assigned']);
    expect(findingEntries[0]).toMatchObject({ actor: LEAD, details: { callId: call.id, previous: 'pending', reason: 'quoting the prospectus, not a promise' } });

    const clipped = call.findings.find((f) => f.hasClip);
    if (!clipped) throw new Error('no finding with a clip');
    const clip = await authFetch(`${baseUrl}/v1/findings/${clipped.id}/clip`, { headers: as(TRAINER) });
    expect(clip.status).toBe(200);
    await clip.arrayBuffer();
    expect((await audit(`entityType=finding&entityId=${clipped.id}`))[0]).toMatchObject({ action: 'clip.accessed', actor: TRAINER });
    expect(await audit('entityType=call&entityId=00000000-0000-4000-8000-000000000000')).toEqual([]);

    const page = await request('GET', '/v1/audit?limit=2');
    expect((page.body.items as AuditItem[]).length).toBe(2);
    const next = await request('GET', `/v1/audit?limit=2&cursor=${page.body.nextCursor as string}`);
    expect(BigInt((next.body.items as AuditItem[])[0]?.id ?? '0')).toBeLessThan(BigInt((page.body.items as AuditItem[])[1]?.id ?? '0'));
  });

  it('audits scorecard, threshold and opt-out changes with who made them', async () => {
    const card = { name: 'audited-card', criteria: [{ id: 'no_returns_promise', label: 'No returns promise', weight: 1, critical: false, source: { kind: 'finding_absent', families: ['guaranteed_returns'] } }] };
    const scorecard = await request('POST', '/v1/campaigns/fund-q4/scorecards', card, LEAD);
    expect(scorecard.status).toBe(201);
    expect((await audit(`entityType=scorecard&entityId=${scorecard.body.id as string}`))[0]).toMatchObject({ actor: LEAD, action: 'scorecard.created', details: { campaign: 'fund-q4', name: 'audited-card' } });

    const thresholds = { thresholds: [{ id: 'complaint_rate', metric: 'complaintRate', op: '>', value: 0.005, minSample: 1, severity: 'warning', description: 'Complaint rate above 0.5%' }] };
    expect((await request('PUT', '/v1/thresholds', thresholds, LEAD)).status).toBe(200);
    expect((await audit('entityType=thresholds'))[0]).toMatchObject({ actor: LEAD, action: 'thresholds.replaced' });

    expect((await request('POST', '/v1/opt-outs', { phone: '+14155550999' }, COMPLIANCE)).status).toBe(201);
    expect((await request('DELETE', `/v1/opt-outs/${encodeURIComponent('+14155550999')}`, undefined, COMPLIANCE)).status).toBe(200);
    const optOuts = (await audit('entityType=opt_out')).map((entry) => `${entry.action}/${entry.actor}`);
    expect(optOuts.slice(0, 2)).toEqual([`opt_out.removed/${COMPLIANCE}`, `opt_out.added/${COMPLIANCE}`]);
  });

  it('keeps one chain under concurrent appends', async () => {
    const responses = await Promise.all(Array.from({ length: 20 }, () => request('GET', `/v1/calls/${call.id}`, undefined, COMPLIANCE)));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    const forks = await withDatabase(async (client) => (await client.query('SELECT "prevHash" FROM "AuditEvent" GROUP BY "prevHash" HAVING count(*) > 1')).rows);
    expect(forks).toEqual([]);
    const verify = await request('GET', '/v1/audit/verify');
    expect(verify.body).toMatchObject({ ok: true });
    expect(verify.body.entries as number).toBeGreaterThanOrEqual(30);
  });

  it('refuses UPDATE and DELETE on the log, and verify names the entry tampered with behind its back', async () => {
    const ids = await withDatabase(async (client) => (await client.query<{ id: string }>('SELECT id::text AS id FROM "AuditEvent" ORDER BY id')).rows.map((r) => r.id));
    const victim = ids[Math.floor(ids.length / 2)];
    await withDatabase(async (client) => {
      await expect(client.query(`UPDATE "AuditEvent" SET actor = 'mallory' WHERE id = ${victim}`)).rejects.toThrow(/append-only/);
      await expect(client.query(`DELETE FROM "AuditEvent" WHERE id = ${victim}`)).rejects.toThrow(/append-only/);
    });
    expect((await request('GET', '/v1/audit/verify')).body).toMatchObject({ ok: true, entries: ids.length });

    await withDatabase(async (client) => {
      // A superuser can switch triggers off; the hash chain is what still catches it.
      await client.query('SET session_replication_role = replica');
      await client.query(`UPDATE "AuditEvent" SET actor = 'mallory' WHERE id = ${victim}`);
    });
    const broken = await request('GET', '/v1/audit/verify');
    expect(broken.body).toMatchObject({ ok: false, firstBrokenId: victim });
    expect(broken.body.reason).toMatch(/altered/);
  });
});
