export type FindingSource = 'rule' | 'metadata' | 'llm';
export type Severity = 'critical' | 'major' | 'minor';
export type Dimension = 'compliance' | 'efficiency' | 'conversion' | 'experience';

export interface FindingEvidence {
  segmentIndex?: number;
  /** character span within the segment's original text */
  charStart?: number;
  charEnd?: number;
  startSeconds?: number;
  endSeconds?: number;
  text?: string;
}

/** A finding as a check produces it, before it is stored. */
export interface FindingDraft {
  /** stable within a call: the same rule matching the same place gives the same key, so re-runs upsert */
  dedupeKey: string;
  source: FindingSource;
  ruleId: string;
  ruleVersion: string;
  family?: string;
  severity: Severity;
  dimension: Dimension;
  description: string;
  evidence?: FindingEvidence;
}
