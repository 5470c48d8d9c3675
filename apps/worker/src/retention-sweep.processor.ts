import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { createRedisConnection } from '#libs/pipeline';
import { RETENTION_SWEEP_SCHEDULER_ID, RetentionJobName, SideQueueName } from '#libs/queue';
import { RecordingRetentionService } from '#libs/retention';

const KEEP_FAILED_JOBS = { age: 30 * 24 * 3600, count: 1000 };

/**
 * Runs the recording-retention sweep every RETENTION_SWEEP_INTERVAL_MINUTES through a BullMQ job scheduler: upserted
 * by every worker process at boot (one schedule however many workers), each run taken by one worker. A failed run is
 * not retried: the next one repeats whatever is still due.
 */
@Injectable()
export class RetentionSweepProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionSweepProcessor.name);
  private connection: Redis | null = null;
  private queue: Queue | null = null;
  private worker: Worker | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly retention: RecordingRetentionService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.connection = createRedisConnection(this.config.redis.url);
    const options = { connection: this.connection, prefix: this.config.redis.prefix };
    this.queue = new Queue(SideQueueName.Retention, options);
    await this.queue.upsertJobScheduler(
      RETENTION_SWEEP_SCHEDULER_ID,
      { every: this.config.retention.sweepIntervalMs },
      { name: RetentionJobName.SweepRecordings, data: {}, opts: { attempts: 1, removeOnComplete: true, removeOnFail: KEEP_FAILED_JOBS } },
    );
    this.worker = new Worker(
      SideQueueName.Retention,
      async (job) => {
        if (job.name !== RetentionJobName.SweepRecordings) throw new UnrecoverableError(`no handler for job ${job.name}`);
        await this.sweep();
      },
      { ...options, concurrency: 1, lockDuration: this.config.jobs.lockDurationMs },
    );
    this.worker.on('error', (error) => this.logger.error(`retention worker: ${error.message}`, error.stack));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    await this.queue?.close();
    await this.connection?.quit().catch(() => undefined);
  }

  /** The service logs what it deleted; a run with failures fails the job, so it shows among the queue's failed jobs. */
  private async sweep(): Promise<void> {
    const result = await this.retention.sweep();
    if (result.failedCalls.length > 0) {
      throw new Error(`retention sweep could not delete the recordings of ${result.failedCalls.length} call(s): ${result.failedCalls.join(', ')}`);
    }
  }
}
