import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import {
  type CallView,
  type TestEnvironment,
  TEST_ADMIN_EMAIL,
  TEST_ADMIN_PASSWORD,
  authFetch,
  createTestEnvironment,
  createUser,
  loadSample,
  login,
  startApi,
  uploadCall,
  uploadForm,
  waitForCall,
  withDatabase as queryDatabase,
} from '../support/earshot-harness.js';

type Role = 'admin' | 'qa_lead' | 'compliance' | 'trainer' | 'agent' | 'integration';
const ROLES: Role[] = ['admin', 'qa_lead', 'compliance', 'trainer', 'agent', 'integration'];
const STAFF: Role[] = ['admin', 'qa_lead', 'compliance', 'trainer'];
const MAX_FAILURES = 3;

interface Endpoint {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  allowed: Role[];
  /** mutating endpoints get a body that fails validation, so an allowed call changes nothing */
  body?: unknown;
}

describe('access control: sign-in, API keys, roles on every endpoint, agents see only their own calls', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;
  let own: CallView;
  let other: CallView;
  const tokens = {} as Record<Role, string>;

  const call = async (token: string | undefined, method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text.startsWith('{') ? JSON.parse(text) : {}) as Record<string, unknown> };
  };
  const auditCount = async () => withDatabase(async (db) => Number((await db.query('SELECT count(*) FROM "AuditEvent"')).rows[0].count));
  const lastAudit = async () => withDatabase(async (db) => (await db.query('SELECT actor, action, "entityId", details FROM "AuditEvent" ORDER BY id DESC LIMIT 1')).rows[0]);
  const withDatabase = <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => queryDatabase(environment.databaseUrl, work);

  beforeAll(async () => {
    environment = await createTestEnvironment({ LOGIN_MAX_FAILURES: String(MAX_FAILURES), LOGIN_WINDOW_SECONDS: '600' });
    ({ app, baseUrl } = await startApi(environment.env));
    for (const [name, target] of [['en-guaranteed-returns', 'own'], ['en-compliant', 'other']] as const) {
      const sample = await loadSample(name);
      const upload = await uploadCall(baseUrl, uploadForm({ audio: sample.audio, metadata: sample.metadata, transcript: sample.transcript }));
      const done = await waitForCall(baseUrl, upload.body.id as string, 60_000);
      expect(done.status).toBe('completed');
      if (target === 'own') own = done;
      else other = done;
    }
    tokens.agent = await createUser(baseUrl, { email: 'dana@earshot.test', role: 'agent', agent: 'agent-001' });
    for (const role of ROLES.filter((r) => r !== 'agent')) {
      const created = await authFetch(`${baseUrl}/v1/api-keys`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: `${role}-key`, role }) });
      expect(created.status).toBe(201);
      tokens[role] = ((await created.json()) as { key: string }).key;
    }
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await environment?.dispose();
  });

  it('answers 401 with a clear body and WWW-Authenticate without credentials or with a bad token; health stays open', async () => {
    const none = await call(undefined, 'GET', '/v1/calls');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(none.body).toMatchObject({ statusCode: 401, error: 'unauthorized', message: expect.stringMatching(/Authorization: Bearer/) });
    for (const token of ['ess_forged', 'esk_forged', 'not-even-a-prefix']) {
      const bad = await call(token, 'GET', '/v1/calls');
      expect(bad.status).toBe(401);
      expect(bad.body.message).toMatch(/unknown, expired or revoked/);
    }
    expect((await call(undefined, 'GET', '/health')).status).toBe(200);
  });

  it('every operation in the OpenAPI document names its roles, and each non-public one refuses a caller without credentials', async () => {
    const document = (await (await authFetch(`${baseUrl}/docs-json`)).json()) as { paths: Record<string, Record<string, { 'x-roles'?: string[] }>> };
    const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method, roles: operation['x-roles'] })));
    expect(operations.length).toBeGreaterThan(60);
    const unnamed = operations.filter((operation) => !operation.roles?.length).map((operation) => `${operation.method} ${operation.path}`);
    expect(unnamed).toEqual([]);
    const open: string[] = [];
    for (const operation of operations) {
      const concrete = operation.path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
      const response = await call(undefined, operation.method.toUpperCase(), concrete, operation.method === 'get' ? undefined : {});
      if (response.status !== 401) open.push(`${operation.method} ${operation.path} -> ${response.status}`);
    }
    expect(open.sort()).toEqual(['get /health -> 200', 'post /v1/auth/login -> 400']);
  });

  it('signs in, audits every attempt, and after too many failures answers 429 even to the right password', async () => {
    const before = await auditCount();
    for (let attempt = 1; attempt <= MAX_FAILURES; attempt++) {
      const wrong = await call(undefined, 'POST', '/v1/auth/login', { email: TEST_ADMIN_EMAIL, password: `wrong ${attempt}` });
      expect(wrong.status).toBe(401);
      expect(wrong.body.message).toBe('wrong email or password, or the user is disabled');
    }
    expect(await lastAudit()).toMatchObject({ action: 'auth.login.failed', details: { reason: 'wrong password', email: TEST_ADMIN_EMAIL } });
    const blocked = await call(undefined, 'POST', '/v1/auth/login', { email: TEST_ADMIN_EMAIL, password: TEST_ADMIN_PASSWORD });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // refused before any password check: a security event, not an entry on the audit chain (issue 18)
    expect(await withDatabase(async (db) => (await db.query('SELECT action, "entityId" FROM "SecurityEvent" ORDER BY id DESC LIMIT 1')).rows[0])).toMatchObject({
      action: 'auth.login.blocked',
      entityId: TEST_ADMIN_EMAIL,
    });
    expect(await auditCount()).toBe(before + MAX_FAILURES);

    // an unknown email fails the same way, and other users are not locked out
    expect((await call(undefined, 'POST', '/v1/auth/login', { email: 'nobody@earshot.test', password: 'whatever it is' })).status).toBe(401);
    expect(await lastAudit()).toMatchObject({ action: 'auth.login.failed', details: { reason: 'unknown email' } });
    const token = await login(baseUrl, 'dana@earshot.test', 'dana@earshot.test password');
    expect(await lastAudit()).toMatchObject({ action: 'auth.login', actor: 'user:dana@earshot.test' });
    const me = await call(token, 'GET', '/v1/auth/me');
    expect(me.body).toMatchObject({ kind: 'user', email: 'dana@earshot.test', role: 'agent', agent: { externalId: 'agent-001' } });

    expect((await call(token, 'POST', '/v1/auth/logout')).status).toBe(204);
    expect((await call(token, 'GET', '/v1/auth/me')).status).toBe(401);
    const missing = await call(undefined, 'POST', '/v1/auth/login', { email: 'x@y.z' });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toEqual(expect.arrayContaining([expect.stringMatching(/^password:/)]));
  });

  it('shows an API key once, stores only its hash, lists it by prefix and stops accepting it once revoked', async () => {
    const created = await authFetch(`${baseUrl}/v1/api-keys`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'dialer-eu', role: 'integration' }) });
    const key = (await created.json()) as { id: string; key: string; prefix: string };
    expect(key.key.startsWith(key.prefix)).toBe(true);
    const stored = await withDatabase(async (db) => (await db.query('SELECT "keyHash" FROM "ApiKey" WHERE id = $1', [key.id])).rows[0].keyHash as string);
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(stored).not.toContain(key.key.slice(4));
    const listed = (await (await authFetch(`${baseUrl}/v1/api-keys`)).json()) as { items: Record<string, unknown>[] };
    const entry = listed.items.find((item) => item.id === key.id);
    expect(entry).toMatchObject({ name: 'dialer-eu', role: 'integration', prefix: key.prefix, revokedAt: null });
    expect(JSON.stringify(listed)).not.toContain(key.key);

    expect((await call(key.key, 'GET', '/v1/opt-outs')).status).toBe(200);
    expect((await authFetch(`${baseUrl}/v1/api-keys/${key.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await call(key.key, 'GET', '/v1/opt-outs')).status).toBe(401);
    const badRole = await authFetch(`${baseUrl}/v1/api-keys`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x', role: 'agent' }) });
    expect(badRole.status).toBe(400);
    expect(((await badRole.json()) as { message: string[] }).message).toEqual([expect.stringMatching(/^role:/)]);
  });

  describe('every endpoint admits exactly its roles', () => {
    const unknownFinding = '00000000-0000-4000-8000-000000000000';
    const endpoints = (): Endpoint[] => {
      const finding = own.findings[0]?.id ?? unknownFinding;
      const clip = own.findings.find((f) => f.hasClip)?.id ?? unknownFinding;
      return [
        { method: 'GET', path: '/v1/auth/me', allowed: ROLES },
        { method: 'POST', path: '/v1/calls', allowed: ['admin', 'integration'], body: {} },
        { method: 'GET', path: '/v1/calls', allowed: [...STAFF, 'agent'] },
        { method: 'GET', path: `/v1/calls/${own.id}`, allowed: [...STAFF, 'agent'] },
        { method: 'PUT', path: `/v1/calls/${own.id}/transcript`, allowed: ['admin', 'integration'], body: { format: 'nonsense' } },
        { method: 'GET', path: `/v1/calls/${own.id}/audio`, allowed: [...STAFF, 'agent'] },
        { method: 'GET', path: `/v1/findings/${clip}/clip`, allowed: [...STAFF, 'agent'] },
        { method: 'GET', path: '/v1/campaigns', allowed: STAFF },
        { method: 'GET', path: '/v1/campaigns/fund-q4', allowed: STAFF },
        { method: 'PUT', path: '/v1/campaigns/fund-q4', allowed: ['admin'], body: { talkRatioAgentTarget: 30 } },
        { method: 'POST', path: '/v1/campaigns/fund-q4/scorecards', allowed: ['admin', 'qa_lead'], body: { criteria: 'none' } },
        { method: 'GET', path: '/v1/campaigns/fund-q4/scorecards', allowed: STAFF },
        { method: 'GET', path: '/v1/scorecards/default', allowed: STAFF },
        { method: 'GET', path: '/v1/evaluation/agents/agent-001', allowed: [...STAFF, 'agent'] },
        { method: 'GET', path: '/v1/evaluation/campaigns/fund-q4', allowed: STAFF },
        { method: 'GET', path: '/v1/evaluation/teams', allowed: STAFF },
        { method: 'GET', path: '/v1/evaluation/rankings?minSample=0', allowed: STAFF },
        { method: 'GET', path: `/v1/evaluation/calls/${own.id}`, allowed: [...STAFF, 'agent'] },
        { method: 'POST', path: '/v1/evaluation/rescore', allowed: ['admin', 'qa_lead'], body: { colour: 'blue' } },
        { method: 'GET', path: '/v1/alerts', allowed: ['admin', 'qa_lead', 'compliance'] },
        { method: 'POST', path: `/v1/alerts/${unknownFinding}/acknowledge`, allowed: ['admin', 'qa_lead', 'compliance'] },
        { method: 'GET', path: '/v1/evaluation/agents/agent-001/calls', allowed: [...STAFF, 'agent'] },
        { method: 'GET', path: '/v1/evaluation/teams/no-such-team/trend', allowed: STAFF },
        { method: 'GET', path: '/v1/evaluation/groups/no-such-group', allowed: STAFF },
        { method: 'GET', path: '/v1/thresholds', allowed: ['admin', 'qa_lead', 'compliance'] },
        { method: 'PUT', path: '/v1/thresholds', allowed: ['admin', 'qa_lead'], body: { thresholds: 'none' } },
        { method: 'POST', path: '/v1/opt-outs', allowed: ['admin', 'compliance', 'integration'], body: { phone: 'hello' } },
        { method: 'GET', path: '/v1/opt-outs', allowed: ['admin', 'compliance', 'qa_lead', 'integration'] },
        { method: 'GET', path: '/v1/opt-outs/check?phone=%2B14155550123', allowed: ['admin', 'compliance', 'qa_lead', 'integration'] },
        { method: 'GET', path: '/v1/opt-outs/webhook-deliveries', allowed: ['admin', 'compliance'] },
        { method: 'GET', path: '/v1/opt-outs/%2B14155550123/history', allowed: ['admin', 'compliance'] },
        { method: 'GET', path: '/v1/retention/schedule', allowed: ['admin', 'compliance'] },
        { method: 'DELETE', path: '/v1/opt-outs/not-a-phone', allowed: ['admin', 'compliance', 'integration'] },
        { method: 'POST', path: '/v1/outcomes', allowed: ['admin', 'integration'], body: { outcomes: 'none' } },
        { method: 'GET', path: '/v1/findings', allowed: ['admin', 'qa_lead', 'compliance'] },
        { method: 'POST', path: `/v1/findings/${finding}/assign`, allowed: ['admin', 'qa_lead'], body: {} },
        { method: 'POST', path: `/v1/findings/${finding}/review`, allowed: ['admin', 'qa_lead', 'compliance'], body: { decision: 'maybe' } },
        { method: 'GET', path: `/v1/findings/${finding}/reviews`, allowed: ['admin', 'qa_lead', 'compliance'] },
        { method: 'GET', path: '/v1/rules/precision', allowed: ['admin', 'qa_lead', 'compliance'] },
        { method: 'POST', path: '/v1/rules/backtest', allowed: ['admin', 'qa_lead', 'compliance'], body: {} },
        { method: 'POST', path: `/v1/calls/${own.id}/evaluation/acknowledge`, allowed: ['agent', 'admin'], body: { decision: 'upheld' } },
        { method: 'POST', path: `/v1/calls/${own.id}/evaluation/dispute`, allowed: ['agent', 'admin'], body: {} },
        { method: 'POST', path: `/v1/calls/${own.id}/evaluation/ruling`, allowed: ['qa_lead', 'admin'], body: {} },
        { method: 'GET', path: `/v1/calls/${own.id}/evaluation/history`, allowed: ['admin', 'qa_lead', 'compliance', 'agent'] },
        { method: 'GET', path: '/v1/audit', allowed: ['admin', 'compliance'] },
        { method: 'GET', path: '/v1/audit/verify', allowed: ['admin', 'compliance'] },
        { method: 'POST', path: '/v1/users', allowed: ['admin'], body: { email: 'not-an-email' } },
        { method: 'GET', path: '/v1/users', allowed: ['admin'] },
        { method: 'PATCH', path: `/v1/users/${unknownFinding}`, allowed: ['admin'], body: { role: 'emperor' } },
        { method: 'POST', path: '/v1/api-keys', allowed: ['admin'], body: {} },
        { method: 'GET', path: '/v1/api-keys', allowed: ['admin'] },
        { method: 'DELETE', path: `/v1/api-keys/${unknownFinding}`, allowed: ['admin'] },
        { method: 'GET', path: `/v1/users/${unknownFinding}`, allowed: ['admin'] },
        { method: 'POST', path: '/v1/auth/password', allowed: ROLES, body: {} },
        { method: 'GET', path: `/v1/calls/${own.id}/evidence-bundle`, allowed: ['admin', 'compliance'] },
        { method: 'GET', path: `/v1/calls/${own.id}/legal-hold`, allowed: ['admin', 'qa_lead', 'compliance'] },
        { method: 'PUT', path: `/v1/calls/${own.id}/legal-hold`, allowed: ['admin', 'compliance'], body: { reason: '' } },
        { method: 'DELETE', path: `/v1/calls/${unknownFinding}/legal-hold`, allowed: ['admin', 'compliance'] },
        { method: 'POST', path: '/v1/retention/sweep', allowed: ['admin'] },
        { method: 'POST', path: '/v1/library/collections', allowed: ['admin', 'qa_lead', 'trainer'], body: {} },
        { method: 'GET', path: '/v1/library/collections', allowed: ['admin', 'qa_lead', 'trainer'] },
        { method: 'GET', path: `/v1/library/collections/${unknownFinding}`, allowed: ['admin', 'qa_lead', 'trainer'] },
        { method: 'PATCH', path: `/v1/library/collections/${unknownFinding}`, allowed: ['admin', 'qa_lead', 'trainer'], body: { name: 7 } },
        { method: 'DELETE', path: `/v1/library/collections/${unknownFinding}`, allowed: ['admin', 'qa_lead', 'trainer'] },
        { method: 'POST', path: `/v1/library/collections/${unknownFinding}/items`, allowed: ['admin', 'qa_lead', 'trainer'], body: {} },
        { method: 'PATCH', path: `/v1/library/collections/${unknownFinding}/items/${unknownFinding}`, allowed: ['admin', 'qa_lead', 'trainer'], body: { label: 'meh' } },
        { method: 'DELETE', path: `/v1/library/collections/${unknownFinding}/items/${unknownFinding}`, allowed: ['admin', 'qa_lead', 'trainer'] },
        { method: 'GET', path: `/v1/library/collections/${unknownFinding}/export`, allowed: ['admin', 'qa_lead', 'trainer'] },
        { method: 'GET', path: '/v1/library/items', allowed: ['admin', 'qa_lead', 'trainer'] },
        { method: 'GET', path: '/v1/library/examples', allowed: ['admin', 'qa_lead', 'trainer'] },
      ];
    };

    it.each(ROLES)('as %s: allowed endpoints pass the guard; the others answer 403 and leave only an audit entry', async (role) => {
      const refused: string[] = [];
      for (const endpoint of endpoints()) {
        const label = `${endpoint.method} ${endpoint.path}`;
        const before = await auditCount();
        const response = await call(tokens[role], endpoint.method, endpoint.path, endpoint.body);
        if (endpoint.allowed.includes(role)) {
          expect({ label, refused: [401, 403].includes(response.status) }).toEqual({ label, refused: false });
          continue;
        }
        refused.push(label);
        expect({ label, status: response.status }).toEqual({ label, status: 403 });
        expect(response.body.error).toBe('forbidden');
        expect({ label, allowed: [...(response.body.allowedRoles as string[])].sort() }).toEqual({ label, allowed: [...endpoint.allowed].sort() });
        expect(response.body.message).toContain(`role ${role} may not call`);
        expect(await auditCount()).toBe(before + 1);
        expect(await lastAudit()).toMatchObject({ action: 'access.denied', details: { role, path: endpoint.path } });
      }
      if (role === 'admin') expect(refused).toEqual([]);
      else expect(refused.length).toBeGreaterThan(0);
    }, 120_000);

    it('a refused change leaves nothing behind: no user, no campaign change, no review', async () => {
      const users = async () => withDatabase(async (db) => Number((await db.query('SELECT count(*) FROM "User"')).rows[0].count));
      const before = await users();
      const made = await call(tokens.qa_lead, 'POST', '/v1/users', { email: 'eve@earshot.test', displayName: 'Eve', role: 'admin', password: 'a very long password' });
      expect(made.status).toBe(403);
      expect(await users()).toBe(before);

      const campaign = async () => (await call(tokens.admin, 'GET', '/v1/campaigns/fund-q4')).body;
      const settings = await campaign();
      expect((await call(tokens.trainer, 'PUT', '/v1/campaigns/fund-q4', { talkRatioAgentTarget: 0.9 })).status).toBe(403);
      expect(await campaign()).toEqual(settings);

      const finding = own.findings[0]?.id ?? '';
      const reviews = async () => withDatabase(async (db) => Number((await db.query('SELECT count(*) FROM "FindingReview" WHERE "findingId" = $1', [finding])).rows[0].count));
      const reviewsBefore = await reviews();
      expect((await call(tokens.trainer, 'POST', `/v1/findings/${finding}/review`, { decision: 'dismissed', reason: 'I am a trainer' })).status).toBe(403);
      expect(await reviews()).toBe(reviewsBefore);
    });
  });

  describe('an agent sees only their own calls', () => {
    it('lists only their calls, whatever the query asks', async () => {
      const all = await call(tokens.agent, 'GET', '/v1/calls?limit=50');
      expect((all.body.items as { id: string }[]).map((c) => c.id)).toEqual([own.id]);
      const asked = await call(tokens.agent, 'GET', '/v1/calls?agent=agent-002');
      expect(asked.body.items).toEqual([]);
      const staff = await call(tokens.qa_lead, 'GET', '/v1/calls?limit=50');
      expect((staff.body.items as { id: string }[]).map((c) => c.id).sort()).toEqual([own.id, other.id].sort());
    });

    it.each([
      ['the call', (id: string) => `/v1/calls/${id}`],
      ['its recording', (id: string) => `/v1/calls/${id}/audio`],
      ['its evaluation', (id: string) => `/v1/evaluation/calls/${id}`],
      ['its evaluation history', (id: string) => `/v1/calls/${id}/evaluation/history`],
    ])("reads %s of their own call, and gets 403 (audited) for another agent's", async (_what, path) => {
      expect((await call(tokens.agent, 'GET', path(own.id))).status).toBe(200);
      const refused = await call(tokens.agent, 'GET', path(other.id));
      expect(refused.status).toBe(403);
      expect(refused.body.message).toMatch(/only their own calls/);
      expect(await lastAudit()).toMatchObject({ actor: 'user:dana@earshot.test', action: 'access.denied' });
    });

    it("cannot dispute another agent's evaluation or read their scorecard or clips", async () => {
      const before = await withDatabase(async (db) => Number((await db.query('SELECT count(*) FROM "EvaluationFeedback"')).rows[0].count));
      expect((await call(tokens.agent, 'POST', `/v1/calls/${other.id}/evaluation/dispute`, { reason: 'not me' })).status).toBe(403);
      expect(await withDatabase(async (db) => Number((await db.query('SELECT count(*) FROM "EvaluationFeedback"')).rows[0].count))).toBe(before);
      expect((await call(tokens.agent, 'GET', '/v1/evaluation/agents/agent-002')).status).toBe(403);
      expect((await call(tokens.agent, 'GET', '/v1/evaluation/agents/agent-001')).status).toBe(200);
      // another agent asking for this agent's clip
      const clip = own.findings.find((f) => f.hasClip);
      const otherAgent = await createUser(baseUrl, { email: 'lee@earshot.test', role: 'agent', agent: 'agent-002' });
      expect((await call(otherAgent, 'GET', `/v1/findings/${clip?.id}/clip`)).status).toBe(403);
      expect((await call(tokens.agent, 'GET', `/v1/findings/${clip?.id}/clip`)).status).toBe(200);
    });
  });

  it('disabling a user ends their sessions; a role change takes effect at once', async () => {
    const token = await createUser(baseUrl, { email: 'temp@earshot.test', role: 'qa_lead' });
    expect((await call(token, 'GET', '/v1/findings')).status).toBe(200);
    const users = (await (await authFetch(`${baseUrl}/v1/users?limit=200`)).json()) as { items: { id: string; email: string }[] };
    const id = users.items.find((u) => u.email === 'temp@earshot.test')?.id;
    const patch = (body: unknown) => authFetch(`${baseUrl}/v1/users/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await patch({ role: 'trainer' })).status).toBe(200);
    expect((await call(token, 'GET', '/v1/findings')).status).toBe(401);
    const again = await login(baseUrl, 'temp@earshot.test', 'temp@earshot.test password');
    expect((await call(again, 'GET', '/v1/findings')).status).toBe(403);
    expect((await patch({ disabled: true })).status).toBe(200);
    expect((await call(again, 'GET', '/v1/auth/me')).status).toBe(401);
    expect((await call(undefined, 'POST', '/v1/auth/login', { email: 'temp@earshot.test', password: 'temp@earshot.test password' })).status).toBe(401);
    const duplicate = await authFetch(`${baseUrl}/v1/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'temp@earshot.test', displayName: 'x', role: 'trainer', password: 'a long enough password' }) });
    expect(duplicate.status).toBe(409);
  });
});
