import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Worker } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { RedactionBackfillService } from '#libs/pipeline';
import {
  InvalidJobPayloadError,
  JobQueues,
  REDACTION_BACKFILL_SCHEDULER_ID,
  RETENTION_SWEEP_SCHEDULER_ID,
  RedactionJobName,
  RetentionJobName,
  SCHEDULED_JOB_OPTIONS,
  SideQueueName,
} from '#libs/queue';
import { RecordingRetentionService } from '#libs/retention';
import { startQueueWorker } from './queue-worker.js';

interface ScheduledJob {
  queue: SideQueueName;
  schedulerId: string;
  jobName: string;
  everyMs: number;
  run(): Promise<void>;
}

/**
 * The periodic sweeps (recording retention, the redaction backfill) through BullMQ job schedulers: upserted by every
 * worker process at boot (one schedule however many workers; re-created at the next boot if Redis lost it), each run
 * taken by one worker. A run with failures fails its job, so it shows among the queue's failed jobs; it is not
 * retried, because the next run repeats whatever is still due.
 */
@Injectable()
export class ScheduledJobs implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ScheduledJobs.name);
  private readonly workers: Worker[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queues: JobQueues,
    private readonly retention: RecordingRetentionService,
    private readonly redaction: RedactionBackfillService,
  ) {}

  private jobs(): ScheduledJob[] {
    return [
      {
        queue: SideQueueName.Retention,
        schedulerId: RETENTION_SWEEP_SCHEDULER_ID,
        jobName: RetentionJobName.SweepRecordings,
        everyMs: this.config.retention.sweepIntervalMs,
        run: async () => {
          const { failedCalls } = await this.retention.sweep();
          if (failedCalls.length > 0) throw new Error(`retention sweep could not delete the recordings of ${failedCalls.length} call(s): ${failedCalls.join(', ')}`);
        },
      },
      {
        queue: SideQueueName.Redaction,
        schedulerId: REDACTION_BACKFILL_SCHEDULER_ID,
        jobName: RedactionJobName.Backfill,
        everyMs: this.config.redaction.backfillIntervalMs,
        run: async () => {
          const { failed } = await this.redaction.backfill();
          if (failed.length > 0) throw new Error(`redaction backfill failed for ${failed.length} call(s): ${failed.join(', ')}`);
        },
      },
    ];
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const scheduled of this.jobs()) {
      await this.queues.queue(scheduled.queue).upsertJobScheduler(
        scheduled.schedulerId,
        { every: scheduled.everyMs },
        { name: scheduled.jobName, data: {}, opts: SCHEDULED_JOB_OPTIONS },
      );
      const worker = startQueueWorker(
        this.config,
        this.queues.connection,
        scheduled.queue,
        async (job) => {
          if (job.name !== scheduled.jobName) throw new InvalidJobPayloadError(`no handler for job ${job.name}`);
          await scheduled.run();
        },
        { concurrency: 1, lockDurationMs: this.config.jobs.lockDurationMs },
      );
      worker.on('failed', (_job, error) => this.logger.error(`${scheduled.jobName}: ${error.message}`));
      this.workers.push(worker);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
  }
}
