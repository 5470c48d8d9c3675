// Queue and job names are persisted in Redis: never rename a value, or waiting jobs are orphaned. Add new ones instead.

/** The pipeline's queues: a lane each, whose job runs its stages back to back (the graph in pipeline.ts says which). */
export enum QueueName {
  /** transcription by the provider: slow, rate-limited, its own concurrency */
  Transcribe = 'transcribe',
  /** everything after the transcript: audio analysis, checks, score, clips, rollup */
  Analysis = 'analysis',
}

/** Queues outside the pipeline stage graph (no call stage runs on them). The same rule: never rename a value. */
export enum SideQueueName {
  Webhooks = 'webhooks',
  Retention = 'retention',
  Redaction = 'redaction',
  /** requests over many calls (a bulk re-score), fanned out into pipeline jobs by the worker with progress */
  Bulk = 'bulk',
  /** housekeeping on a schedule: expired sessions, old security events */
  Maintenance = 'maintenance',
  /** thresholds of group, team and campaign days, judged at most once a second per level however many calls finish */
  LevelAlerts = 'level-alerts',
}

export enum BulkJobName {
  RescoreCalls = 'rescore-calls',
  /** a period of stored calls checked again with the live rule packs, in batches; changed calls re-scored */
  RecheckCalls = 'recheck-calls',
  /** a large backtest of a rule pack draft (its run row holds the request, progress and result) */
  BacktestDraft = 'backtest-draft',
}

export enum SideJobName {
  DeliverWebhook = 'deliver-webhook',
}

/** Jobs of the retention queue (a scheduled sweep; its own enum so each side worker checks only its own names). */
export enum RetentionJobName {
  SweepRecordings = 'sweep-recordings',
}

/** The job scheduler (BullMQ upsertJobScheduler id) that runs the retention sweep; persisted too, never rename. */
export const RETENTION_SWEEP_SCHEDULER_ID = 'retention-sweep';

/** Jobs of the redaction queue: the scheduled backfill that brings stored calls up to the current redaction rules. */
export enum RedactionJobName {
  Backfill = 'backfill-redaction',
}

/** The job scheduler that runs the redaction backfill; persisted too, never rename. */
export const REDACTION_BACKFILL_SCHEDULER_ID = 'redaction-backfill';

/** Jobs of the maintenance queue. */
export enum MaintenanceJobName {
  Housekeeping = 'housekeeping',
}

/** The job scheduler that runs the housekeeping; persisted too, never rename. */
export const HOUSEKEEPING_SCHEDULER_ID = 'housekeeping';

/** Jobs of the level-alerts queue. */
export enum LevelAlertJobName {
  JudgeLevelDay = 'judge-level-day',
}
