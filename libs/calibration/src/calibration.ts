import { type Interval, wilsonInterval, Z_95 } from './wilson.js';

/** One machine finding on a reviewed call: which rule or question raised it, and what a person decided. */
export interface CalibrationFinding {
  callId: string;
  /** the rule id or the LLM question id that raised it */
  ruleId: string;
  source: string;
  reviewState: 'pending' | 'confirmed' | 'dismissed';
}

/** A finding a reviewer added because the machine missed it (a false negative). */
export interface CalibrationMissed {
  callId: string;
  ruleId: string;
  source: string;
}

export interface CalibrationInput {
  /** calls a person reviewed (any decision on a finding, or a missed finding added): the set the figures describe */
  reviewedCallIds: readonly string[];
  findings: readonly CalibrationFinding[];
  missed: readonly CalibrationMissed[];
}

export interface Proportion {
  value: number | null;
  /** numerator and denominator the value came from */
  successes: number;
  trials: number;
  ci95: Interval | null;
}

export interface KappaFigure {
  value: number | null;
  ci95: Interval | null;
}

/** Per rule (or question): findings confirmed/dismissed, misses, and call-level agreement with reviewers. */
export interface RuleCalibration {
  ruleId: string;
  source: string;
  confirmed: number;
  dismissed: number;
  pending: number;
  missed: number;
  /** confirmed / (confirmed + dismissed) over findings */
  precision: Proportion;
  /** confirmed / (confirmed + missed): only meaningful where reviewers add what the machine missed */
  recall: Proportion;
  /** per reviewed call: did the machine flag the rule, did the reviewer; a = both, b = machine only, c = reviewer only, d = neither */
  calls: { a: number; b: number; c: number; d: number; n: number; undecided: number };
  agreement: Proportion;
  kappa: KappaFigure;
  /** precision under the floor (the point estimate) */
  belowFloor: boolean;
  /** the whole 95% interval of precision lies under the floor */
  confidentlyBelowFloor: boolean;
}

export interface CalibrationReport {
  floor: number;
  reviewedCalls: number;
  rules: RuleCalibration[];
}

function proportion(successes: number, trials: number): Proportion {
  return { value: trials > 0 ? successes / trials : null, successes, trials, ci95: wilsonInterval(successes, trials) };
}

/**
 * Cohen's kappa of a 2x2 table (a: both yes, b: rater 1 only, c: rater 2 only, d: both no) with a 95% interval from
 * the large-sample standard error sqrt(po(1-po) / (n(1-pe)^2)). Null when undefined (no calls, or pe = 1).
 */
export function cohensKappa(a: number, b: number, c: number, d: number): KappaFigure {
  const n = a + b + c + d;
  if (n === 0) return { value: null, ci95: null };
  const po = (a + d) / n;
  const pe = ((a + b) * (a + c) + (c + d) * (b + d)) / (n * n);
  if (pe >= 1) return { value: null, ci95: null };
  const kappa = (po - pe) / (1 - pe);
  const se = Math.sqrt((po * (1 - po)) / (n * (1 - pe) * (1 - pe)));
  return { value: kappa, ci95: { low: Math.max(-1, kappa - Z_95 * se), high: Math.min(1, kappa + Z_95 * se) } };
}

const keyOf = (source: string, ruleId: string) => `${source}\u0000${ruleId}`;

/**
 * Calibration of every rule and question seen on the reviewed calls. A call counts for a rule's agreement when the
 * reviewer's view of that rule on it is known: the machine's findings there were decided (one confirmed: yes; all
 * dismissed: no), a missed finding was added (yes), or the machine raised nothing and no miss was added (no).
 * Calls where the rule's findings are still pending are left out of agreement ("undecided").
 */
export function calibrate(input: CalibrationInput, floor: number): CalibrationReport {
  const reviewed = new Set(input.reviewedCallIds);
  interface Acc {
    ruleId: string;
    source: string;
    confirmed: number;
    dismissed: number;
    pending: number;
    missed: number;
    perCall: Map<string, { machine: boolean; confirmed: boolean; pending: boolean; missed: boolean }>;
  }
  const byRule = new Map<string, Acc>();
  const acc = (source: string, ruleId: string): Acc => {
    const key = keyOf(source, ruleId);
    let entry = byRule.get(key);
    if (!entry) byRule.set(key, (entry = { ruleId, source, confirmed: 0, dismissed: 0, pending: 0, missed: 0, perCall: new Map() }));
    return entry;
  };
  const cell = (entry: Acc, callId: string) => {
    let c = entry.perCall.get(callId);
    if (!c) entry.perCall.set(callId, (c = { machine: false, confirmed: false, pending: false, missed: false }));
    return c;
  };
  for (const f of input.findings) {
    if (!reviewed.has(f.callId)) continue;
    const entry = acc(f.source, f.ruleId);
    entry[f.reviewState]++;
    const c = cell(entry, f.callId);
    c.machine = true;
    if (f.reviewState === 'confirmed') c.confirmed = true;
    if (f.reviewState === 'pending') c.pending = true;
  }
  for (const m of input.missed) {
    if (!reviewed.has(m.callId)) continue;
    const entry = acc(m.source, m.ruleId);
    entry.missed++;
    cell(entry, m.callId).missed = true;
  }
  const rules: RuleCalibration[] = [];
  for (const entry of byRule.values()) {
    let a = 0;
    let b = 0;
    let c = 0;
    let undecided = 0;
    for (const v of entry.perCall.values()) {
      const human = v.confirmed || v.missed;
      if (v.machine && !human && v.pending) {
        undecided++;
        continue;
      }
      if (v.machine && human) a++;
      else if (v.machine) b++;
      else if (human) c++;
    }
    const d = reviewed.size - entry.perCall.size;
    const n = a + b + c + d;
    const precision = proportion(entry.confirmed, entry.confirmed + entry.dismissed);
    rules.push({
      ruleId: entry.ruleId,
      source: entry.source,
      confirmed: entry.confirmed,
      dismissed: entry.dismissed,
      pending: entry.pending,
      missed: entry.missed,
      precision,
      recall: proportion(entry.confirmed, entry.confirmed + entry.missed),
      calls: { a, b, c, d, n, undecided },
      agreement: proportion(a + d, n),
      kappa: cohensKappa(a, b, c, d),
      belowFloor: precision.value !== null && precision.value < floor,
      confidentlyBelowFloor: precision.ci95 !== null && precision.ci95.high < floor,
    });
  }
  rules.sort((x, y) => Number(y.belowFloor) - Number(x.belowFloor) || (x.precision.value ?? 2) - (y.precision.value ?? 2) || x.ruleId.localeCompare(y.ruleId));
  return { floor, reviewedCalls: reviewed.size, rules };
}
