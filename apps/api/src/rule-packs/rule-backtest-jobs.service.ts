import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { JsonValue } from '#libs/audit';
import { RuleBacktestRunRepository, type RuleBacktestRunRecord } from '#libs/db';
import { RuleCatalogService } from '#libs/rule-catalog';
import type { RulePack } from '#libs/rules';
import { type BacktestScope, RuleBacktestService } from '../rules/rule-backtest.service.js';

/** A run with no progress for this long belonged to a process that stopped. */
const STALE_MS = 10 * 60 * 1000;

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

/**
 * Backtests of a draft: inline for small scopes, in the background for large ones (progress in the database,
 * cancellable between pages). The run belongs to the API process that started it.
 */
@Injectable()
export class RuleBacktestJobs implements OnModuleInit {
  private readonly logger = new Logger(RuleBacktestJobs.name);

  constructor(
    private readonly backtests: RuleBacktestService,
    private readonly runs: RuleBacktestRunRepository,
    private readonly catalog: RuleCatalogService,
  ) {}

  async onModuleInit(): Promise<void> {
    const failed = await this.runs.failStale(new Date(Date.now() - STALE_MS));
    if (failed > 0) this.logger.warn(`${failed} backtest runs left running by a stopped process marked failed`);
  }

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

  /** Starts the backtest in the background; poll `find`, stop with `cancel`. */
  async start(input: DraftBacktestInput): Promise<RuleBacktestRunRecord> {
    const run = await this.runs.start(input.key, input.scope.limit, input.request, input.actor);
    void this.execute(run.id, input);
    return run;
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
