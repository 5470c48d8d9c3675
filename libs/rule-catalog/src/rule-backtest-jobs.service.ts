import { Injectable, Logger } from '@nestjs/common';
import type { JsonValue } from '#libs/audit';
import { RuleBacktestRunRepository, type RuleBacktestRunRecord } from '#libs/db';
import { JobQueues } from '#libs/queue';
import type { RulePack } from '#libs/rules';
import { RuleCatalogService } from './rule-catalog.service.js';
import { type BacktestScope, RuleBacktestService } from './rule-backtest.service.js';

export interface DraftBacktestInput {
  key: string;
  pack: RulePack;
  draftUpdatedAt: Date;
  live: RulePack | null;
  scope: BacktestScope;
  examplesPerRule: number;
  actor: string;
  request: JsonValue;
}

/** What a background run's row holds besides the caller's body: enough for the worker to run it as asked. */
interface StoredRunRequest {
  body: JsonValue;
  draftUpdatedAt: string;
  examplesPerRule: number;
  scope: { filter: { from?: string; to?: string; agentExternalId?: string; campaignExternalId?: string }; callIds?: string[]; limit: number };
}

/**
 * Backtests of a draft: inline for small scopes; large ones run as a job on the bulk queue, owned by the worker app
 * (progress and the report in the run's row, cancellable between pages through the row).
 */
@Injectable()
export class RuleBacktestJobs {
  private readonly logger = new Logger(RuleBacktestJobs.name);

  constructor(
    private readonly backtests: RuleBacktestService,
    private readonly runs: RuleBacktestRunRepository,
    private readonly catalog: RuleCatalogService,
    private readonly queues: JobQueues,
  ) {}

  /** Runs the backtest now and records that this draft was backtested. */
  async inline(input: DraftBacktestInput, onProgress?: (processed: number) => Promise<boolean>) {
    const trusted = await this.catalog.trusted();
    const report = await this.backtests.run(input.pack, input.scope, input.examplesPerRule, { trusted, baseline: input.live, onProgress });
    const hits = report.rules.reduce((n, r) => n + r.hits, 0);
    const recorded = report.stoppedEarly ? false : await this.catalog.recordBacktest(input.key, input.pack, input.draftUpdatedAt, input.actor, { calls: report.calls, hits });
    return {
      pack: { key: input.key, draftUpdatedAt: input.draftUpdatedAt },
      ...report,
      rules: report.rules.map((r) => ({ ...r, examples: r.examples.map((e) => ({ ...e, link: callLink(e.callId, e.startSeconds) })) })),
      recorded,
    };
  }

  /** Queues the backtest on the bulk queue (the worker runs it); poll `find`, stop with `cancel`. */
  async start(input: DraftBacktestInput): Promise<RuleBacktestRunRecord> {
    const { filter } = input.scope;
    const request: StoredRunRequest = {
      body: input.request,
      draftUpdatedAt: input.draftUpdatedAt.toISOString(),
      examplesPerRule: input.examplesPerRule,
      scope: {
        filter: {
          ...(filter.from ? { from: filter.from.toISOString() } : {}),
          ...(filter.to ? { to: filter.to.toISOString() } : {}),
          ...(filter.agentExternalId ? { agentExternalId: filter.agentExternalId } : {}),
          ...(filter.campaignExternalId ? { campaignExternalId: filter.campaignExternalId } : {}),
        },
        ...(input.scope.callIds ? { callIds: input.scope.callIds } : {}),
        limit: input.scope.limit,
      },
    };
    const run = await this.runs.start(input.key, input.scope.limit, request as unknown as JsonValue, input.actor);
    try {
      await this.queues.enqueueBacktest(run.id);
    } catch (error) {
      await this.runs.finish(run.id, 'failed', { error: `could not queue the backtest: ${(error as Error).message}` });
      throw error;
    }
    return run;
  }

  /** Runs a queued backtest (the worker's bulk job): the draft as it was asked for, or fails the run if it changed. */
  async runQueued(runId: string): Promise<void> {
    const run = await this.runs.find(runId);
    if (!run || run.status !== 'running') return;
    const request = run.request as StoredRunRequest;
    let draft: Awaited<ReturnType<RuleCatalogService['draft']>>;
    try {
      draft = await this.catalog.draft(run.packKey);
    } catch (error) {
      await this.runs.finish(runId, 'failed', { error: (error as Error).message });
      return;
    }
    const { pack, draftUpdatedAt, live } = draft;
    if (draftUpdatedAt.toISOString() !== request.draftUpdatedAt) {
      await this.runs.finish(runId, 'failed', { error: 'the draft changed after this backtest was asked for; start it again' });
      return;
    }
    const f = request.scope.filter;
    const scope: BacktestScope = {
      filter: {
        ...(f.from ? { from: new Date(f.from) } : {}),
        ...(f.to ? { to: new Date(f.to) } : {}),
        ...(f.agentExternalId ? { agentExternalId: f.agentExternalId } : {}),
        ...(f.campaignExternalId ? { campaignExternalId: f.campaignExternalId } : {}),
      },
      ...(request.scope.callIds ? { callIds: request.scope.callIds } : {}),
      limit: request.scope.limit,
    };
    await this.execute(runId, { key: run.packKey, pack, draftUpdatedAt, live, scope, examplesPerRule: request.examplesPerRule, actor: run.requestedBy, request: request.body });
  }

  find(id: string): Promise<RuleBacktestRunRecord | null> {
    return this.runs.find(id);
  }

  cancel(id: string): Promise<boolean> {
    return this.runs.requestCancel(id);
  }

  private async execute(id: string, input: DraftBacktestInput): Promise<void> {
    let processed = 0;
    try {
      const result = await this.inline(input, async (n) => {
        processed = n;
        return this.runs.progress(id, n);
      });
      const status = result.stoppedEarly ? 'cancelled' : 'completed';
      await this.runs.finish(id, status, { result: JSON.parse(JSON.stringify(result)) as JsonValue, processed: result.calls + result.skippedWithoutTranscript });
      this.logger.log(`backtest ${id} of ${input.key} ${status} after ${result.calls} calls`);
    } catch (error) {
      this.logger.error(`backtest ${id} of ${input.key} failed after ${processed} calls: ${(error as Error).message}`, (error as Error).stack);
      await this.runs.finish(id, 'failed', { error: (error as Error).message, processed }).catch((e: Error) => this.logger.error(`could not record the failure of backtest ${id}`, e.stack));
    }
  }
}

/** The console's call page at the moment of the evidence. */
function callLink(callId: string, startSeconds: number | undefined): string {
  return `/calls/${callId}${startSeconds !== undefined ? `?t=${Math.max(0, Math.floor(startSeconds))}` : ''}`;
}
