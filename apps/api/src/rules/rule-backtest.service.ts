import { Injectable } from '@nestjs/common';
import { type CallListFilter, CallRepository, CallResultsRepository } from '#libs/db';
import {
  type BacktestCall,
  type BacktestReport,
  type RulePack,
  type ReviewedFinding,
  compileRulePack,
  runRules,
  summariseBacktest,
} from '#libs/rules';

const PAGE = 200;

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
    private readonly results: CallResultsRepository,
  ) {}

  async run(pack: RulePack, scope: BacktestScope, examplesPerRule: number): Promise<BacktestReport & { skippedWithoutTranscript: number }> {
    const compiled = compileRulePack([pack]);
    const evaluated: BacktestCall[] = [];
    let skipped = 0;
    for await (const call of this.scopeCalls(scope)) {
      const transcript = await this.results.findTranscript(call.id);
      if (!transcript) {
        skipped++;
        continue;
      }
      const hits = runRules(compiled, transcript, { callDurationSeconds: call.durationSeconds ?? undefined });
      const reviewed: ReviewedFinding[] = [];
      for (const finding of await this.results.listFindings(call.id)) {
        if (finding.reviewState === 'pending') continue;
        reviewed.push({
          ruleId: finding.ruleId,
          ...(finding.family ? { family: finding.family } : {}),
          reviewState: finding.reviewState,
          ...(finding.evidence ? { evidence: finding.evidence } : {}),
        });
      }
      evaluated.push({ callId: call.id, hits, reviewed });
    }
    const report = summariseBacktest(pack.rules, evaluated, examplesPerRule);
    return { ...report, skippedWithoutTranscript: skipped };
  }

  private async *scopeCalls(scope: BacktestScope) {
    if (scope.callIds) {
      for (const id of scope.callIds.slice(0, scope.limit)) {
        const call = await this.calls.findById(id);
        if (call) yield call;
      }
      return;
    }
    let remaining = scope.limit;
    let cursor: { createdAt: Date; id: string } | undefined;
    while (remaining > 0) {
      const page = await this.calls.list(scope.filter, { limit: Math.min(PAGE, remaining), cursor });
      for (const call of page) yield call;
      remaining -= page.length;
      const last = page[page.length - 1];
      if (!last || page.length < PAGE) return;
      cursor = { createdAt: last.createdAt, id: last.id };
    }
  }
}
