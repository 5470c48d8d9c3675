import { Inject, Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { LevelAlertService } from '#libs/level-alerts';
import { InvalidJobPayloadError, JobQueues, LevelAlertJobName, SideQueueName, parseLevelDayPayload } from '#libs/queue';
import { SideQueueWorker } from './side-queue-worker.js';

/**
 * Judges group, team and campaign days against the thresholds, one job per level day and second (the rollup stage
 * queues them), one at a time: a level's judgement reads its day's calls, so it runs once for all the calls of a
 * second rather than once for each.
 */
@Injectable()
export class LevelAlertWorker extends SideQueueWorker {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    queues: JobQueues,
    private readonly levelAlerts: LevelAlertService,
  ) {
    super(config, queues, SideQueueName.LevelAlerts, 1);
  }

  protected async handle(job: Job): Promise<{ raised: number }> {
    if (job.name !== LevelAlertJobName.JudgeLevelDay) throw new InvalidJobPayloadError(`no handler for job ${job.name}`);
    const raised = await this.levelAlerts.judgeLevelDay(parseLevelDayPayload(job.data));
    return { raised: raised.length };
  }
}
