import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Job, Worker } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { CallRepository } from '#libs/db';
import { EarshotMetrics } from '#libs/metrics';
import { type StageCall, type StageReport, StageRunner } from '#libs/pipeline';
import { InvalidJobPayloadError, JobQueues, PIPELINE, type PipelineStage, QueueName, isPipelineStage, parseCallJobPayload } from '#libs/queue';
import { withLogFields } from '#libs/logging';
import { classifyFailure } from './job-failure.js';
import { startQueueWorker } from './queue-worker.js';

/** The job name the first version gave the transcribe stage; a job queued before the upgrade still runs. */
const LEGACY_JOB_STAGES: Readonly<Record<string, PipelineStage>> = { 'transcribe-call': 'transcribe' };

/**
 * Runs the pipeline's lanes: a job starts at its stage (its name) and runs the stages of its lane back to back, one
 * status write per stage, handing the call to the next lane's queue where the graph says so. A failure names its
 * stage; a retry resumes at it. A closing worker finishes the stage in hand and queues the rest.
 */
@Injectable()
export class PipelineWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PipelineWorker.name);
  private readonly workers: Worker[] = [];
  private closing = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly stages: StageRunner,
    private readonly queues: JobQueues,
    private readonly calls: CallRepository,
    private readonly metrics: EarshotMetrics,
  ) {}

  onApplicationBootstrap(): void {
    for (const lane of Object.values(QueueName)) {
      const worker = startQueueWorker(this.config, this.queues.connection, lane, (job) => this.runLane(lane, job), {
        concurrency: this.config.jobs.concurrency[lane],
        lockDurationMs: this.config.jobs.lockDurationMs,
      });
      worker.on('failed', (job, error) => void this.onFailed(job, error));
      this.workers.push(worker);
    }
    this.logger.log(`pipeline workers started: ${this.workers.map((w) => `${w.name} (${w.concurrency})`).join(', ')}`);
  }

  /** In-flight stages finish; past the grace period their jobs are abandoned to the stalled-job check of another worker. */
  async onApplicationShutdown(signal?: string): Promise<void> {
    this.closing = true;
    this.logger.log(`shutting down workers (${signal ?? 'close'}), waiting up to ${this.config.jobs.shutdownGraceMs} ms`);
    const graceful = Promise.all(this.workers.map((worker) => worker.close()));
    const timer = new AbortController();
    const deadline = sleep(this.config.jobs.shutdownGraceMs, 'timeout' as const, { signal: timer.signal }).catch(() => 'cancelled' as const);
    const outcome = await Promise.race([graceful, deadline]);
    timer.abort();
    if (outcome === 'timeout') {
      this.logger.warn('grace period over: closing workers with jobs still running');
      await Promise.all(this.workers.map((worker) => worker.close(true)));
    }
  }

  private async runLane(lane: QueueName, job: Job): Promise<void> {
    const { callId, resumeAt } = parseCallJobPayload(job.data);
    let stage: PipelineStage | null = resumeAt ?? stageOfJob(job.name);
    // the stages of this job share one read of the call
    const call = this.stages.callOf(callId);
    while (stage) {
      const current: PipelineStage = stage;
      // every line the stage's work logs carries its call, stage and job
      await withLogFields({ callId, stage: current, jobId: job.id }, () => this.runStage(current, call, job));
      const next: PipelineStage | null = PIPELINE[stage].next;
      if (next === null) {
        await this.calls.markCompleted(callId);
        this.metrics.callsFinished.inc({ status: 'completed' });
        return;
      }
      if (PIPELINE[next].queue !== lane || this.closing) {
        await this.queues.enqueue(next, callId);
        return;
      }
      stage = next;
    }
  }

  private async runStage(stage: PipelineStage, call: StageCall, job: Job): Promise<void> {
    const callId = call.id;
    this.logger.debug(`start ${stage} callId=${callId} jobId=${job.id} attempt=${job.attemptsMade + 1}`);
    await this.calls.markStageStarted(callId, stage);
    const started = performance.now();
    let report: StageReport;
    try {
      report = await this.stages.run(stage, call);
    } catch (error) {
      const failure = classifyFailure(error);
      this.metrics.stageDuration.observe({ stage, outcome: 'failed' }, (performance.now() - started) / 1000);
      const message = (error as Error).message;
      if (failure === 'transient') {
        // the retry resumes here: what this job's lane committed before stays committed
        await job.updateData({ callId, resumeAt: stage });
      } else {
        await this.calls.markFailed(callId, stage, message);
        this.metrics.stageJobs.inc({ stage, outcome: 'failed', reason: failure });
        this.metrics.callsFinished.inc({ status: 'failed' });
        this.logger.warn(`${failure} failure in ${stage} callId=${callId} jobId=${job.id}: ${message}`);
      }
      throw error;
    }
    this.metrics.stageDuration.observe({ stage, outcome: 'completed' }, (performance.now() - started) / 1000);
    this.metrics.stageJobs.inc({ stage, outcome: 'completed', reason: 'none' });
    this.count(report);
    await this.injectedDelay(stage);
    this.logger.debug(`done ${stage} callId=${callId} jobId=${job.id}`);
  }

  private count(report: StageReport): void {
    for (const finding of report.findings ?? []) {
      this.metrics.findings.inc({ family: finding.family ?? 'none', severity: finding.severity, source: finding.source });
    }
    if (report.llm) {
      const model = report.llm.model ?? 'unknown';
      this.metrics.llmTokens.inc({ model, kind: 'input' }, report.llm.inputTokens);
      this.metrics.llmTokens.inc({ model, kind: 'output' }, report.llm.outputTokens);
      if (report.llm.costUsd !== null) this.metrics.llmCost.inc({ model }, report.llm.costUsd);
      for (const question of report.llm.discardedQuestions ?? []) this.metrics.llmAnswersDiscarded.inc({ question });
      if (report.llm.skipped) this.metrics.llmChecksSkipped.inc({ reason: report.llm.skipped });
    }
    if (report.transcription) {
      const { provider, model, seconds } = report.transcription;
      this.metrics.transcriptionDuration.observe({ provider, model }, seconds);
    }
  }

  /** Transient failures: retried until the attempts run out, then the call fails naming the stage it was in. */
  private async onFailed(job: Job | undefined, error: Error): Promise<void> {
    if (!job || classifyFailure(error) !== 'transient') return;
    const attempts = job.opts.attempts ?? 1;
    // BullMQ's own verdict: out of attempts, or stalled too often (which fails a job whatever its attempts)
    const final = (await job.getState().catch(() => 'unknown')) === 'failed';
    const payload = job.data as { callId?: unknown; resumeAt?: unknown };
    const stage = isPipelineStage(payload.resumeAt) ? payload.resumeAt : stageOfJob(job.name);
    this.metrics.stageJobs.inc({ stage, outcome: final ? 'failed' : 'retried', reason: 'transient' });
    const callId = typeof payload.callId === 'string' ? payload.callId : undefined;
    if (!final || !callId) {
      this.logger.warn(`${stage} callId=${callId} jobId=${job.id} failed (attempt ${job.attemptsMade}/${attempts}), retrying: ${error.message}`);
      return;
    }
    this.logger.error(`${stage} callId=${callId} jobId=${job.id} failed for good: ${error.message}`, error.stack);
    this.metrics.callsFinished.inc({ status: 'failed' });
    try {
      await this.calls.markFailed(callId, stage, error.message);
    } catch (markError) {
      this.logger.error(`could not mark call ${callId} failed`, (markError as Error).stack);
    }
  }

  /** Test-only fault injection: holds a stage after its write so a test can kill the worker mid-job. */
  private async injectedDelay(stage: PipelineStage): Promise<void> {
    const delay = this.config.faultInjection?.delayAfterStage?.[stage];
    if (delay) await sleep(delay);
  }
}

function stageOfJob(name: string): PipelineStage {
  const stage = isPipelineStage(name) ? name : LEGACY_JOB_STAGES[name];
  if (!stage) throw new InvalidJobPayloadError(`no pipeline stage runs job ${name}`);
  return stage;
}
