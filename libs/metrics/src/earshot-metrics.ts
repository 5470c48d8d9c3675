import { timingSafeEqual, createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Why a job attempt failed, for the failure counters: a class, never the message (unbounded cardinality). */
export type FailureClass = 'permanent' | 'environment' | 'transient';

/**
 * Every Prometheus metric of one process, in its own registry (two apps in one test process do not collide).
 * Fed from job lifecycle events and HTTP request ends, never from inside a stage's logic.
 */
@Injectable()
export class EarshotMetrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'earshot_http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  readonly stageJobs = new Counter({
    name: 'earshot_stage_jobs_total',
    help: 'Pipeline job attempts by stage and outcome (completed, retried, failed) and failure class',
    labelNames: ['stage', 'outcome', 'reason'] as const,
    registers: [this.registry],
  });

  readonly stageDuration = new Histogram({
    name: 'earshot_stage_duration_seconds',
    help: 'Time a pipeline job ran, by stage and outcome',
    labelNames: ['stage', 'outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [this.registry],
  });

  readonly callsFinished = new Counter({
    name: 'earshot_calls_finished_total',
    help: 'Calls that left the pipeline, by final status (completed, failed)',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  readonly queueJobs = new Gauge({
    name: 'earshot_queue_jobs',
    help: 'Jobs per queue and state (waiting, active, delayed, failed), read from Redis at scrape time',
    labelNames: ['queue', 'state'] as const,
    registers: [this.registry],
  });

  readonly queueOldestWaiting = new Gauge({
    name: 'earshot_queue_oldest_waiting_seconds',
    help: 'Age of the oldest job waiting in each queue (0 when none waits), read at scrape time',
    labelNames: ['queue'] as const,
    registers: [this.registry],
  });

  readonly findings = new Counter({
    name: 'earshot_findings_total',
    help: 'Findings produced by check runs, by rule family, severity and source (a re-run counts its findings again)',
    labelNames: ['family', 'severity', 'source'] as const,
    registers: [this.registry],
  });

  readonly llmTokens = new Counter({
    name: 'earshot_llm_tokens_total',
    help: 'LLM tokens used by the LLM checks, by model and kind (input, output)',
    labelNames: ['model', 'kind'] as const,
    registers: [this.registry],
  });

  readonly llmCost = new Counter({
    name: 'earshot_llm_cost_usd_total',
    help: 'Cost of the LLM checks in USD, by model (only with LLM_PRICE_*_PER_MTOK set)',
    labelNames: ['model'] as const,
    registers: [this.registry],
  });

  readonly llmAnswersDiscarded = new Counter({
    name: 'earshot_llm_answers_discarded_total',
    help: 'LLM answers discarded (a quote not in the transcript, or an unusable reply), by question id',
    labelNames: ['question'] as const,
    registers: [this.registry],
  });

  readonly llmChecksSkipped = new Counter({
    name: 'earshot_llm_checks_skipped_total',
    help: "Calls whose LLM checks were skipped by a campaign limit, by reason (cost_ceiling: the campaign's daily ceiling was reached)",
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly transcriptionDuration = new Histogram({
    name: 'earshot_transcription_request_duration_seconds',
    help: 'Time the transcription provider took per call (all its requests), by provider and model',
    labelNames: ['provider', 'model'] as const,
    buckets: [0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300],
    registers: [this.registry],
  });

  readonly transcriptionRequestDuration = new Histogram({
    name: 'earshot_transcription_provider_request_duration_seconds',
    help: 'Time of each HTTP request to the transcription provider (a retry is a request), by provider, model and outcome (ok, error)',
    labelNames: ['provider', 'model', 'outcome'] as const,
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120],
    registers: [this.registry],
  });

  readonly transcriptionRequestErrors = new Counter({
    name: 'earshot_transcription_provider_errors_total',
    help: 'Failed requests to the transcription provider, by provider, model and error class (rate_limited, server_error, timeout, connection, authentication, rejected, too_large, other)',
    labelNames: ['provider', 'model', 'error_class'] as const,
    registers: [this.registry],
  });

  readonly webhookDeliveries = new Counter({
    name: 'earshot_webhook_deliveries_total',
    help: 'Webhook delivery attempts by event type and outcome (delivered, retried, failed: given up or rejected)',
    labelNames: ['event_type', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly webhookDuration = new Histogram({
    name: 'earshot_webhook_attempt_duration_seconds',
    help: 'Time a webhook attempt took, by event type',
    labelNames: ['event_type'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  private readonly samplers: (() => Promise<void>)[] = [];

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Work to do just before each scrape (reading queue depths from Redis). */
  beforeScrape(sampler: () => Promise<void>): void {
    this.samplers.push(sampler);
  }

  /** The Prometheus text exposition of every metric, gauges sampled now. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    await Promise.all(this.samplers.map((sample) => sample().catch(() => undefined)));
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/** Whether an Authorization header carries the metrics token (constant-time). */
export function metricsTokenMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer (.+)$/i.exec(header ?? '')?.[1] ?? '';
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(token));
}
