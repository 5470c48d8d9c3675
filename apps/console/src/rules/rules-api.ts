/** What the rule-pack endpoints answer (the parts the pages show). */
export interface PackSummary {
  key: string;
  system: boolean;
  language: string;
  description: string | null;
  forkedFrom: string | null;
  liveVersion: number | null;
  hasDraft: boolean;
}

export interface PackDiff {
  added: string[];
  removed: string[];
  changed: { ruleId: string; fields: string[] }[];
  packFields: string[];
}

export interface PackDetail extends PackSummary {
  draft: Record<string, unknown> | null;
  draftBacktested: boolean;
  draftUpdatedAt: string | null;
  draftDiff: PackDiff | null;
  versions: { number: number; semver: string; note: string; publishedBy: string; publishedAt: string }[];
}

export interface TextMatch {
  ruleId: string;
  ruleVersion: string;
  severity: string;
  description: string;
  absent: boolean;
  segmentIndex: number | null;
  charStart: number | null;
  charEnd: number | null;
  text: string | null;
}

export interface TestResult {
  segments: { speaker: string; text: string }[];
  matches: TextMatch[];
}

export interface BacktestReport {
  calls: number;
  callsWithHits: number;
  comparedWith?: { added: number; removed: number };
  rules: {
    ruleId: string;
    hits: number;
    callsWithHits: number;
    reviewed: { precision: number | null; confirmed: number; dismissed: number };
    examples: { callId: string; link: string; text?: string }[];
  }[];
}

export interface BacktestRun {
  id: string;
  status: 'running' | 'completed' | 'cancelled' | 'failed';
  progress: { processed: number; limit: number };
  error: string | null;
  result: BacktestReport | null;
}

export interface Interval {
  low: number;
  high: number;
}

export interface Proportion {
  value: number | null;
  successes: number;
  trials: number;
  ci95: Interval | null;
}

/** GET /v1/calibration: per rule or LLM question, how it agrees with reviewers. */
export interface CalibrationReport {
  floor: number;
  reviewedCalls: number;
  rules: {
    ruleId: string;
    source: string;
    confirmed: number;
    dismissed: number;
    missed: number;
    precision: Proportion;
    recall: Proportion;
    agreement: Proportion;
    kappa: { value: number | null; ci95: Interval | null };
    belowFloor: boolean;
    confidentlyBelowFloor: boolean;
  }[];
}

export interface RecheckState {
  jobId: string;
  state: string;
  progress: { total: number; processed: number; callsChanged: number; findingsAdded: number; findingsRemoved: number; findingsUpdated: number } | null;
  failedReason: string | null;
}
