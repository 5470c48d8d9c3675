import { type Job, type Processor, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { Logger } from '@nestjs/common';
import type { AppConfig } from '#libs/config';
import type { QueueName, SideQueueName } from '#libs/queue';
import { forBullMq } from './job-failure.js';

export interface QueueWorkerOptions {
  concurrency: number;
  /** how long a job may run before another worker takes it as stalled (a killed worker's job is picked up after this) */
  lockDurationMs: number;
}

/**
 * The one worker pattern of the worker app, for the pipeline lanes, webhooks and the scheduled sweeps: a BullMQ worker
 * on the process's Redis connection whose handler's failures are classified in one place (job-failure.ts).
 */
export function startQueueWorker(
  config: AppConfig,
  connection: Redis,
  queue: QueueName | SideQueueName,
  handler: (job: Job) => Promise<unknown>,
  options: QueueWorkerOptions,
): Worker {
  const processor: Processor = async (job) => {
    try {
      return await handler(job);
    } catch (error) {
      throw forBullMq(error);
    }
  };
  const worker = new Worker(queue, processor, {
    connection,
    prefix: config.redis.prefix,
    concurrency: options.concurrency,
    lockDuration: options.lockDurationMs,
    stalledInterval: options.lockDurationMs,
    // a job whose lock lapsed once while its worker was busy (a long stage on a loaded machine) survives a crash after
    maxStalledCount: 2,
  });
  const logger = new Logger(`Worker:${queue}`);
  worker.on('error', (error) => logger.error(`worker ${queue}: ${error.message}`, error.stack));
  return worker;
}
