import { Redis } from 'ioredis';

/** A connection BullMQ can share: workers need maxRetriesPerRequest null for their blocking commands. */
export function createRedisConnection(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false });
}
