import type { FindingDraft, FindingEvidence } from '#libs/domain';

/** A finding already stored on a call and reviewed by a person. */
export interface ReviewedFinding {
  ruleId: string;
  family?: string;
  reviewState: 'confirmed' | 'dismissed';
  evidence?: FindingEvidence;
}

export interface BacktestCall {
  callId: string;
  /** what the draft rules produce on the call */
  hits: readonly FindingDraft[];
  /** the call's reviewed findings (pending ones are left out) */
  reviewed: readonly ReviewedFinding[];
}

export interface BacktestExample {
  callId: string;
  segmentIndex?: number;
  startSeconds?: number;
  endSeconds?: number;
  text?: string;
}

export interface RuleBacktest {
  ruleId: string;
  ruleVersion: string;
  family?: string;
  hits: number;
  callsWithHits: number;
  examples: BacktestExample[];
  /** hits that coincide with a reviewed finding of the same rule or family: confirmed ones are true, dismissed false */
  reviewed: { confirmed: number; dismissed: number; precision: number | null; confirmedMissed: number };
}

export interface BacktestReport {
  calls: number;
  callsWithHits: number;
  rules: RuleBacktest[];
}

/**
 * Scores draft rules against calls: hits per rule, example evidence, and precision against reviewed findings that
 * a hit coincides with (same rule id or family, same segment or overlapping time; a whole-call finding without
 * evidence matches a hit of the same rule or family anywhere in the call). Pure: nothing is written.
 */
export function summariseBacktest(
  rules: readonly { id: string; family?: string; version: number | string }[],
  calls: readonly BacktestCall[],
  examplesPerRule = 3,
): BacktestReport {
  const byRule = new Map<string, RuleBacktest>();
  for (const rule of rules) {
    byRule.set(rule.id, {
      ruleId: rule.id,
      ruleVersion: String(rule.version),
      ...(rule.family ? { family: rule.family } : {}),
      hits: 0,
      callsWithHits: 0,
      examples: [],
      reviewed: { confirmed: 0, dismissed: 0, precision: null, confirmedMissed: 0 },
    });
  }
  let callsWithHits = 0;
  for (const call of calls) {
    if (call.hits.length > 0) callsWithHits++;
    for (const summary of byRule.values()) {
      const hits = call.hits.filter((h) => h.ruleId === summary.ruleId);
      const relevant = call.reviewed.filter((f) => f.ruleId === summary.ruleId || (summary.family !== undefined && f.family === summary.family));
      if (hits.length > 0) {
        summary.hits += hits.length;
        summary.callsWithHits++;
        summary.ruleVersion = hits[0]?.ruleVersion ?? summary.ruleVersion;
      }
      for (const hit of hits) {
        if (summary.examples.length < examplesPerRule) {
          summary.examples.push({ callId: call.callId, ...(hit.evidence ?? {}) });
        }
        const match = relevant.find((f) => coincide(hit.evidence, f.evidence));
        if (match?.reviewState === 'confirmed') summary.reviewed.confirmed++;
        else if (match?.reviewState === 'dismissed') summary.reviewed.dismissed++;
      }
      for (const finding of relevant) {
        if (finding.reviewState === 'confirmed' && !hits.some((h) => coincide(h.evidence, finding.evidence))) summary.reviewed.confirmedMissed++;
      }
    }
  }
  for (const summary of byRule.values()) {
    const judged = summary.reviewed.confirmed + summary.reviewed.dismissed;
    summary.reviewed.precision = judged > 0 ? summary.reviewed.confirmed / judged : null;
  }
  return { calls: calls.length, callsWithHits, rules: [...byRule.values()] };
}

function coincide(a: FindingEvidence | undefined, b: FindingEvidence | undefined): boolean {
  if (!a?.text && a?.segmentIndex === undefined) return !b || (b.segmentIndex === undefined && b.startSeconds === undefined);
  if (!b || (b.segmentIndex === undefined && b.startSeconds === undefined)) return false;
  if (a.segmentIndex !== undefined && b.segmentIndex !== undefined) return a.segmentIndex === b.segmentIndex;
  if (a.startSeconds !== undefined && a.endSeconds !== undefined && b.startSeconds !== undefined && b.endSeconds !== undefined) {
    return a.startSeconds < b.endSeconds && b.startSeconds < a.endSeconds;
  }
  return false;
}
