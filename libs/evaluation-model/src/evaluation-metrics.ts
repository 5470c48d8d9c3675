import type { CallOutcomeCounters, CounterName } from './call-outcome-counters.js';

export type EvaluationDimension = 'compliance' | 'efficiency' | 'conversion' | 'experience' | 'qa';

/**
 * A rate is numerator / denominator of calls (a proportion, so it gets a Wilson interval); a mean is a sum over
 * a count. `higherIsBetter` null: no good direction (average handle time), rankings order it high to low.
 */
export interface MetricDefinition {
  dimension: EvaluationDimension;
  kind: 'rate' | 'mean';
  numerator: CounterName;
  denominator: CounterName;
  higherIsBetter: boolean | null;
}

export const EVALUATION_METRICS = {
  violationRate: { dimension: 'compliance', kind: 'rate', numerator: 'callsWithCritical', denominator: 'analysedCalls', higherIsBetter: false },
  /** calls whose critical findings all await review: read beside the (confirmed) violation rate */
  pendingViolationRate: { dimension: 'compliance', kind: 'rate', numerator: 'callsWithPendingCritical', denominator: 'analysedCalls', higherIsBetter: false },
  complaintRate: { dimension: 'compliance', kind: 'rate', numerator: 'complaints', denominator: 'calls', higherIsBetter: false },
  optedOutCallRate: { dimension: 'compliance', kind: 'rate', numerator: 'optedOutCalls', denominator: 'calls', higherIsBetter: false },
  outOfHoursRate: { dimension: 'compliance', kind: 'rate', numerator: 'outOfHoursCalls', denominator: 'calls', higherIsBetter: false },
  dialFrequencyBreachRate: { dimension: 'compliance', kind: 'rate', numerator: 'dialFrequencyBreaches', denominator: 'calls', higherIsBetter: false },
  missingDisclosureRate: { dimension: 'compliance', kind: 'rate', numerator: 'missingDisclosureCalls', denominator: 'analysedCalls', higherIsBetter: false },
  connectRate: { dimension: 'efficiency', kind: 'rate', numerator: 'connectedCalls', denominator: 'calls', higherIsBetter: true },
  averageHandleSeconds: { dimension: 'efficiency', kind: 'mean', numerator: 'handleSeconds', denominator: 'handledCalls', higherIsBetter: null },
  effectiveCallRate: { dimension: 'efficiency', kind: 'rate', numerator: 'effectiveCalls', denominator: 'handledCalls', higherIsBetter: true },
  intentRate: { dimension: 'conversion', kind: 'rate', numerator: 'intentCalls', denominator: 'connectedCalls', higherIsBetter: true },
  saleFromIntentRate: { dimension: 'conversion', kind: 'rate', numerator: 'intentSales', denominator: 'intentCalls', higherIsBetter: true },
  conversionRate: { dimension: 'conversion', kind: 'rate', numerator: 'sales', denominator: 'connectedCalls', higherIsBetter: true },
  csatMean: { dimension: 'experience', kind: 'mean', numerator: 'csatSum', denominator: 'csatCount', higherIsBetter: true },
  earlyHangUpRate: { dimension: 'experience', kind: 'rate', numerator: 'earlyHangUps', denominator: 'handledCalls', higherIsBetter: false },
  talkRatioAdherence: { dimension: 'experience', kind: 'rate', numerator: 'talkRatioAdherent', denominator: 'talkRatioMeasured', higherIsBetter: true },
  interruptionsPerCall: { dimension: 'experience', kind: 'mean', numerator: 'interruptionsSum', denominator: 'interruptionsMeasured', higherIsBetter: false },
  deadAirPerCall: { dimension: 'experience', kind: 'mean', numerator: 'deadAirSum', denominator: 'deadAirMeasured', higherIsBetter: false },
  qaScoreMean: { dimension: 'qa', kind: 'mean', numerator: 'scoreSum', denominator: 'scoredCalls', higherIsBetter: true },
  autoFailRate: { dimension: 'qa', kind: 'rate', numerator: 'autoFailedCalls', denominator: 'scoredCalls', higherIsBetter: false },
} as const satisfies Record<string, MetricDefinition>;

export type EvaluationMetric = keyof typeof EVALUATION_METRICS;

export const EVALUATION_METRIC_NAMES = Object.keys(EVALUATION_METRICS) as EvaluationMetric[];

export function isEvaluationMetric(name: string): name is EvaluationMetric {
  return Object.hasOwn(EVALUATION_METRICS, name);
}

/** The metric's value, or null when its denominator is 0. */
export function metricValue(counters: CallOutcomeCounters, metric: EvaluationMetric): number | null {
  const def: MetricDefinition = EVALUATION_METRICS[metric];
  const n = counters[def.denominator];
  return n > 0 ? counters[def.numerator] / n : null;
}

/** How many observations the metric rests on (its denominator); the minimum-sample rules compare against it. */
export function metricSample(counters: CallOutcomeCounters, metric: EvaluationMetric): number {
  return counters[EVALUATION_METRICS[metric].denominator];
}
