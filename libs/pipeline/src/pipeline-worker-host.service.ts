import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { withLogFields } from '#libs/logging';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { AudioToolMissingError } from '#libs/audio';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { CallRepository } from '#libs/db';
import { EarshotMetrics, type FailureClass } from '#libs/metrics';
import { JobName, PIPELINE, type PipelineStage, PermanentJobError, parseCallJobPayload, stageOfJob } from '#libs/queue';
import { PipelineQueues } from './pipeline-queues.service.js';
import { STAGE_PROCESSORS, type StageProcessor, indexProcessors } from './stage-processor.js';
import { StageTimings } from './stage-timings.js';
import type { StageReport } from './stage-report.js';

/** Runs every pipeline stage's BullMQ worker in this process and moves each call along the stage graph. */
@Injectable()
export class PipelineWorkerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(PipelineWorkerHost.name);
  private readonly workers: Worker[] = [];
  private readonly processors: Map<JobName, StageProcessor>;
  readonly timings = new StageTimings();
  // the class of a failure, decided in run(), for the metrics counted when BullMQ reports the failure
  private readonly failureClasses = new WeakMap<Job, FailureClass>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(STAGE_PROCESSORS) processors: StageProcessor[],
    private readonly queues: PipelineQueues,
    private readonly calls: CallRepository,
    private readonly metrics: EarshotMetrics,
  ) {
    this.processors = indexProcessors(processors);
  }

  onApplicationBootstrap(): void {
    for (const definition of Object.values(PIPELINE)) {
      const lockDuration = this.config.jobs.lockDurationMs;
      // every line a job's work logs carries its call, stage and job (structured logs)
      const inContext = (job: Job) => withLogFields({ callId: (job.data as { callId?: string }).callId, stage: definition.stage, jobId: job.id }, () => this.run(job));
      const worker = new Worker(definition.queue, inContext, {
        connection: this.queues.connection,
        prefix: this.config.redis.prefix,
        concurrency: this.config.jobs.concurrency[definition.stage],
        lockDuration,
        stalledInterval: lockDuration,
      });
      worker.on('failed', (job, error) => void this.onFailed(job, error));
      worker.on('completed', (job, result: StageReport | undefined) => this.onCompleted(definition.stage, job, result));
      worker.on('error', (error) => this.logger.error(`worker ${definition.queue}: ${error.message}`, error.stack));
      this.workers.push(worker);
    }
    this.logger.log(`pipeline workers started: ${this.workers.map((w) => w.name).join(', ')}`);
  }

  /** In-flight jobs finish; past the grace period they are abandoned to the stalled-job check of another worker. */
  async onApplicationShutdown(signal?: string): Promise<void> {
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

  private async run(job: Job): Promise<StageReport | undefined> {
    const processor = this.processors.get(job.name as JobName);
    if (!processor) throw new UnrecoverableError(`no processor for job ${job.name}`);
    const { stage, next } = stageOfJob(processor.jobName);
    let payload: { callId: string };
    try {
      payload = parseCallJobPayload(job.data);
    } catch (error) {
      throw new UnrecoverableError((error as Error).message);
    }
    const { callId } = payload;
    this.logger.debug(`start ${stage} callId=${callId} jobId=${job.id} attempt=${job.attemptsMade + 1}`);
    await this.calls.markStageStarted(callId, stage);
    let report: StageReport | void;
    try {
      report = await processor.process(payload);
    } catch (error) {
      if (error instanceof PermanentJobError) {
        this.failureClasses.set(job, 'permanent');
        await this.calls.markFailed(callId, stage, error.message);
        this.logger.warn(`permanent failure in ${stage} callId=${callId} jobId=${job.id}: ${error.message}`);
        throw new UnrecoverableError(error.message);
      }
      // The machine, not the call, is broken: five retries of every call cannot help and only bury the cause. The
      // call fails once with a message naming the fix; boot checks keep a process this broken from starting.
      if (error instanceof AudioToolMissingError) {
        this.failureClasses.set(job, 'environment');
        await this.calls.markFailed(callId, stage, error.message);
        this.logger.error(`environment error in ${stage} callId=${callId} jobId=${job.id}: ${error.message}`);
        throw new UnrecoverableError(error.message);
      }
      throw error;
    }
    await this.injectedDelay(stage);
    if (next) await this.queues.enqueue(next, callId);
    else await this.calls.markCompleted(callId);
    this.logger.debug(`done ${stage} callId=${callId} jobId=${job.id}`);
    // BullMQ keeps it as the job's result and hands it to the completed event, where it is counted
    return report ?? undefined;
  }

  private onCompleted(stage: PipelineStage, job: Job, report: StageReport | undefined): void {
    this.timings.record(stage, job);
    this.countReport(report);
    this.metrics.stageJobs.inc({ stage, outcome: 'completed', reason: 'none' });
    this.observeDuration(stage, job, 'completed');
    if (PIPELINE[stage].next === null) this.metrics.callsFinished.inc({ status: 'completed' });
  }

  private countReport(report: StageReport | undefined): void {
    for (const finding of report?.findings ?? []) {
      this.metrics.findings.inc({ family: finding.family ?? 'none', severity: finding.severity, source: finding.source });
    }
    if (report?.llm) {
      const model = report.llm.model ?? 'unknown';
      this.metrics.llmTokens.inc({ model, kind: 'input' }, report.llm.inputTokens);
      this.metrics.llmTokens.inc({ model, kind: 'output' }, report.llm.outputTokens);
      if (report.llm.costUsd !== null) this.metrics.llmCost.inc({ model }, report.llm.costUsd);
    }
    if (report?.transcription) {
      const { provider, model, seconds } = report.transcription;
      this.metrics.transcriptionDuration.observe({ provider, model }, seconds);
    }
  }

  private observeDuration(stage: PipelineStage, job: Job, outcome: 'completed' | 'failed'): void {
    if (job.processedOn === undefined || job.finishedOn === undefined) return;
    this.metrics.stageDuration.observe({ stage, outcome }, (job.finishedOn - job.processedOn) / 1000);
  }

  private async onFailed(job: Job | undefined, error: Error): Promise<void> {
    if (!job) return;
    const { stage } = stageOfJob(job.name as JobName);
    const attempts = job.opts.attempts ?? 1;
    const final = error instanceof UnrecoverableError || error.name === 'UnrecoverableError' || job.attemptsMade >= attempts;
    const callId = (job.data as { callId?: string }).callId;
    // an UnrecoverableError that run() did not classify (no processor, an invalid payload) is permanent too
    const reason = this.failureClasses.get(job) ?? (final && job.attemptsMade < attempts ? 'permanent' : 'transient');
    this.failureClasses.delete(job);
    this.metrics.stageJobs.inc({ stage, outcome: final ? 'failed' : 'retried', reason });
    this.observeDuration(stage, job, 'failed');
    if (final && callId) this.metrics.callsFinished.inc({ status: 'failed' });
    if (!final || !callId) {
      this.logger.warn(`${stage} callId=${callId} jobId=${job.id} failed (attempt ${job.attemptsMade}/${attempts}), retrying: ${error.message}`);
      return;
    }
    this.logger.error(`${stage} callId=${callId} jobId=${job.id} failed for good: ${error.message}`, error.stack);
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
