import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { type AppConfig, loadConfig } from '#libs/config';
import { deleteQueueKeys } from '#libs/queue';
import { REDIS_URL } from '../../../../test/support/earshot-harness.js';
import { LoginRateLimiter } from './login-rate-limiter.js';


describe('LoginRateLimiter (real Redis)', () => {
  const prefix = `test-login-${randomBytes(4).toString('hex')}`;
  const redis = new Redis(REDIS_URL);
  const config: AppConfig = loadConfig({ REDIS_URL, QUEUE_PREFIX: prefix, LOGIN_MAX_FAILURES: '2', LOGIN_WINDOW_SECONDS: '60' });
  const limiter = new LoginRateLimiter(config, { connection: redis });

  afterAll(async () => {
    await deleteQueueKeys(REDIS_URL, prefix);
    redis.disconnect();
  });

  /** A wrong password: the attempt is taken and never given back. */
  const fail = async (email: string, address: string) => expect(await limiter.reserve(email, address)).toBe(0);

  it('blocks an email from an address after the allowed failures, for the rest of the window', async () => {
    await fail('a@x.test', '10.0.0.1');
    await fail('a@x.test', '10.0.0.1');
    const wait = await limiter.reserve('a@x.test', '10.0.0.1');
    expect(wait).toBeGreaterThan(50);
    expect(wait).toBeLessThanOrEqual(60);
    // the same email from elsewhere, and another email from here, are not blocked by it
    expect(await limiter.reserve('a@x.test', '10.0.0.2')).toBe(0);
    expect(await limiter.reserve('b@x.test', '10.0.0.1')).toBe(0);
  });

  it('a success clears the email’s failures', async () => {
    await fail('c@x.test', '10.0.0.3');
    expect(await limiter.reserve('c@x.test', '10.0.0.3')).toBe(0);
    await limiter.succeeded('c@x.test', '10.0.0.3');
    await fail('c@x.test', '10.0.0.3');
    expect(await limiter.reserve('c@x.test', '10.0.0.3')).toBe(0);
  });

  it('lets only the allowed number of parallel attempts through (taken atomically, not checked then recorded)', async () => {
    const waits = await Promise.all(Array.from({ length: 16 }, () => limiter.reserve('d@x.test', '10.0.0.4')));
    expect(waits.filter((w) => w === 0)).toHaveLength(2);
  });

  it('blocks an address that fails across many emails (20 × the per-email limit), but not an email that signed in from it', async () => {
    expect(await limiter.reserve('admin@x.test', '10.0.0.9')).toBe(0);
    await limiter.succeeded('admin@x.test', '10.0.0.9');
    for (let i = 0; i < 40; i++) await fail(`user${i}@x.test`, '10.0.0.9');
    expect(await limiter.reserve('fresh@x.test', '10.0.0.9')).toBeGreaterThan(0);
    expect(await limiter.reserve('fresh@x.test', '10.0.0.10')).toBe(0);
    // the admin behind the same address still signs in, within their own email-and-address limit
    expect(await limiter.reserve('admin@x.test', '10.0.0.9')).toBe(0);
    await limiter.succeeded('admin@x.test', '10.0.0.9');
    await fail('admin@x.test', '10.0.0.9');
    await fail('admin@x.test', '10.0.0.9');
    expect(await limiter.reserve('admin@x.test', '10.0.0.9')).toBeGreaterThan(0);
  });
});
