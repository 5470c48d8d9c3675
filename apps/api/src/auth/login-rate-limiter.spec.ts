import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { type AppConfig, loadConfig } from '#libs/config';
import { deleteQueueKeys } from '#libs/pipeline';
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

  it('blocks an email from an address after the allowed failures, for the rest of the window', async () => {
    expect(await limiter.secondsUntilAllowed('a@x.test', '10.0.0.1')).toBe(0);
    await limiter.recordFailure('a@x.test', '10.0.0.1');
    expect(await limiter.secondsUntilAllowed('a@x.test', '10.0.0.1')).toBe(0);
    await limiter.recordFailure('a@x.test', '10.0.0.1');
    const wait = await limiter.secondsUntilAllowed('a@x.test', '10.0.0.1');
    expect(wait).toBeGreaterThan(50);
    expect(wait).toBeLessThanOrEqual(60);
    // the same email from elsewhere, and another email from here, are not blocked by it
    expect(await limiter.secondsUntilAllowed('a@x.test', '10.0.0.2')).toBe(0);
    expect(await limiter.secondsUntilAllowed('b@x.test', '10.0.0.1')).toBe(0);
  });

  it('a success clears the email’s failures', async () => {
    await limiter.recordFailure('c@x.test', '10.0.0.3');
    await limiter.clear('c@x.test', '10.0.0.3');
    await limiter.recordFailure('c@x.test', '10.0.0.3');
    expect(await limiter.secondsUntilAllowed('c@x.test', '10.0.0.3')).toBe(0);
  });

  it('blocks an address that fails across many emails (20 × the per-email limit)', async () => {
    for (let i = 0; i < 39; i++) await limiter.recordFailure(`user${i}@x.test`, '10.0.0.9');
    expect(await limiter.secondsUntilAllowed('fresh@x.test', '10.0.0.9')).toBe(0);
    await limiter.recordFailure('user39@x.test', '10.0.0.9');
    expect(await limiter.secondsUntilAllowed('fresh@x.test', '10.0.0.9')).toBeGreaterThan(0);
    expect(await limiter.secondsUntilAllowed('fresh@x.test', '10.0.0.10')).toBe(0);
  });
});
