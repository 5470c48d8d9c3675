import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { BULK_JOB_OPTIONS, LEVEL_JUDGEMENT_JOB_OPTIONS, pipelineJobOptions, webhookJobOptions } from './job-options.js';
import { type PipelineStage, STAGES, laneOf, stageJobId } from './pipeline.js';
import type { BulkBacktestPayload, BulkProgress, BulkRecheckPayload, BulkRescorePayload, LevelDayPayload, RecheckProgress } from './job-payloads.js';
import { BulkJobName, LevelAlertJobName, QueueName, SideJobName, SideQueueName } from './queue-names.js';
import { createRedisConnection } from './redis-connection.js';

/** How long after the end of its second a level judgement runs: the last rollups of that second have committed. */
const LEVEL_JUDGEMENT_MARGIN_MS = 100;

const LIVE_STATES = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

export interface EnqueueOptions {
  /** the call came with its transcript: its transcribe stage needs no provider (see laneOf) */
  transcriptSupplied?: boolean;
  /** the call was created just now: no earlier job can hold its id, so the lookup is skipped */
  newCall?: boolean;
}

/**
 * The producer side of every Earshot queue, on the process's one Redis connection (shared with the login rate
 * limiter): puts a call's stage on its lane at most once at a time, and a webhook delivery once.
 */
