import type { INestApplication } from '@nestjs/common';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type CallView,
  type TestEnvironment,
  TEST_ADMIN_EMAIL,
  TEST_ADMIN_PASSWORD,
  authFetch,
  createTestEnvironment,
  loadSample,
  startApi,
  uploadCall,
  uploadForm,
  waitForCall,
} from '../support/earshot-harness.js';

type Json = Record<string, unknown>;

/** What the console relies on: the session cookie with CSRF, the static build at /, queue counts and families,
 * review conflicts, the calls list's filters and the waveform. */
describe('the API the console uses (real Postgres, Redis, s3rver)', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;
  let consoleDir: string;
  let guarantee: CallView;
  let compliant: CallView;

  beforeAll(async () => {
    consoleDir = await mkdtemp(join(tmpdir(), 'earshot-console-'));
    await mkdir(join(consoleDir, 'assets'));
    await writeFile(join(consoleDir, 'index.html'), '<!doctype html><title>console</title><div id="root"></div>');
    await writeFile(join(consoleDir, 'assets', 'app-abc123.js'), 'console.log(1)');
    environment = await createTestEnvironment({ CONSOLE_DIR: consoleDir });
    ({ app, baseUrl } = await startApi(environment.env));
    const calls: CallView[] = [];
    for (const name of ['en-guaranteed-returns', 'en-compliant']) {
      const sample = await loadSample(name);
      const upload = await uploadCall(baseUrl, uploadForm({ audio: sample.audio, metadata: sample.metadata, transcript: sample.transcript }));
      calls.push(await waitForCall(baseUrl, upload.body.id as string));
    }
    [guarantee, compliant] = calls as [CallView, CallView];
  }, 90_000);

  afterAll(async () => {
    await app?.close();
    await environment?.dispose();
    await rm(consoleDir, { recursive: true, force: true });
  });

  const cookieLogin = async () => {
    const response = await fetch(`${baseUrl}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: TEST_ADMIN_EMAIL, password: TEST_ADMIN_PASSWORD, session: 'cookie' }),
    });
    const cookies = response.headers.getSetCookie();
    const body = (await response.json()) as Json;
    const value = (name: string) => cookies.find((c) => c.startsWith(`${name}=`))?.split(';')[0]?.split('=')[1] ?? '';
    return { status: response.status, body, cookies, session: value('earshot_session'), csrf: value('earshot_csrf') };
  };

  it('signs the console in with an httpOnly SameSite=Strict cookie, and no token in the body', async () => {
    const login = await cookieLogin();
    expect(login.status).toBe(200);
    expect(login.body.token).toBeUndefined();
    expect(login.body.csrfToken).toBe(login.csrf);
    const session = login.cookies.find((c) => c.startsWith('earshot_session='));
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Strict/);
    expect(login.cookies.find((c) => c.startsWith('earshot_csrf='))).not.toMatch(/HttpOnly/);

    const cookie = `earshot_session=${login.session}; earshot_csrf=${login.csrf}`;
    const me = await fetch(`${baseUrl}/v1/auth/me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as Json).email).toBe(TEST_ADMIN_EMAIL);

    const finding = guarantee.findings[0]?.id;
    const assign = (headers: Record<string, string>) =>
      fetch(`${baseUrl}/v1/findings/${finding}/assign`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', ...headers }, body: JSON.stringify({ reviewer: 'x@earshot.test' }) });
    expect((await assign({})).status).toBe(403);
    expect((await assign({ 'x-csrf-token': 'not-it' })).status).toBe(403);
    expect((await assign({ 'x-csrf-token': login.csrf })).status).toBe(200);

    const logout = await fetch(`${baseUrl}/v1/auth/logout`, { method: 'POST', headers: { cookie, 'x-csrf-token': login.csrf } });
    expect(logout.status).toBe(204);
    expect(logout.headers.getSetCookie().every((c) => /Expires=Thu, 01 Jan 1970/.test(c))).toBe(true);
    expect((await fetch(`${baseUrl}/v1/auth/me`, { headers: { cookie } })).status).toBe(401);
  });

  it('names a wrong session kind', async () => {
    const response = await fetch(`${baseUrl}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: TEST_ADMIN_EMAIL, password: TEST_ADMIN_PASSWORD, session: 'jar' }),
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain('session: must be one of token, cookie');
  });

  it('serves the console at / and its client-side routes, and keeps the API paths for the API', async () => {
    for (const path of ['/', '/queue', '/calls/123?finding=4']) {
      const page = await fetch(`${baseUrl}${path}`, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
      expect(page.headers.get('cache-control')).toContain('no-cache');
    }
    const asset = await fetch(`${baseUrl}/assets/app-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${baseUrl}/assets/missing.js`)).status).toBe(404);
    const api = await fetch(`${baseUrl}/v1/nothing-here`, { headers: { accept: 'text/html' } });
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/json');
    expect((await fetch(`${baseUrl}/health`)).headers.get('content-type')).toContain('application/json');
  });

  it('counts the queue by severity and state, and filters it by rule family', async () => {
    const counts = (await (await authFetch(`${baseUrl}/v1/findings/counts?status=pending`)).json()) as { total: number; bySeverity: Record<string, number>; byState: Record<string, number> };
    const expected = { critical: 0, major: 0, minor: 0 };
    for (const f of [...guarantee.findings, ...compliant.findings]) expected[f.severity as keyof typeof expected]++;
    expect(counts.bySeverity).toEqual(expected);
    expect(counts.total).toBe(guarantee.findings.length + compliant.findings.length);
    expect(counts.byState.pending).toBe(counts.total);

    const family = (await (await authFetch(`${baseUrl}/v1/findings?family=guaranteed_returns&limit=500`)).json()) as { items: { family: string; call: { externalId: string } }[] };
    expect(family.items.length).toBe(guarantee.findings.filter((f) => f.family === 'guaranteed_returns').length);
    expect(family.items.every((f) => f.family === 'guaranteed_returns' && f.call.externalId === 'demo-en-001')).toBe(true);
    const bad = await authFetch(`${baseUrl}/v1/findings/counts?severity=huge`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('query.severity');
  });

  it('refuses a decision made on a stale view with 409 and the decision that came first', async () => {
    const finding = guarantee.findings.find((f) => f.severity === 'major')?.id;
    const review = (body: Json) => authFetch(`${baseUrl}/v1/findings/${finding}/review`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await review({ decision: 'confirmed', expectedState: 'pending' })).status).toBe(200);
    const stale = await review({ decision: 'dismissed', reason: 'not a problem', expectedState: 'pending' });
    expect(stale.status).toBe(409);
    expect(await stale.json()).toMatchObject({ findingId: finding, current: { reviewState: 'confirmed', reviewedBy: `user:${TEST_ADMIN_EMAIL}` } });
    const history = (await (await authFetch(`${baseUrl}/v1/findings/${finding}/reviews`)).json()) as { items: { action: string }[] };
    expect(history.items.map((i) => i.action).filter((action) => action !== 'assigned')).toEqual(['confirmed']);
    expect((await review({ decision: 'dismissed', reason: 'changed my mind', expectedState: 'confirmed' })).status).toBe(200);
    expect((await review({ decision: 'confirmed', expectedState: 'maybe' })).status).toBe(400);
  });

  it('lists calls by team, score range, critical findings and search text, with their score', async () => {
    type Page = { items: { externalId: string; score: number | null; autoFailed: boolean | null; criticalFindings: number; talkRatioTarget: { agentShare: number } }[] };
    const list = async (query: string) => ((await (await authFetch(`${baseUrl}/v1/calls?${query}`)).json()) as Page).items.map((c) => c.externalId);
    expect(await list('hasCritical=true')).toEqual(['demo-en-001']);
    expect(await list('hasCritical=false')).toEqual(['demo-en-002']);
    expect(await list(`minScore=${compliant.evaluation?.score}`)).toEqual(['demo-en-002']);
    expect(await list('maxScore=0')).toEqual(['demo-en-001']);
    expect((await list('team=Outbound%20sales')).sort()).toEqual(['demo-en-001', 'demo-en-002']);
    expect(await list('team=Nobody')).toEqual([]);
    expect(await list('q=EN-002')).toEqual(['demo-en-002']);
    expect(await list('q=550123')).toEqual(['demo-en-001']);
    const page = (await (await authFetch(`${baseUrl}/v1/calls?q=demo-en-001`)).json()) as Page;
    expect(page.items[0]).toMatchObject({ score: guarantee.evaluation?.score, autoFailed: true, talkRatioTarget: { agentShare: 0.3 } });
    expect(page.items[0]?.criticalFindings).toBe(guarantee.findings.filter((f) => f.severity === 'critical').length);
    const bad = await authFetch(`${baseUrl}/v1/calls?hasCritical=maybe&minScore=high`);
    expect(bad.status).toBe(400);
    const message = JSON.stringify(await bad.json());
    expect(message).toContain('query.hasCritical');
    expect(message).toContain('query.minScore');
  });

  it("draws the call's waveform from the muted recording, per channel, and keeps it", async () => {
    const get = async () => (await (await authFetch(`${baseUrl}/v1/calls/${guarantee.id}/waveform`)).json()) as { durationSeconds: number; channels: number[][] };
    const first = await get();
    expect(first.channels).toHaveLength(2);
    expect(first.durationSeconds).toBeCloseTo(guarantee.durationSeconds ?? 0, 0);
    for (const channel of first.channels) {
      expect(channel.length).toBeGreaterThan(100);
      expect(channel.length).toBeLessThanOrEqual(2000);
      expect(Math.max(...channel)).toBeGreaterThan(0.05);
      expect(channel.every((v) => v >= 0 && v <= 1)).toBe(true);
    }
    // the sample's first seconds are the agent alone: the customer's channel is quieter there
    const opening = (channel: number[]) => Math.max(...channel.slice(0, Math.floor(channel.length / 10)));
    expect(opening(first.channels[0] as number[])).toBeGreaterThan(opening(first.channels[1] as number[]));
    expect(await get()).toEqual(first);
    expect((await authFetch(`${baseUrl}/v1/calls/00000000-0000-4000-8000-000000000000/waveform`)).status).toBe(404);
  });

  it('cites the regulation of each rule finding', async () => {
    const details = (await (await authFetch(`${baseUrl}/v1/calls/${guarantee.id}`)).json()) as { findings: { source: string; ruleId: string; regulation: string | null }[] };
    const rules = details.findings.filter((f) => f.source === 'rule');
    expect(rules.length).toBeGreaterThan(0);
    for (const finding of rules) expect(finding.regulation).toMatch(/FINRA|FCA|TCPA|FTC|广告法|证券法|消费者/);
  });
});
