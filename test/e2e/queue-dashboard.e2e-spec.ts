import type { INestApplication } from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import { QueueName, SideQueueName } from '#libs/queue';
import { REDIS_URL, TEST_ADMIN_EMAIL, TEST_ADMIN_PASSWORD, type TestEnvironment, authFetch, createTestEnvironment, createUser, startApi } from '../support/earshot-harness.js';

describe('queue dashboard (issue 17 item 4)', () => {
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

  it('is for admins only: anonymous 401, other roles 403, admin 200 with the page', async () => {
    expect((await fetch(`${baseUrl}/admin/queues`)).status).toBe(401);
    expect((await fetch(`${baseUrl}/admin/queues/api/queues`)).status).toBe(401);
    for (const role of ['qa_lead', 'compliance', 'integration']) {
      const token = await createUser(baseUrl, { email: `${role}@dashboard.test`, role });
      expect((await fetch(`${baseUrl}/admin/queues`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(403);
      expect((await fetch(`${baseUrl}/admin/queues/api/queues/analysis/retry/failed`, { method: 'PUT', headers: { authorization: `Bearer ${token}` } })).status).toBe(403);
    }
    const page = await authFetch(`${baseUrl}/admin/queues`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toMatch(/Earshot queues/);
  });

  it('shows every Earshot queue and retries failed jobs', async () => {
    const queue = new Queue(SideQueueName.Webhooks, { connection: { url: REDIS_URL }, prefix: environment.queuePrefix });
    const failing = new Worker(SideQueueName.Webhooks, async () => { throw new Error('endpoint down'); }, { connection: { url: REDIS_URL }, prefix: environment.queuePrefix });
    try {
      await queue.add('deliver-webhook', { deliveryId: 'x' }, { attempts: 1 });
      const deadline = Date.now() + 10_000;
      while ((await queue.getJobCounts('failed')).failed < 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      await failing.close();
      expect((await queue.getJobCounts('failed')).failed).toBe(1);

      const listing = await authFetch(`${baseUrl}/admin/queues/api/queues?activeQueue=webhooks&status=failed`);
      expect(listing.status).toBe(200);
      const body = (await listing.json()) as { queues: { name: string; counts: Record<string, number>; jobs: { failedReason?: string }[] }[] };
      expect(body.queues.map((q) => q.name).sort()).toEqual([...Object.values(QueueName), ...Object.values(SideQueueName)].sort());
      const webhooks = body.queues.find((q) => q.name === SideQueueName.Webhooks);
      expect(webhooks?.counts.failed).toBe(1);
      expect(webhooks?.jobs[0]?.failedReason).toBe('endpoint down');

      const retry = await authFetch(`${baseUrl}/admin/queues/api/queues/webhooks/retry/failed`, { method: 'PUT' });
      expect(retry.status).toBe(200);
      const counts = await queue.getJobCounts('failed', 'waiting');
      expect(counts).toEqual({ failed: 0, waiting: 1 });
    } finally {
      await failing.close();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('takes a console session cookie: reads, and writes from its own origin only', async () => {
    const login = await fetch(`${baseUrl}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: TEST_ADMIN_EMAIL, password: TEST_ADMIN_PASSWORD, session: 'cookie' }),
    });
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    expect((await fetch(`${baseUrl}/admin/queues/api/queues`, { headers: { cookie } })).status).toBe(200);
    const retry = (origin: string) => fetch(`${baseUrl}/admin/queues/api/queues/analysis/retry/failed`, { method: 'PUT', headers: { cookie, origin } });
    expect((await retry('https://evil.example')).status).toBe(403);
    expect((await retry(baseUrl)).status).toBe(200);
  });
});