@Injectable()
export class JobQueues implements OnApplicationShutdown {
  readonly connection: Redis;
  private readonly queues = new Map<string, Queue>();
  /** the level judgements this process queued in the current second */
  private judgementsQueued = { second: 0, ids: new Set<string>() };

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.connection = createRedisConnection(config.redis.url);
  }

  queue(name: QueueName | SideQueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection, prefix: this.config.redis.prefix });
      this.queues.set(name, queue);
    }
    return queue;
  }

  async enqueue(stage: PipelineStage, callId: string, options: EnqueueOptions = {}): Promise<void> {
    const queue = this.queue(laneOf(stage, { transcriptSupplied: options.transcriptSupplied ?? false }));
    let jobId = stageJobId(callId, stage);
    if (!options.newCall) {
      const previous = await queue.getJob(jobId);
      const state = previous ? await previous.getState() : null;
      // A kept failed job would swallow the add (same id): a deliberate re-run replaces it. A waiting job will read
      // the latest state when it runs, so adding nothing is right; a running one may have read state older than
      // this request (a review committed meanwhile), so the stage runs once more under a re-run id.
      if (previous && state === 'failed') await previous.remove();
      if (state === 'active') jobId = `${jobId}.rerun-${Date.now()}`;
    }
    await queue.add(stage, { callId }, { ...pipelineJobOptions(this.config), jobId });
  }

  /**
   * Queues one stage for many calls in a few round trips (BullMQ addBulk), under ids of this batch: a call's earlier
   * job, kept because it failed, cannot swallow the new one.
   */
  async enqueueMany(stage: PipelineStage, callIds: readonly string[], batch: string): Promise<void> {
    const queue = this.queue(laneOf(stage, { transcriptSupplied: true }));
    const opts = pipelineJobOptions(this.config);
    await queue.addBulk(callIds.map((callId) => ({ name: stage, data: { callId }, opts: { ...opts, jobId: `${stageJobId(callId, stage)}.${batch}` } })));
  }

  /**
   * Queues the judgement of these level days for the end of the current second: the calls that finish within one
   * second share one job per level day (the same job id), which runs after all of them wrote their rollups.
   */
  async enqueueLevelJudgements(levels: readonly LevelDayPayload[], now = Date.now()): Promise<void> {
    const second = Math.floor(now / 1000);
    if (second !== this.judgementsQueued.second) this.judgementsQueued = { second, ids: new Set() };
    const queued = this.judgementsQueued.ids;
    // a job this process queued this second already stands for the rest of the second's calls: Redis would drop the
    // add as a duplicate id, after a script call a call
    const jobs = levels
      .map((level) => ({ level, jobId: `${level.level}.${level.id}.${level.day}.${second}` }))
      .filter(({ jobId }) => !queued.has(jobId));
    if (jobs.length === 0) return;
    const delay = (second + 1) * 1000 - now + LEVEL_JUDGEMENT_MARGIN_MS;
    await this.queue(SideQueueName.LevelAlerts).addBulk(
      jobs.map(({ level, jobId }) => ({ name: LevelAlertJobName.JudgeLevelDay, data: level, opts: { ...LEVEL_JUDGEMENT_JOB_OPTIONS, delay, jobId } })),
    );
    for (const { jobId } of jobs) queued.add(jobId);
  }

  /** Queues a bulk re-score; its job id is what the caller polls. */
  async enqueueBulkRescore(payload: BulkRescorePayload): Promise<string> {
    const job = await this.queue(SideQueueName.Bulk).add(BulkJobName.RescoreCalls, payload, BULK_JOB_OPTIONS);
    return job.id as string;
  }

  /** Queues a re-check of stored calls; its job id is what the caller polls (bulkJob). */
  async enqueueRecheck(payload: BulkRecheckPayload): Promise<string> {
    const job = await this.queue(SideQueueName.Bulk).add(BulkJobName.RecheckCalls, payload, BULK_JOB_OPTIONS);
    return job.id as string;
  }

  /** Queues a background backtest under its run's id (queued twice, it runs once). */
  async enqueueBacktest(runId: string): Promise<void> {
    const payload: BulkBacktestPayload = { runId };
    await this.queue(SideQueueName.Bulk).add(BulkJobName.BacktestDraft, payload, { ...BULK_JOB_OPTIONS, jobId: `backtest.${runId}` });
  }

  /** A bulk job's state and progress; null when Redis holds no such job (never queued, or finished long ago). */
  async bulkJob(jobId: string): Promise<{ state: string; progress: BulkProgress | null; failedReason: string | null } | null> {
    const job = await this.queue(SideQueueName.Bulk).getJob(jobId);
    if (!job) return null;
    const progress = typeof job.progress === 'object' && job.progress !== null ? (job.progress as BulkProgress) : null;
    return { state: await job.getState(), progress, failedReason: job.failedReason ?? null };
  }

  /** A re-check job's request, state and progress; null when Redis holds no such re-check. */
  async recheckJob(jobId: string): Promise<{ state: string; request: BulkRecheckPayload; progress: RecheckProgress | null; failedReason: string | null; finishedAt: Date | null } | null> {
    const job = await this.queue(SideQueueName.Bulk).getJob(jobId);
    if (!job || job.name !== BulkJobName.RecheckCalls) return null;
    const progress = typeof job.progress === 'object' && job.progress !== null ? (job.progress as RecheckProgress) : null;
    return { state: await job.getState(), request: job.data as BulkRecheckPayload, progress, failedReason: job.failedReason ?? null, finishedAt: job.finishedOn ? new Date(job.finishedOn) : null };
  }

  /**
   * Whether a job that runs the call's stage is on a lane, waiting, delayed or running (not lost, finished or failed).
   * A job is named for the stage it started at and runs its lane's later stages too, so the job of any earlier stage
   * may be the one holding this stage (mid-lane, or waiting to retry it).
   */
  async hasLiveJob(stage: PipelineStage, callId: string): Promise<boolean> {
    for (const holder of STAGES.slice(0, STAGES.indexOf(stage) + 1)) {
      const lanes = new Set([laneOf(holder, { transcriptSupplied: false }), laneOf(holder, { transcriptSupplied: true })]);
      for (const lane of lanes) {
        const job = await this.queue(lane).getJob(stageJobId(callId, holder));
        if (job && LIVE_STATES.has(await job.getState())) return true;
      }
    }
    return false;
  }

  /** Queues one webhook delivery; the job id is the delivery id, so queueing it twice runs it once. */
  async enqueueWebhook(deliveryId: string): Promise<void> {
    await this.queue(SideQueueName.Webhooks).add(SideJobName.DeliverWebhook, { deliveryId }, { ...webhookJobOptions(this.config), jobId: deliveryId });
  }

  async ping(): Promise<void> {
    const reply = await this.connection.ping();
    if (reply !== 'PONG') throw new Error(`redis answered ${reply}`);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    await this.connection.quit().catch(() => undefined);
  }
}
