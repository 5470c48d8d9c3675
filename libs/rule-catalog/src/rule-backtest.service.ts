import { Injectable } from '@nestjs/common';
import { type CallListFilter, CallRepository, RuleBacktestRunRepository } from '#libs/db';
import type { FindingDraft } from '#libs/domain';
import {
  type BacktestCall,
  type BacktestReport,
  type CompiledRules,
  type RulePack,
  compileRulePack,
  runRules,
  summariseBacktest,
} from '#libs/rules';

const PAGE = 200;

export interface BacktestOptions {
  /** regex sources that may run natively (the shipped packs'); every other pattern runs on RE2 */
  trusted?: ReadonlySet<string>;
  /** the published version the draft would replace (null: none yet): findings added and removed are counted against it */
  baseline?: RulePack | null;
  /** told the number of calls read so far every PROGRESS_EVERY calls; answering false stops the run early */
  onProgress?: (processed: number) => Promise<boolean>;
}

const PROGRESS_EVERY = 100;

/** How a draft's findings differ from the baseline's on the same calls (by finding identity within a call). */
export interface BaselineComparison {
  added: number;
  removed: number;
  unchanged: number;
  callsChanged: number;
  byRule: Record<string, { added: number; removed: number }>;
}

export interface BacktestScope {
  filter: CallListFilter;
  callIds?: string[];
  limit: number;
}

/** Runs a draft pack over stored transcripts and compares with reviewed findings; reads only, writes nothing. */
@Injectable()
export class RuleBacktestService {
  constructor(
    private readonly calls: CallRepository,
    private readonly runs: RuleBacktestRunRepository,
  ) {}

  async run(
    pack: RulePack,
    scope: BacktestScope,
    examplesPerRule: number,
    options: BacktestOptions = {},
  ): Promise<BacktestReport & { skippedWithoutTranscript: number; comparedWith?: BaselineComparison; stoppedEarly?: true }> {
    const compileOptions = options.trusted ? { trustedPatterns: options.trusted } : {};
    const compiled = compileRulePack([pack], compileOptions);
    const baseline: CompiledRules | null = options.baseline ? compileRulePack([options.baseline], compileOptions) : null;
    const comparing = options.baseline !== undefined;
    const comparison: BaselineComparison = { added: 0, removed: 0, unchanged: 0, callsChanged: 0, byRule: {} };
    const evaluated: BacktestCall[] = [];
    let skipped = 0;
    let processed = 0;
    let stopped = false;
    pages: for await (const page of this.scopePages(scope)) {
      const inputs = await this.runs.backtestInputs(page.map((c) => c.id));
      for (const call of page) {
        if (options.onProgress && processed > 0 && processed % PROGRESS_EVERY === 0 && !(await options.onProgress(processed))) {
          stopped = true;
          break pages;
        }
        processed++;
        const input = inputs.get(call.id);
        if (!input) {
          skipped++;
          continue;
        }
        const runOptions = { callDurationSeconds: call.durationSeconds ?? undefined, policies: call.rulePolicies };
        const hits = runRules(compiled, input.transcript, runOptions);
        if (comparing) compare(comparison, hits, baseline ? runRules(baseline, input.transcript, runOptions) : []);
        evaluated.push({ callId: call.id, hits, reviewed: input.reviewed });
      }
    }
    const report = summariseBacktest(pack.rules, evaluated, examplesPerRule);
    return { ...report, skippedWithoutTranscript: skipped, ...(comparing ? { comparedWith: comparison } : {}), ...(stopped ? { stoppedEarly: true as const } : {}) };
  }

  /** The scope's calls, a page at a time (each page's transcripts and reviews are then read in one go). */
  private async *scopePages(scope: BacktestScope) {
    if (scope.callIds) {
      const ids = scope.callIds.slice(0, scope.limit);
      for (let i = 0; i < ids.length; i += PAGE) {
        const page = await Promise.all(ids.slice(i, i + PAGE).map((id) => this.calls.findById(id)));
        yield page.filter((c) => c !== null);
      }
      return;
    }
    let remaining = scope.limit;
    let cursor: { createdAt: Date; id: string } | undefined;
    while (remaining > 0) {
      const page = await this.calls.list(scope.filter, { limit: Math.min(PAGE, remaining), cursor });
      if (page.length > 0) yield page;
      remaining -= page.length;
      const last = page[page.length - 1];
      if (!last || page.length < PAGE) return;
      cursor = { createdAt: last.createdAt, id: last.id };
    }
  }
}

/** Findings are the same when their rule and place are (dedupe key without the version); counts what the draft adds and drops. */
function compare(into: BaselineComparison, draft: readonly FindingDraft[], base: readonly FindingDraft[]): void {
  const before = new Map(base.map((f) => [f.dedupeKey, f]));
  const after = new Map(draft.map((f) => [f.dedupeKey, f]));
  let changed = false;
  const bump = (ruleId: string, key: 'added' | 'removed') => {
    const entry = (into.byRule[ruleId] ??= { added: 0, removed: 0 });
    entry[key]++;
    into[key]++;
    changed = true;
  };
  for (const [key, f] of after) if (before.has(key)) into.unchanged++; else bump(f.ruleId, 'added');
  for (const [key, f] of before) if (!after.has(key)) bump(f.ruleId, 'removed');
  if (changed) into.callsChanged++;
}
