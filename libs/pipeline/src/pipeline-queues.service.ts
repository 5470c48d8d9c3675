import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { PIPELINE, type PipelineStage, QueueName, stageJobId } from '#libs/queue';
import { createRedisConnection } from './redis-connection.js';

const KEEP_FAILED_JOBS = { age: 7 * 24 * 3600, count: 10_000 };
const LIVE_STATES = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

/** Producer side of the pipeline: puts a call's next stage on its queue, at most once at a time. */
@Injectable()
export class PipelineQueues implements OnApplicationShutdown {
  readonly connection: Redis;
  private readonly queues = new Map<QueueName, Queue>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.connection = createRedisConnection(config.redis.url);
  }

  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.config.redis.prefix });
      this.queues.set(name, queue);
    }
    return queue;
  }

  async enqueue(stage: PipelineStage, callId: string): Promise<void> {
    const { queue: queueName, job } = PIPELINE[stage];
    const queue = this.queue(queueName);
    let jobId = stageJobId(callId, stage);
    const previous = await queue.getJob(jobId);
    const state = previous ? await previous.getState() : null;
    // A kept failed job would swallow the add (same id): a deliberate re-run replaces it. A waiting job will read
    // the latest state when it runs, so adding nothing is right; a running one may have read state older than
    // this request (a review committed meanwhile), so the stage runs once more under a re-run id.
    if (previous && state === 'failed') await previous.remove();
    if (state === 'active') jobId = `${jobId}.rerun-${Date.now()}`;
    await queue.add(
      job,
      { callId },
      {
        jobId,
        attempts: this.config.jobs.attempts,
        backoff: { type: 'exponential', delay: this.config.jobs.backoffMs },
        removeOnComplete: true,
        removeOnFail: KEEP_FAILED_JOBS,
      },
    );
  }

  /** Whether the stage's job for the call is on its queue, waiting or running (not lost, finished or failed). */
  async hasLiveJob(stage: PipelineStage, callId: string): Promise<boolean> {
    const job = await this.queue(PIPELINE[stage].queue).getJob(stageJobId(callId, stage));
    return job !== undefined && LIVE_STATES.has(await job.getState());
  }

  async ping(): Promise<void> {
    const reply = await this.connection.ping();
    if (reply !== 'PONG') throw new Error(`redis answered ${reply}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    await this.connection.quit().catch(() => undefined);
  }
}
