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

interface FigurePlan {
  applicable: readonly ThresholdRule[];
  target: FigureTarget | null;
  minSample: number;
  alertAt: number | null;
}

function planFor(metric: string, kind: EntityKind, rules: readonly ThresholdRule[], targets: Readonly<Partial<Record<string, FigureTarget>>>): FigurePlan {
  const applicable = rules.filter((r) => r.metric === metric && (!r.entityKinds || r.entityKinds.includes(kind)));
  const minSample = applicable.reduce((m, r) => Math.max(m, r.minSample ?? 0), applicable.length > 0 ? 0 : DEFAULT_MIN_SAMPLE);
  return { applicable, target: targets[metric] ?? null, minSample, alertAt: applicable[0]?.value ?? null };
}

function stateOf(plan: FigurePlan, value: number | null, sample: number): FigureStateName {
  const { applicable, target } = plan;
  if (applicable.length === 0 && !target) return 'unjudged';
  if (value === null) return 'no_data';
  if (sample < plan.minSample) return 'below_min_sample';
  let inBand = false;
  for (const r of applicable) {
    if (crosses(value, r.op, r.value)) return 'alert';
    if (r.clearAt !== undefined && crosses(value, r.op, r.clearAt)) inBand = true;
  }
  const missed = target ? !(target.op === '>=' ? value >= target.good : value <= target.good) : false;
  return inBand || missed ? 'warning' : 'good';
}

function judge(plan: FigurePlan, value: number | null, sample: number): FigureState {
  return { value, sample, minSample: plan.minSample, state: stateOf(plan, value, sample), alertAt: plan.alertAt, target: plan.target?.good ?? null };
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
  return judge(planFor(metric, kind, rules, targets), value, sample);
}

// Plans per rule set and entity kind: a drill-down judges hundreds of entities against the same rules.
const PLANS = new WeakMap<readonly ThresholdRule[], Map<EntityKind, Record<EvaluationMetric, FigurePlan>>>();

function plans(kind: EntityKind, rules: readonly ThresholdRule[]): Record<EvaluationMetric, FigurePlan> {
  let byKind = PLANS.get(rules);
  if (!byKind) PLANS.set(rules, (byKind = new Map()));
  let plan = byKind.get(kind);
  if (!plan) {
    plan = {} as Record<EvaluationMetric, FigurePlan>;
    for (const m of EVALUATION_METRIC_NAMES) plan[m] = planFor(m, kind, rules, FIGURE_TARGETS);
    byKind.set(kind, plan);
  }
  return plan;
}

/** Every evaluation metric of an entity's counters, judged. */
export function figureStates(counters: CallOutcomeCounters, kind: EntityKind, rules: readonly ThresholdRule[]): Record<EvaluationMetric, FigureState> {
  const plan = plans(kind, rules);
  const out = {} as Record<EvaluationMetric, FigureState>;
  for (const m of EVALUATION_METRIC_NAMES) out[m] = judge(plan[m], metricValue(counters, m), metricSample(counters, m));
  return out;
}
