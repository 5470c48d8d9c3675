import type { INestApplication } from '@nestjs/common';
import { type TestEnvironment, createTestEnvironment, startApi } from '../support/earshot-harness.js';

describe('hardened HTTP: security headers, CORS, body limits, errors without internals', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    environment = await createTestEnvironment({ JSON_BODY_LIMIT_BYTES: '65536' });
    ({ app, baseUrl } = await startApi(environment.env, { withWorker: false }));
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await environment?.dispose();
  });

  it('serves the console with a CSP that allows its own scripts and inline styles, and the usual headers', async () => {
    const response = await fetch(`${baseUrl}/`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toMatch(/style-src 'self' 'unsafe-inline'/);
    expect(csp).toContain("frame-ancestors 'none'");
    // recordings are presigned S3 URLs in this setup: the player may load them from the S3 endpoint
    const s3 = `http://${environment.env.S3_ENDPOINT}:${environment.env.S3_PORT}`;
    expect(csp).toMatch(new RegExp(`media-src 'self' blob: ${s3.replace(/\./g, '\\.')}`));
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('x-powered-by')).toBeNull();
    const api = await fetch(`${baseUrl}/health`);
    expect(api.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('answers no CORS headers by default', async () => {
    const preflight = await fetch(`${baseUrl}/v1/calls`, {
      method: 'OPTIONS',
      headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await fetch(`${baseUrl}/health`, { headers: { origin: 'https://elsewhere.example' } });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers 413 for a JSON body over JSON_BODY_LIMIT_BYTES, as JSON, without naming the upload limit', async () => {
    const body = JSON.stringify({ email: 'a@b.c', password: 'x'.repeat(70_000) });
    const response = await fetch(`${baseUrl}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const json = (await response.json()) as { message: string };
    expect(json.message).toMatch(/limit of 65536 bytes \(JSON_BODY_LIMIT_BYTES\)/);
    expect(JSON.stringify(json)).not.toContain('UPLOAD_MAX_BYTES');
  });

  it('answers 400 as JSON, with no stack, for a malformed JSON body', async () => {
    const response = await fetch(`${baseUrl}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email": ' });
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({ statusCode: 400, message: ['the request body is not valid JSON'] });
    expect(text).not.toMatch(/\bat .+:\d+:\d+|node_modules|SyntaxError/);
  });
});

describe('CORS with an allow-list', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    environment = await createTestEnvironment({ CORS_ORIGINS: 'https://qa.example.com' });
    ({ app, baseUrl } = await startApi(environment.env, { withWorker: false }));
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await environment?.dispose();
  });

  it('allows the listed origin and no other', async () => {
    const ask = (origin: string) =>
      fetch(`${baseUrl}/v1/calls`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
      });
    const listed = await ask('https://qa.example.com');
    expect(listed.headers.get('access-control-allow-origin')).toBe('https://qa.example.com');
    expect(listed.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    const other = await ask('https://elsewhere.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
