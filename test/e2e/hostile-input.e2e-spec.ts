import { readdir } from 'node:fs/promises';
import type { INestApplication } from '@nestjs/common';
import {
  type SampleCall,
  type TestEnvironment,
  TEST_ADMIN_EMAIL,
  TEST_ADMIN_PASSWORD,
  authFetch,
  createTestEnvironment,
  loadSample,
  startApi,
  uploadCall,
  uploadForm,
} from '../support/earshot-harness.js';

/** Objects in the test bucket, counted from s3rver's folder (one `._S3rver_object` file per object). */
async function objectCount(environment: TestEnvironment): Promise<number> {
  const entries = await readdir(environment.s3.directory, { recursive: true }).catch(() => [] as string[]);
  return entries.filter((name) => name.endsWith('._S3rver_object')).length;
}

const DRAFT_RULE = { id: 'draft', version: 1, family: 'guaranteed_returns', severity: 'critical', dimension: 'compliance', description: 'd', regulation: 'r' };

/** LOGIN_MAX_FAILURES's default; the per-address limit is 20 times it. */
const MAX_FAILURES = 5;

describe('hostile input: a 400 naming the field, never a 500, and no object left by a refused upload', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;
  let sample: SampleCall;

  const send = async (method: string, path: string, body?: string) => {
    const response = await authFetch(`${baseUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body,
    });
    const text = await response.text();
    return { status: response.status, message: JSON.stringify(text.startsWith('{') ? JSON.parse(text).message : text) };
  };
  const upload = (metadata: unknown, audio = sample.audio) => uploadCall(baseUrl, uploadForm({ audio, metadata, transcript: sample.transcript }));
  /** A different recording with the same sample's sound: one byte of the WAV data changed. */
  const variant = (n: number) => {
    const audio = Buffer.from(sample.audio);
    audio[audio.length - 1 - n] = (audio[audio.length - 1 - n] ?? 0) ^ 0xff;
    return audio;
  };

  beforeAll(async () => {
    environment = await createTestEnvironment();
    ({ app, baseUrl } = await startApi(environment.env, { withWorker: false }));
    sample = await loadSample('en-compliant');
  });

  afterAll(async () => {
    await app?.close();
    await environment?.dispose();
  });

  it.each([
    ['NUL in a field', { agentExternalId: 'agent\u0000x' }, 'metadata.agentExternalId'],
    ['a lone surrogate', { agentName: 'Dana \ud800' }, 'metadata.agentName'],
    ['agentName null', { agentName: null }, 'metadata.agentName'],
    ['basic-format startedAt (an Invalid Date)', { startedAt: '20261120T101500Z' }, 'metadata.startedAt'],
    ['startedAt without an offset', { startedAt: '2026-11-20T10:15:00' }, 'metadata.startedAt'],
    ['startedAt past year 9999', { startedAt: '+275760-09-13T00:00:00Z' }, 'metadata.startedAt'],
    ['durationSeconds 1e308', { durationSeconds: 1e308 }, 'metadata.durationSeconds'],
  ])('refuses upload metadata with %s', async (_name, change, field) => {
    const before = await objectCount(environment);
    const response = await upload({ ...sample.metadata, externalId: undefined, ...change });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.message)).toContain(field);
    expect(await objectCount(environment)).toBe(before);
  });

  it('refuses a __proto__ key in the metadata', async () => {
    const metadata = JSON.stringify(sample.metadata).replace(/^\{/, '{"__proto__":{"isAdmin":true},');
    const response = await upload(metadata);
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body.message)).toContain('metadata.__proto__');
  });

  it.each([
    ['GET', '/v1/calls?agent=a%00b', 'query.agent'],
    ['GET', '/v1/calls?from=0000-01-01', 'from'],
    ['GET', '/v1/calls?from=%2B275760-09-13T00:00:00Z', 'from'],
    ['GET', `/v1/calls?cursor=${Buffer.from('+275760-09-13T00:00:00.000Z|0b7c2a4e-2f7d-4d7e-9a59-1d2f3c4b5a69').toString('base64url')}`, 'cursor'],
    ['GET', `/v1/calls?cursor=${Buffer.from('9999-12-31T23:59:59.999Z|0b7c2a4e-2f7d-4d7e-9a59-1d2f3c4b5a69|x').toString('base64url')}`, 'cursor'],
    ['GET', '/v1/audit?cursor=9223372036854775808', 'query.cursor'],
    ['GET', '/v1/campaigns/a%00b', 'path.3'],
    ['GET', '/v1/rules/precision?from=20261120T101500Z', 'query.from'],
    ['GET', '/v1/rules/precision?to=0001-01-02', 'query.to'],
    ['GET', '/v1/evaluation/teams?to=0000-01-01', 'query.to'],
    ['GET', '/v1/evaluation/teams?to=0001-01-10', 'query.to'],
    ['POST', '/v1/auth/login', JSON.stringify({ email: 'admin\u0000@earshot.test', password: TEST_ADMIN_PASSWORD }), 'body.email'],
    ['POST', '/v1/opt-outs', JSON.stringify({ phone: '+14155550123', effectiveAt: '+275760-09-13T00:00:00Z' }), 'body.effectiveAt'],
    ['POST', '/v1/opt-outs', JSON.stringify({ phone: '+14155550123', evidence: 'x\ud800' }), 'body.evidence'],
    ['PUT', '/v1/campaigns/fund-q4', '{"__proto__":{"retentionDays":1}}', 'body.__proto__'],
    ['POST', '/v1/rules/backtest', JSON.stringify({ rule: { ...DRAFT_RULE, match: { regex: '(?<!not )guaranteed' } } }), 'body.rule.match.regex: regular expression refused'],
  ] as [string, string, ...string[]][])('answers %s %s with a 400 naming the field', async (method, path, ...rest) => {
    const [body, field] = rest.length === 2 ? rest : [undefined, rest[0]];
    const response = await send(method, path, body);
    expect(response.status).toBe(400);
    expect(response.message).toContain(field);
  });

  it('accepts a draft rule with a catastrophic pattern (the engine bounds the time; see rule-engine.spec for the timing)', async () => {
    const started = performance.now();
    const response = await send('POST', '/v1/rules/backtest', JSON.stringify({ rule: { ...DRAFT_RULE, match: { regex: '(a+)+c' } } }));
    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('leaves no object behind after a 409 on a duplicate externalId', async () => {
    const first = await upload({ ...sample.metadata, externalId: 'dup-ext-1' }, variant(1));
    expect(first.status).toBe(201);
    const before = await objectCount(environment);
    const second = await upload({ ...sample.metadata, externalId: 'dup-ext-1' }, variant(2));
    expect(second.status).toBe(409);
    expect(await objectCount(environment)).toBe(before);
  });

  const signIn = (email: string, password: string) => send('POST', '/v1/auth/login', JSON.stringify({ email, password }));

  it('checks at most the allowed number of 16 parallel wrong passwords; the rest wait (429)', async () => {
    const statuses = (await Promise.all(Array.from({ length: 16 }, (_, i) => signIn('victim@earshot.test', `wrong ${i}`)))).map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(MAX_FAILURES);
    expect(statuses.filter((s) => s === 429)).toHaveLength(16 - MAX_FAILURES);
  });

  it('an address spraying many emails is blocked, but not for the admin who signed in from it before', async () => {
    const emails = Array.from({ length: MAX_FAILURES * 20 }, (_, i) => `spray${i}@earshot.test`);
    for (let i = 0; i < emails.length; i += 10) {
      const batch = await Promise.all(emails.slice(i, i + 10).map((email) => signIn(email, 'guess')));
      expect(batch.every((r) => r.status === 401 || r.status === 429)).toBe(true);
    }
    expect((await signIn('fresh@earshot.test', 'guess')).status).toBe(429);
    expect((await signIn(TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD)).status).toBe(200);
  }, 90_000);
});
