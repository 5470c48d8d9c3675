import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Worker } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { RedactionBackfillService } from '#libs/pipeline';
import {
  HOUSEKEEPING_SCHEDULER_ID,
  InvalidJobPayloadError,
  JobQueues,
  MaintenanceJobName,
  REDACTION_BACKFILL_SCHEDULER_ID,
  RETENTION_SWEEP_SCHEDULER_ID,
  RedactionJobName,
  RetentionJobName,
  SCHEDULED_JOB_OPTIONS,
  SideQueueName,
} from '#libs/queue';
import { HousekeepingService, RecordingRetentionService } from '#libs/retention';
import { startQueueWorker } from './queue-worker.js';

interface ScheduledJob {
  queue: SideQueueName;
  schedulerId: string;
  jobName: string;
  everyMs: number;
  run(): Promise<void>;
}

/** How often the housekeeping (dead sessions, old security events) runs. */
const HOUSEKEEPING_EVERY_MS = 60 * 60_000;

/**
 * The periodic sweeps (recording retention, the redaction backfill, housekeeping) through BullMQ job schedulers:
 * upserted by every worker process at boot (one schedule however many workers), and checked every
 * SCHEDULER_CHECK_SECONDS: a scheduler Redis lost (restarted without its data) is created again without a restart.
 * Each run is taken by one worker. A run with failures fails its job, so it shows among the queue's failed jobs; it is not
 * retried, because the next run repeats whatever is still due.
 */
@Injectable()
export class ScheduledJobs implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ScheduledJobs.name);
  private readonly workers: Worker[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queues: JobQueues,
    private readonly retention: RecordingRetentionService,
    private readonly redaction: RedactionBackfillService,
    private readonly housekeeping: HousekeepingService,
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
      {
        queue: SideQueueName.Maintenance,
        schedulerId: HOUSEKEEPING_SCHEDULER_ID,
        jobName: MaintenanceJobName.Housekeeping,
        everyMs: HOUSEKEEPING_EVERY_MS,
        run: async () => {
          await this.housekeeping.run();
        },
      },
    ];
  }

  /**
   * Upserts the schedulers: all of them at boot (an interval changed in the environment applies), else only those
   * missing from Redis (upserting an existing one again would move its next run). Returns how many it wrote.
   */
  async ensureSchedulers(options: { onlyMissing: boolean }): Promise<number> {
    let created = 0;
    for (const scheduled of this.jobs()) {
      const queue = this.queues.queue(scheduled.queue);
      if (options.onlyMissing && (await queue.getJobScheduler(scheduled.schedulerId))) continue;
      await queue.upsertJobScheduler(scheduled.schedulerId, { every: scheduled.everyMs }, { name: scheduled.jobName, data: {}, opts: SCHEDULED_JOB_OPTIONS });
      created++;
    }
    return created;
  }

  private async checkSchedulers(): Promise<void> {
    try {
      const created = await this.ensureSchedulers({ onlyMissing: true });
      if (created > 0) this.logger.warn(`re-created ${created} job scheduler(s) missing from Redis`);
    } catch (error) {
      this.logger.error(`could not check the job schedulers: ${(error as Error).message}`, (error as Error).stack);
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureSchedulers({ onlyMissing: false });
    this.timer = setInterval(() => void this.checkSchedulers(), this.config.jobs.schedulerCheckMs);
    this.timer.unref();
    for (const scheduled of this.jobs()) {
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
    clearInterval(this.timer);
    await Promise.all(this.workers.map((worker) => worker.close()));
  }
}
