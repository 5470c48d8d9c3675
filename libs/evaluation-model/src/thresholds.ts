import { z } from 'zod';
import type { CallOutcomeCounters } from './call-outcome-counters.js';
import { EVALUATION_METRIC_NAMES, metricSample, metricValue } from './evaluation-metrics.js';

export type EntityKind = 'agent' | 'group' | 'team' | 'campaign';

export interface EntityRef {
  kind: EntityKind;
  id: string;
}

export type ThresholdOp = '>' | '>=' | '<' | '<=';

export interface ThresholdRule {
  id: string;
  /** key into an observation's values (an EvaluationMetric, a count, or a caller-supplied value) */
  metric: string;
  op: ThresholdOp;
  value: number;
  /** hysteresis: an open alert clears only once the value is back past this; defaults to `value` */
  clearAt?: number;
  /** below this sample the value is not judged either way (no raise, no clear) */
  minSample?: number;
  severity: 'warning' | 'critical';
  /** entity kinds it applies to; all when absent */
  entityKinds?: EntityKind[];
  description: string;
}

export const DEFAULT_THRESHOLDS: readonly ThresholdRule[] = [
  {
    id: 'complaint_rate',
    metric: 'complaintRate',
    op: '>',
    value: 0.005,
    minSample: 20,
    severity: 'warning',
    description: 'Compliance-complaint rate above 0.5%',
  },
  {
    id: 'early_hang_up_rate',
    metric: 'earlyHangUpRate',
    op: '>',
    value: 0.3,
    // Good is <= 25%: between 25% and 30% an open alert stays open, so it does not flap.
    clearAt: 0.25,
    minSample: 20,
    severity: 'warning',
    description: '30-second hang-up rate above 30%',
  },
  {
    id: 'critical_violation',
    metric: 'confirmedCriticalFindings',
    op: '>',
    value: 0,
    severity: 'critical',
    description: 'Confirmed critical compliance violation',
  },
  {
    id: 'no_effective_call',
    metric: 'activeMinutesWithoutEffectiveCall',
    op: '>=',
    value: 30,
    severity: 'warning',
    // judged for groups, teams and campaigns too: none of their members made an effective call in that time
    description: 'No effective call in 30 minutes of activity',
  },
];

export interface ObservedValue {
  value: number | null;
  sample?: number;
}

export interface ThresholdObservation {
  entity: EntityRef;
  /** e.g. '2025-03-01' for a daily rollup; alerts are per entity, threshold and period */
  period?: string;
  /** only the values present are judged; absent ones leave their alerts as they are */
  values: Readonly<Record<string, ObservedValue | number | null | undefined>>;
}

export interface OpenAlert {
  thresholdId: string;
  entity: EntityRef;
  period: string | null;
  raisedValue: number;
}

/** Plain JSON, to be stored between evaluations (or rebuilt from the open alerts). */
export interface ThresholdState {
  open: Record<string, OpenAlert>;
}

export interface ThresholdAlert {
  /** stable identity of this crossing's subject: thresholdId | entity | period */
  key: string;
  thresholdId: string;
  severity: ThresholdRule['severity'];
  entity: EntityRef;
  period: string | null;
  metric: string;
  value: number;
  sample: number | null;
  op: ThresholdOp;
  threshold: number;
  message: string;
}

export interface ThresholdClearance {
  key: string;
  thresholdId: string;
  entity: EntityRef;
  period: string | null;
  value: number;
}

export interface ThresholdEvaluation {
  alertsToRaise: ThresholdAlert[];
  alertsToClear: ThresholdClearance[];
  nextState: ThresholdState;
}

export function emptyThresholdState(): ThresholdState {
  return { open: {} };
}

export function alertKey(thresholdId: string, entity: EntityRef, period?: string | null): string {
  return `${thresholdId}|${entity.kind}:${entity.id}|${period ?? ''}`;
}

function crosses(value: number, op: ThresholdOp, limit: number): boolean {
  switch (op) {
    case '>':
      return value > limit;
    case '>=':
      return value >= limit;
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
  }
}

function observed(raw: ObservedValue | number | null | undefined): ObservedValue | undefined {
  if (raw === undefined) return undefined;
  if (raw === null || typeof raw === 'number') return { value: raw };
  return raw;
}

/**
 * Judges new values against thresholds. A crossing raises exactly one alert; while it stays crossed nothing more
 * is raised; it clears once the value is back past `clearAt`, after which a new crossing raises a new alert.
 * Pure: the previous state is not modified.
 */
