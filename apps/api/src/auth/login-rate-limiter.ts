import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { JobQueues } from '#libs/queue';

/** One client address may fail this many times the per-email limit before untrusted sign-ins from it wait. */
const ADDRESS_FACTOR = 20;
/** How long a successful sign-in from an address keeps that email exempt from the address's own limit. */
const TRUSTED_PAIR_SECONDS = 30 * 24 * 3600;

/**
 * Counts sign-in attempts in Redis, so every API process shares the counts: per email and client address (guessing
 * one user's password), and per address alone (trying many users).
 *
 * An attempt takes its points atomically before the password is checked (`reserve`), so parallel requests cannot
 * all pass a check made before any of them recorded a failure; a success gives them back (`succeeded`).
 * The per-address limit does not apply to an email that signed in successfully from that address in the last 30
 * days: a crowd behind one NAT (or an attacker among them) spraying many emails cannot lock out the people who
 * work there, the admin included. Their own email-and-address limit still holds.
 */
@Injectable()
export class LoginRateLimiter {
  private readonly perEmail: RateLimiterRedis;
  private readonly perAddress: RateLimiterRedis;
  private readonly redis: Redis;
  private readonly trustedPrefix: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(JobQueues) queues: { connection: Redis }) {
    const common = { storeClient: queues.connection, duration: config.auth.loginWindowSeconds };
    this.redis = queues.connection;
    this.trustedPrefix = `${config.redis.prefix}:login-trusted:`;
    this.perEmail = new RateLimiterRedis({ ...common, keyPrefix: `${config.redis.prefix}:login-failures`, points: config.auth.loginMaxFailures });
    this.perAddress = new RateLimiterRedis({
      ...common,
      keyPrefix: `${config.redis.prefix}:login-failures-by-address`,
      points: config.auth.loginMaxFailures * ADDRESS_FACTOR,
    });
  }

  /** Takes one attempt; returns 0 when the caller may check the password now, else the seconds to wait (nothing taken). */
  async reserve(email: string, clientAddress: string): Promise<number> {
    const pair = emailKey(email, clientAddress);
    const pairWait = await take(this.perEmail, pair);
    if (pairWait > 0) return pairWait;
    if (await this.isTrusted(pair)) return 0;
    const addressWait = await take(this.perAddress, clientAddress);
    if (addressWait > 0) await this.perEmail.reward(pair, 1);
    return addressWait;
  }

  /** The password was right: this attempt counts for nothing, and the email is trusted from this address. */
  async succeeded(email: string, clientAddress: string): Promise<void> {
    const pair = emailKey(email, clientAddress);
    const trusted = await this.isTrusted(pair);
    await this.perEmail.delete(pair);
    if (!trusted) await this.perAddress.reward(clientAddress, 1);
    await this.redis.set(this.trustedKey(pair), '1', 'EX', TRUSTED_PAIR_SECONDS);
  }

  private async isTrusted(pair: string): Promise<boolean> {
    return (await this.redis.exists(this.trustedKey(pair))) === 1;
  }

  private trustedKey(pair: string): string {
    return this.trustedPrefix + createHash('sha256').update(pair).digest('hex');
  }
}

/** Consumes a point atomically; 0 when it was within the limit, else the seconds until the window frees one. */
async function take(limiter: RateLimiterRedis, key: string): Promise<number> {
  try {
    await limiter.consume(key, 1);
    return 0;
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
  }
}

function emailKey(email: string, clientAddress: string): string {
  return `${email}|${clientAddress}`;
}
