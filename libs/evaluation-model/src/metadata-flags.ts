import type { CallResult } from './call-outcome-counters.js';

export interface FindingForFlags {
  source: string;
  ruleId: string;
  family?: string | null;
  reviewState: 'pending' | 'confirmed' | 'dismissed';
}

// Metadata findings (opted-out number, calling hours, dial frequency) are facts from records, not judgements of
// speech, so they count unless a reviewer dismissed them. Matched by family or rule id, since packs name them.
const OPTED_OUT = /opt(ed)?[-_]?out[-_]?(number|registry|list)|do[-_]?not[-_]?call|dnc/i;
const OUT_OF_HOURS = /calling[-_]?hours|out[-_]?of[-_]?hours|outside[-_]?hours/i;
const DIAL_FREQUENCY = /dial[-_]?frequency|frequency[-_]?breach|call[-_]?frequency/i;

/** The CallResult flags that come from metadata findings. */
export function metadataFlags(findings: readonly FindingForFlags[]): Pick<CallResult, 'optedOutNumber' | 'outOfHours' | 'dialFrequencyBreach'> {
  const live = findings.filter((f) => f.source === 'metadata' && f.reviewState !== 'dismissed');
  const has = (pattern: RegExp) => live.some((f) => pattern.test(f.ruleId) || (f.family != null && pattern.test(f.family)));
  return { optedOutNumber: has(OPTED_OUT), outOfHours: has(OUT_OF_HOURS), dialFrequencyBreach: has(DIAL_FREQUENCY) };
}
