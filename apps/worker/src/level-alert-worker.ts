import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Job, Worker } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { LevelAlertService } from '#libs/level-alerts';
import { InvalidJobPayloadError, JobQueues, LevelAlertJobName, SideQueueName, parseLevelDayPayload } from '#libs/queue';
import { startQueueWorker } from './queue-worker.js';

/**
 * Judges group, team and campaign days against the thresholds, one job per level day and second (the rollup stage
 * queues them), one at a time: a level's judgement reads its day's calls, so it runs once for all the calls of a
 * second rather than once for each.
 */
@Injectable()
export class LevelAlertWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private worker: Worker | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queues: JobQueues,
    private readonly levelAlerts: LevelAlertService,
  ) {}

  onApplicationBootstrap(): void {
    this.worker = startQueueWorker(this.config, this.queues.connection, SideQueueName.LevelAlerts, (job) => this.judge(job), {
      concurrency: 1,
      lockDurationMs: this.config.jobs.lockDurationMs,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }

  private async judge(job: Job): Promise<{ raised: number }> {
    if (job.name !== LevelAlertJobName.JudgeLevelDay) throw new InvalidJobPayloadError(`no handler for job ${job.name}`);
    const raised = await this.levelAlerts.judgeLevelDay(parseLevelDayPayload(job.data));
    return { raised: raised.length };
  }
}
