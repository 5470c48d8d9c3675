import { randomUUID } from 'node:crypto';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Job, Worker } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { EvaluationRepository } from '#libs/db';
import { BulkJobName, type BulkProgress, type BulkRescorePayload, InvalidJobPayloadError, JobQueues, SideQueueName } from '#libs/queue';
import { startQueueWorker } from './queue-worker.js';

const FAN_OUT_BATCH = 500;

/** Turns a bulk request into pipeline jobs, a batch at a time, reporting progress on its own job. */
@Injectable()
export class BulkWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private worker: Worker | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queues: JobQueues,
    private readonly evaluations: EvaluationRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.worker = startQueueWorker(this.config, this.queues.connection, SideQueueName.Bulk, (job) => this.run(job), {
      concurrency: 1,
      lockDurationMs: this.config.jobs.lockDurationMs,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }

  private async run(job: Job): Promise<BulkProgress> {
    if (job.name !== BulkJobName.RescoreCalls) throw new InvalidJobPayloadError(`no handler for job ${job.name}`);
    const { limit, ...filter } = job.data as BulkRescorePayload;
    const ids = await this.evaluations.callsToRescore(filter, limit);
    const batch = randomUUID().slice(0, 8);
    const progress: BulkProgress = { total: ids.length, queued: 0 };
    await job.updateProgress(progress);
    for (let start = 0; start < ids.length; start += FAN_OUT_BATCH) {
      const slice = ids.slice(start, start + FAN_OUT_BATCH);
      await this.queues.enqueueMany('score', slice, batch);
      progress.queued += slice.length;
      await job.updateProgress(progress);
    }
    return progress;
  }
}
