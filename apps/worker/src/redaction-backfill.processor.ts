import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { RedactionBackfillService, createRedisConnection } from '#libs/pipeline';
import { REDACTION_BACKFILL_SCHEDULER_ID, RedactionJobName, SideQueueName } from '#libs/queue';

const KEEP_FAILED_JOBS = { age: 30 * 24 * 3600, count: 1000 };

/**
 * Runs the redaction backfill every REDACTION_BACKFILL_INTERVAL_MINUTES through a BullMQ job scheduler (upserted by
 * every worker at boot, one schedule however many workers; the first run follows a deploy): calls stored under older
 * redaction rules or other kinds get a new redacted view, muted copy and clips. A failed run is not retried: the next
 * one repeats whatever is still stale.
 */
@Injectable()
export class RedactionBackfillProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RedactionBackfillProcessor.name);
  private connection: Redis | null = null;
  private queue: Queue | null = null;
  private worker: Worker | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly backfill: RedactionBackfillService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.connection = createRedisConnection(this.config.redis.url);
    const options = { connection: this.connection, prefix: this.config.redis.prefix };
    this.queue = new Queue(SideQueueName.Redaction, options);
    await this.queue.upsertJobScheduler(
      REDACTION_BACKFILL_SCHEDULER_ID,
      { every: this.config.redaction.backfillIntervalMs },
      { name: RedactionJobName.Backfill, data: {}, opts: { attempts: 1, removeOnComplete: true, removeOnFail: KEEP_FAILED_JOBS } },
    );
    this.worker = new Worker(
      SideQueueName.Redaction,
      async (job) => {
        if (job.name !== RedactionJobName.Backfill) throw new UnrecoverableError(`no handler for job ${job.name}`);
        await this.run();
      },
      { ...options, concurrency: 1, lockDuration: this.config.jobs.lockDurationMs },
    );
    this.worker.on('error', (error) => this.logger.error(`redaction worker: ${error.message}`, error.stack));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
    await this.queue?.close();
    await this.connection?.quit().catch(() => undefined);
  }

  /** The service logs each call; a run with failures fails the job, so it shows among the queue's failed jobs. */
  private async run(): Promise<void> {
    const result = await this.backfill.backfill();
    if (result.failed.length > 0) {
      throw new Error(`redaction backfill failed for ${result.failed.length} call(s): ${result.failed.join(', ')}`);
    }
  }
}
