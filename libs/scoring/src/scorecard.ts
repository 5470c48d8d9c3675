import type { ConversationMetricsResult, Severity } from '#libs/domain';

type KeysOfType<T, V> = { [K in keyof T]-?: T[K] extends V ? K : never }[keyof T];

/** Conversation metrics a criterion can compare against a number. */
export type NumericMetric = KeysOfType<ConversationMetricsResult, number | null>;
/** Conversation metrics that are already a yes/no judgement. */
export type BooleanMetric = KeysOfType<ConversationMetricsResult, boolean | null>;
export type MetricName = NumericMetric | BooleanMetric;

// Records (not arrays) so the compiler rejects a missing or misspelt metric when the domain type changes.
const NUMERIC: Record<NumericMetric, true> = {
  durationSeconds: true,
  agentTalkShare: true,
  customerTalkShare: true,
  silenceShare: true,
  overlapSeconds: true,
  agentInterruptions: true,
  customerInterruptions: true,
  longestAgentMonologue: true,
  longestCustomerTurn: true,
  deadAirCount: true,
  speechRateWpm: true,
};
const BOOLEAN: Record<BooleanMetric, true> = { talkRatioWithinTarget: true, earlyHangUp: true, effectiveCall: true };

export const NUMERIC_METRICS = Object.keys(NUMERIC) as NumericMetric[];
export const BOOLEAN_METRICS = Object.keys(BOOLEAN) as BooleanMetric[];

export function isBooleanMetric(metric: MetricName): metric is BooleanMetric {
  return metric in BOOLEAN;
}

/** Fails when a non-dismissed finding of one of the families or rule ids exists; never N/A. */
export interface FindingAbsentSource {
  kind: 'finding_absent';
  families?: string[];
  ruleIds?: string[];
}

/** N/A when the metric (or the whole metrics record) is null. */
export type MetricSource =
  | { kind: 'metric'; metric: NumericMetric; op: '<=' | '>=' | '=='; value: number }
  | { kind: 'metric'; metric: NumericMetric; op: 'between'; min: number; max: number }
  | { kind: 'metric'; metric: BooleanMetric; op: '=='; value: boolean };

/** Passes when the LLM's answer equals `passWhen` (default 'yes'); 'na' or no answer is N/A. */
export interface LlmSource {
  kind: 'llm';
  questionId: string;
  passWhen?: 'yes' | 'no';
}

export type CriterionSource = FindingAbsentSource | MetricSource | LlmSource;

export interface Criterion {
  /** stable across scorecard versions, so results stay comparable */
  id: string;
  label: string;
  weight: number;
  /** a failed critical criterion fails the whole call (score 0) */
  critical: boolean;
  source: CriterionSource;
}

export interface Scorecard {
  name: string;
  version: number;
  criteria: Criterion[];
}

export type ReviewState = 'pending' | 'confirmed' | 'dismissed';
export type LlmAnswer = 'yes' | 'no' | 'na';

export interface ScoredFinding {
  id: string;
  ruleId: string;
  family?: string | null;
  severity: Severity;
  reviewState: ReviewState;
}

export interface ScoreCallInput {
  findings: readonly ScoredFinding[];
  metrics: ConversationMetricsResult | null;
  llmAnswers?: Readonly<Record<string, LlmAnswer>>;
}

export type CriterionOutcome = 'pass' | 'fail' | 'na';

export interface CriterionResult {
  criterionId: string;
  result: CriterionOutcome;
  weight: number;
  /** the findings behind the result (non-dismissed only), so a reviewer sees why */
  findingIds: string[];
  /** the metric value or LLM answer the result was decided on */
  observed?: number | boolean | LlmAnswer | null;
}

export interface CallEvaluation {
  /** 0..100, two decimals; 0 when auto-failed; 100 when nothing applied (see applicableWeight) */
  score: number;
  autoFailed: boolean;
  /** sum of the weights of pass and fail criteria; 0 means the score says nothing */
  applicableWeight: number;
  criteria: CriterionResult[];
}
