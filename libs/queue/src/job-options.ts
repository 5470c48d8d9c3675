import type { JobsOptions } from 'bullmq';
import type { AppConfig } from '#libs/config';

/**
 * How long failed jobs stay visible (queue dashboard, `/metrics`) before Redis forgets them: the one place that says
 * so for every queue. Completed jobs are removed at once; their results live in Postgres.
 */
const KEEP_FAILED = {
  pipeline: { age: 7 * 24 * 3600, count: 10_000 },
  webhooks: { age: 30 * 24 * 3600, count: 10_000 },
  scheduled: { age: 30 * 24 * 3600, count: 1000 },
} as const;

/** A call's stage job: retried with exponential backoff (transient failures); permanent ones fail at once. */
export function pipelineJobOptions(config: AppConfig): JobsOptions {
  return {
    attempts: config.jobs.attempts,
    backoff: { type: 'exponential', delay: config.jobs.backoffMs },
    removeOnComplete: true,
    removeOnFail: KEEP_FAILED.pipeline,
  };
}

/** One webhook delivery: retried until the receiver accepts it or the attempts run out. */
export function webhookJobOptions(config: AppConfig): JobsOptions {
  return {
    attempts: config.webhooks.attempts,
    backoff: { type: 'exponential', delay: config.webhooks.backoffMs },
    removeOnComplete: true,
    removeOnFail: KEEP_FAILED.webhooks,
  };
}

/** A scheduled sweep: not retried, the next run repeats whatever is still due. */
export const SCHEDULED_JOB_OPTIONS: JobsOptions = { attempts: 1, removeOnComplete: true, removeOnFail: KEEP_FAILED.scheduled };

/** A bulk request: run once (it is safe to ask again), kept a day after it finishes so its caller can read the outcome. */
export const BULK_JOB_OPTIONS: JobsOptions = { attempts: 1, removeOnComplete: { age: 24 * 3600 }, removeOnFail: KEEP_FAILED.scheduled };

/** A level's day judged: retried a few times (a later call of the level judges it again anyway). */
export const LEVEL_JUDGEMENT_JOB_OPTIONS: JobsOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: true,
  removeOnFail: KEEP_FAILED.scheduled,
};
