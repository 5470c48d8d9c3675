import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { PipelineQueues } from '#libs/pipeline';

/**
 * Counts failed sign-ins per email and client address in Redis, so every API process shares the count.
 * Only failures count; a success clears them.
 */
@Injectable()
export class LoginRateLimiter {
  private readonly failures: RateLimiterRedis;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig, queues: PipelineQueues) {
    this.failures = new RateLimiterRedis({
      storeClient: queues.connection,
      keyPrefix: `${config.redis.prefix}:login-failures`,
      points: config.auth.loginMaxFailures,
      duration: config.auth.loginWindowSeconds,
    });
  }

  /** Seconds until another attempt is allowed, or 0 when the caller may try now. */
  async secondsUntilAllowed(email: string, clientAddress: string): Promise<number> {
    const state = await this.failures.get(key(email, clientAddress));
    if (!state || state.consumedPoints < this.config.auth.loginMaxFailures) return 0;
    return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
  }

  async recordFailure(email: string, clientAddress: string): Promise<void> {
    // penalty adds a point without rejecting, so the caller still gets a 401 for this attempt
    await this.failures.penalty(key(email, clientAddress), 1);
  }

  async clear(email: string, clientAddress: string): Promise<void> {
    await this.failures.delete(key(email, clientAddress));
  }
}

function key(email: string, clientAddress: string): string {
  return `${email}|${clientAddress}`;
}
