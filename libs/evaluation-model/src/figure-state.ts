import type { CallOutcomeCounters } from './call-outcome-counters.js';
import { EVALUATION_METRIC_NAMES, metricSample, metricValue, type EvaluationMetric } from './evaluation-metrics.js';
import type { EntityKind, ThresholdOp, ThresholdRule } from './thresholds.js';

/** good / warning / alert; `below_min_sample` and `no_data` are said instead of a colour; `unjudged`: no target. */
export type FigureStateName = 'good' | 'warning' | 'alert' | 'below_min_sample' | 'no_data' | 'unjudged';

export interface FigureTarget {
  /** the figure is good when it is on this side of `good` */
  op: '>=' | '<=';
  good: number;
}

/** Targets the issue names (complaint rate <= 0.5%, CSAT >= 4.2, 30-s hang-ups <= 25%); missing one is a warning. */
export const FIGURE_TARGETS: Readonly<Partial<Record<EvaluationMetric, FigureTarget>>> = {
  complaintRate: { op: '<=', good: 0.005 },
  csatMean: { op: '>=', good: 4.2 },
  earlyHangUpRate: { op: '<=', good: 0.25 },
};

/** Below this sample a figure with no rule of its own is not coloured. */
export const DEFAULT_MIN_SAMPLE = 20;

export interface FigureState {
  value: number | null;
  sample: number;
  minSample: number;
  state: FigureStateName;
  /** the alert line drawn on charts: the first applicable threshold rule's value */
  alertAt: number | null;
  /** the target line, when the figure has one */
  target: number | null;
}

function crosses(value: number, op: ThresholdOp, limit: number): boolean {
  return op === '>' ? value > limit : op === '>=' ? value >= limit : op === '<' ? value < limit : value <= limit;
}

/**
 * Judges one figure of one entity: alert when an applicable threshold rule is crossed; warning inside a rule's
 * hysteresis band or when the target is missed; good otherwise. Below the minimum sample (the largest of the
 * applicable rules', else DEFAULT_MIN_SAMPLE) it is not judged.
 */
export function figureState(
  metric: string,
  value: number | null,
  sample: number,
  kind: EntityKind,
  rules: readonly ThresholdRule[],
  targets: Readonly<Partial<Record<string, FigureTarget>>> = FIGURE_TARGETS,
): FigureState {
  const applicable = rules.filter((r) => r.metric === metric && (!r.entityKinds || r.entityKinds.includes(kind)));
  const target = targets[metric] ?? null;
  const minSample = applicable.reduce((m, r) => Math.max(m, r.minSample ?? 0), applicable.length > 0 ? 0 : DEFAULT_MIN_SAMPLE);
  const base = { value, sample, minSample, alertAt: applicable[0]?.value ?? null, target: target?.good ?? null };
  if (applicable.length === 0 && !target) return { ...base, state: 'unjudged' };
  if (value === null) return { ...base, state: 'no_data' };
  if (sample < minSample) return { ...base, state: 'below_min_sample' };
  if (applicable.some((r) => crosses(value, r.op, r.value))) return { ...base, state: 'alert' };
  const inBand = applicable.some((r) => r.clearAt !== undefined && crosses(value, r.op, r.clearAt));
  const missed = target ? !(target.op === '>=' ? value >= target.good : value <= target.good) : false;
  return { ...base, state: inBand || missed ? 'warning' : 'good' };
}

/** Every evaluation metric of an entity's counters, judged. */
export function figureStates(counters: CallOutcomeCounters, kind: EntityKind, rules: readonly ThresholdRule[]): Record<EvaluationMetric, FigureState> {
  const out = {} as Record<EvaluationMetric, FigureState>;
  for (const m of EVALUATION_METRIC_NAMES) out[m] = figureState(m, metricValue(counters, m), metricSample(counters, m), kind, rules);
  return out;
}
