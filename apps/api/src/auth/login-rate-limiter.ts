import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { PipelineQueues } from '#libs/pipeline';

/** One client address may fail this many times the per-email limit before every sign-in from it waits. */
const ADDRESS_FACTOR = 20;

/**
 * Counts failed sign-ins in Redis, so every API process shares the counts: per email and client address (guessing
 * one user's password), and per address alone (trying many users). Only failures count; a success clears its email's.
 */
@Injectable()
export class LoginRateLimiter {
  private readonly perEmail: RateLimiterRedis;
  private readonly perAddress: RateLimiterRedis;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(PipelineQueues) queues: { connection: Redis }) {
    const common = { storeClient: queues.connection, duration: config.auth.loginWindowSeconds };
    this.perEmail = new RateLimiterRedis({ ...common, keyPrefix: `${config.redis.prefix}:login-failures`, points: config.auth.loginMaxFailures });
    this.perAddress = new RateLimiterRedis({
      ...common,
      keyPrefix: `${config.redis.prefix}:login-failures-by-address`,
      points: config.auth.loginMaxFailures * ADDRESS_FACTOR,
    });
  }

  /** Seconds until another attempt is allowed, or 0 when the caller may try now. */
  async secondsUntilAllowed(email: string, clientAddress: string): Promise<number> {
    const waits = await Promise.all([
      secondsLeft(this.perEmail, emailKey(email, clientAddress)),
      secondsLeft(this.perAddress, clientAddress),
    ]);
    return Math.max(...waits);
  }

  async recordFailure(email: string, clientAddress: string): Promise<void> {
    // penalty adds a point without rejecting, so the caller still gets a 401 for this attempt
    await Promise.all([this.perEmail.penalty(emailKey(email, clientAddress), 1), this.perAddress.penalty(clientAddress, 1)]);
  }

  async clear(email: string, clientAddress: string): Promise<void> {
    await this.perEmail.delete(emailKey(email, clientAddress));
  }
}

async function secondsLeft(limiter: RateLimiterRedis, key: string): Promise<number> {
  const state = await limiter.get(key);
  if (!state || state.consumedPoints < limiter.points) return 0;
  return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
}

function emailKey(email: string, clientAddress: string): string {
  return `${email}|${clientAddress}`;
}
