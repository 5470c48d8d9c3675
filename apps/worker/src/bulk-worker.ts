import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { EvaluationRepository } from '#libs/db';
import {
  BulkJobName,
  type BulkProgress,
  type BulkRescorePayload,
  InvalidJobPayloadError,
  JobQueues,
  parseBacktestPayload,
  parseRecheckPayload,
  type RecheckProgress,
  SideQueueName,
} from '#libs/queue';
import { RuleBacktestJobs, RuleRecheckService } from '#libs/rule-catalog';
import { SideQueueWorker } from './side-queue-worker.js';

const FAN_OUT_BATCH = 500;

/**
 * Requests over many calls, a job at a time: a re-score fanned out into pipeline jobs, a re-check of stored calls
 * with the live rule packs, a large backtest of a draft. Each reports progress on its own job (or its run row).
 */
@Injectable()
export class BulkWorker extends SideQueueWorker {
  private readonly logger = new Logger(BulkWorker.name);

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    queues: JobQueues,
    private readonly evaluations: EvaluationRepository,
    private readonly rechecks: RuleRecheckService,
    private readonly backtests: RuleBacktestJobs,
  ) {
    super(config, queues, SideQueueName.Bulk, 1);
  }

  protected async handle(job: Job): Promise<BulkProgress | RecheckProgress | null> {
    this.logger.log(`bulk job ${job.name} jobId=${job.id} started`);
    switch (job.name) {
      case BulkJobName.RescoreCalls:
        return this.rescore(job);
      case BulkJobName.RecheckCalls:
        return this.rechecks.run(parseRecheckPayload(job.data), (progress) => job.updateProgress({ ...progress }));
      case BulkJobName.BacktestDraft:
        await this.backtests.runQueued(parseBacktestPayload(job.data).runId);
        return null;
      default:
        throw new InvalidJobPayloadError(`no handler for job ${job.name}`);
    }
  }

  private async rescore(job: Job): Promise<BulkProgress> {
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
