import type { INestApplication } from '@nestjs/common';
import { type TestEnvironment, authFetch, createTestEnvironment, startApi } from '../support/earshot-harness.js';

describe('administration lists are cursor-paginated (real Postgres, Redis)', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    ({ app, baseUrl } = await startApi(environment.env, { withWorker: false }));
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await environment?.dispose();
  });

  it('pages API keys newest first with a cursor, each key once, and refuses a bad limit naming it', async () => {
    for (const name of ['key-a', 'key-b', 'key-c']) {
      const created = await authFetch(`${baseUrl}/v1/api-keys`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, role: 'integration' }) });
      expect(created.status).toBe(201);
    }
    const first = (await (await authFetch(`${baseUrl}/v1/api-keys?limit=2`)).json()) as { items: { name: string }[]; nextCursor: string | null };
    expect(first.items.map((k) => k.name)).toEqual(['key-c', 'key-b']);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (await (await authFetch(`${baseUrl}/v1/api-keys?limit=2&cursor=${encodeURIComponent(first.nextCursor ?? '')}`)).json()) as { items: { name: string }[]; nextCursor: string | null };
    expect(second.items.map((k) => k.name)).toEqual(['key-a']);
    expect(second.nextCursor).toBeNull();
    const bad = await authFetch(`${baseUrl}/v1/api-keys?limit=0`);
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('query.limit');
  });
});
