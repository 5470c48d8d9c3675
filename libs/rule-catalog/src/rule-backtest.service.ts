import { Injectable } from '@nestjs/common';
import { type CallListFilter, CallRepository, RuleBacktestRunRepository } from '#libs/db';
import type { FindingDraft, NormalisedTranscript } from '#libs/domain';
import {
  type BacktestCall,
  type BacktestReport,
  type CompiledRules,
  type RulePack,
  type SearchableTranscript,
  compileRulePack,
  necessaryPhrases,
  runRules,
  runRulesOnSearchable,
  summariseBacktest,
} from '#libs/rules';

const PAGE = 1000;

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
    // the calls where neither the draft nor the version it replaces can fire need not be read
    const draftPhrases = necessaryPhrases(compiled);
    const baselinePhrases = baseline ? necessaryPhrases(baseline) : [];
    const phrases = draftPhrases === null || baselinePhrases === null ? null : [...new Set([...draftPhrases, ...baselinePhrases])];
    const evaluated: BacktestCall[] = [];
    const readWhole = new Set<string>();
    let calls = 0;
    let skipped = 0;
    let processed = 0;
    let stopped = false;
    pages: for await (const page of this.scopePages(scope, phrases)) {
      for (const call of page) {
        if (options.onProgress && processed > 0 && processed % PROGRESS_EVERY === 0 && !(await options.onProgress(processed))) {
          stopped = true;
          break pages;
        }
        processed++;
        if (!call.hasTranscript) {
          skipped++;
          continue;
        }
        calls++;
        const runOptions = { callDurationSeconds: call.durationSeconds ?? undefined, policies: call.rulePolicies };
        const run = (rules: CompiledRules): FindingDraft[] => {
          if (call.searchable) return runRulesOnSearchable(rules, call.searchable, runOptions);
          if (call.transcript) return runRules(rules, call.transcript, runOptions);
          return [];
        };
        const hits = run(compiled);
        if (call.transcript) readWhole.add(call.id);
        if (comparing) compare(comparison, hits, baseline ? run(baseline) : []);
        if (hits.length > 0 || call.reviewed.length > 0) evaluated.push({ callId: call.id, hits, reviewed: call.reviewed });
      }
    }
    const report = { ...summariseBacktest(pack.rules, evaluated, examplesPerRule), calls };
    await this.quoteExamples(report, compiled, readWhole);
    return { ...report, skippedWithoutTranscript: skipped, ...(comparing ? { comparedWith: comparison } : {}), ...(stopped ? { stoppedEarly: true as const } : {}) };
  }

  /**
   * Examples found in a searchable form quote normalised text with the segment's times: run the draft on those few
   * calls' transcripts to quote what was said, with word times where the transcript has them.
   */
  private async quoteExamples(report: BacktestReport, compiled: CompiledRules, readWhole: ReadonlySet<string>): Promise<void> {
    const callIds = [...new Set(report.rules.flatMap((r) => r.examples.map((e) => e.callId)))].filter((id) => !readWhole.has(id));
    if (callIds.length === 0) return;
    const inputs = await this.runs.backtestInputs(callIds);
    const calls = new Map(await Promise.all(callIds.map(async (id) => [id, await this.calls.findById(id)] as const)));
    for (const rule of report.rules) {
      rule.examples = rule.examples.map((example) => {
        const transcript = inputs.get(example.callId)?.transcript;
        if (!transcript) return example;
        const call = calls.get(example.callId);
        const exact = runRules(compiled, transcript, { callDurationSeconds: call?.durationSeconds ?? undefined, policies: call?.rulePolicies ?? [] }).find(
          (f) => f.ruleId === rule.ruleId && f.evidence?.segmentIndex === example.segmentIndex,
        );
        return exact ? { callId: example.callId, ...(exact.evidence ?? {}) } : example;
      });
    }
  }

  /**
   * The scope's calls with their transcripts and reviewed findings, a page at a time; the next page is read while
   * this one is checked.
   */
  private async *scopePages(scope: BacktestScope, phrases: readonly string[] | null): AsyncGenerator<PageCall[]> {
    if (scope.callIds) {
      const ids = scope.callIds.slice(0, scope.limit);
      for (let i = 0; i < ids.length; i += PAGE) {
        const found = (await Promise.all(ids.slice(i, i + PAGE).map((id) => this.calls.findById(id)))).filter((c) => c !== null);
        const inputs = await this.runs.backtestInputs(found.map((c) => c.id));
        yield found.map((c) => {
          const input = inputs.get(c.id);
          return { id: c.id, durationSeconds: c.durationSeconds, rulePolicies: c.rulePolicies, hasTranscript: input !== undefined, searchable: null, transcript: input?.transcript ?? null, reviewed: input?.reviewed ?? [] };
        });
      }
      return;
    }
    const read = async (cursor: { createdAt: Date; id: string } | null, limit: number) => {
      const calls = await this.runs.backtestPage(scope.filter, cursor, limit, phrases);
      const reviewed = await this.runs.reviewedFindings(calls.map((c) => c.id));
      return calls.map((c) => ({ ...c, reviewed: reviewed.get(c.id) ?? [] }));
    };
    let remaining = scope.limit;
    let next: Promise<(PageCall & { createdAt: Date })[]> | null = read(null, Math.min(PAGE, remaining));
    while (next) {
      const page: (PageCall & { createdAt: Date })[] = await next;
      remaining -= page.length;
      const last: (PageCall & { createdAt: Date }) | undefined = page[page.length - 1];
      next = last && page.length === PAGE && remaining > 0 ? read({ createdAt: last.createdAt, id: last.id }, Math.min(PAGE, remaining)) : null;
      if (page.length > 0) yield page;
    }
  }
}

interface PageCall {
  id: string;
  durationSeconds: number | null;
  rulePolicies: readonly string[];
  hasTranscript: boolean;
  searchable: SearchableTranscript | null;
  transcript: NormalisedTranscript | null;
  reviewed: BacktestCall['reviewed'];
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