export function evaluateThresholds(
  previous: ThresholdState,
  current: readonly ThresholdObservation[],
  thresholds: readonly ThresholdRule[] = DEFAULT_THRESHOLDS,
): ThresholdEvaluation {
  const open: Record<string, OpenAlert> = { ...previous.open };
  const alertsToRaise: ThresholdAlert[] = [];
  const alertsToClear: ThresholdClearance[] = [];
  for (const observation of current) {
    const period = observation.period ?? null;
    for (const rule of thresholds) {
      if (rule.entityKinds && !rule.entityKinds.includes(observation.entity.kind)) continue;
      const obs = observed(observation.values[rule.metric]);
      if (!obs || obs.value === null || !Number.isFinite(obs.value)) continue;
      if (rule.minSample !== undefined && (obs.sample ?? 0) < rule.minSample) continue;
      const key = alertKey(rule.id, observation.entity, period);
      const value = obs.value;
      if (!open[key]) {
        if (!crosses(value, rule.op, rule.value)) continue;
        open[key] = { thresholdId: rule.id, entity: observation.entity, period, raisedValue: value };
        alertsToRaise.push({
          key,
          thresholdId: rule.id,
          severity: rule.severity,
          entity: observation.entity,
          period,
          metric: rule.metric,
          value,
          sample: obs.sample ?? null,
          op: rule.op,
          threshold: rule.value,
          message: `${rule.description}: ${rule.metric} ${value} ${rule.op} ${rule.value}`,
        });
      } else if (!crosses(value, rule.op, rule.clearAt ?? rule.value)) {
        delete open[key];
        alertsToClear.push({ key, thresholdId: rule.id, entity: observation.entity, period, value });
      }
    }
  }
  return { alertsToRaise, alertsToClear, nextState: { open } };
}

/** Observation values for every evaluation metric (with its sample) and the compliance counts, from counters. */
export function thresholdValuesFrom(counters: CallOutcomeCounters): Record<string, ObservedValue> {
  const values: Record<string, ObservedValue> = {};
  for (const m of EVALUATION_METRIC_NAMES) values[m] = { value: metricValue(counters, m), sample: metricSample(counters, m) };
  values.confirmedCriticalFindings = { value: counters.criticalFindings, sample: counters.analysedCalls };
  values.callsWithCritical = { value: counters.callsWithCritical, sample: counters.analysedCalls };
  return values;
}

const thresholdRuleSchema = z
  .strictObject({
    id: z.string().trim().min(1),
    metric: z.string().trim().min(1),
    op: z.enum(['>', '>=', '<', '<=']),
    value: z.number().finite(),
    clearAt: z.number().finite().optional(),
    minSample: z.number().int().min(0).optional(),
    severity: z.enum(['warning', 'critical']),
    entityKinds: z.array(z.enum(['agent', 'group', 'team', 'campaign'])).min(1).optional(),
    description: z.string().trim().min(1),
  })
  .superRefine((r, ctx) => {
    if (r.clearAt === undefined) return;
    const upward = r.op === '>' || r.op === '>=';
    if (upward ? r.clearAt > r.value : r.clearAt < r.value) {
      ctx.addIssue({ code: 'custom', path: ['clearAt'], message: `must be ${upward ? '<=' : '>='} value for op '${r.op}'` });
    }
  });

const thresholdsSchema = z.array(thresholdRuleSchema).superRefine((rules, ctx) => {
  const seen = new Set<string>();
  rules.forEach((r, i) => {
    if (seen.has(r.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate id "${r.id}"` });
    seen.add(r.id);
  });
});

export type ThresholdsValidation = { ok: true; thresholds: ThresholdRule[] } | { ok: false; issues: { path: string; message: string }[] };

/** Checks threshold configuration; each issue names its field, e.g. `1.clearAt`. */
export function validateThresholds(input: unknown): ThresholdsValidation {
  const parsed = thresholdsSchema.safeParse(input);
  if (parsed.success) return { ok: true, thresholds: parsed.data };
  return { ok: false, issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) };
}

/** The rules in force: the stored ones when valid, else the defaults with the reasons the stored ones were refused. */
export function thresholdsInForce(stored: unknown): { rules: readonly ThresholdRule[]; configured: boolean; issues: { path: string; message: string }[] } {
  if (stored === null || stored === undefined) return { rules: DEFAULT_THRESHOLDS, configured: false, issues: [] };
  const parsed = validateThresholds(stored);
  return parsed.ok ? { rules: parsed.thresholds, configured: true, issues: [] } : { rules: DEFAULT_THRESHOLDS, configured: false, issues: parsed.issues };
}

/** JSON Schema of the threshold list the API takes (for the OpenAPI document); duplicate ids are checked by validateThresholds. */
export function thresholdsJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(thresholdsSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
}
