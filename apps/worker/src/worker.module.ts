import { Module } from '@nestjs/common';
import { CallsModule } from '#libs/calls';
import { DatabaseModule } from '#libs/db';
import { QueueModule } from '#libs/queue';
import { StorageModule } from '#libs/storage';
import { PipelineModule } from '#libs/pipeline';
import { RuleCatalogModule } from '#libs/rule-catalog';
import { LoggingModule } from '#libs/logging';
import { TempFileSweepModule } from '#libs/lifecycle';
import { LevelAlertsModule } from '#libs/level-alerts';
import { RetentionModule } from '#libs/retention';
import { WebhooksModule } from '#libs/webhooks';
import { BulkWorker } from './bulk-worker.js';
import { LevelAlertWorker } from './level-alert-worker.js';
import { PipelineWorker } from './pipeline-worker.js';
import { ScheduledJobs } from './scheduled-jobs.js';
import { StrandedCallsSweeper } from './stranded-calls.sweeper.js';
import { WebhookWorker } from './webhook-worker.js';

/** Every BullMQ worker of Earshot: the pipeline's lanes, webhook deliveries, the scheduled sweeps, bulk requests, level alerts; and the stranded-call sweeper. */
@Module({
  imports: [LoggingModule, TempFileSweepModule, DatabaseModule, StorageModule, QueueModule, PipelineModule, CallsModule, WebhooksModule, RetentionModule, RuleCatalogModule, LevelAlertsModule],
  providers: [PipelineWorker, WebhookWorker, ScheduledJobs, BulkWorker, LevelAlertWorker, StrandedCallsSweeper],
})
export class WorkerModule {}
