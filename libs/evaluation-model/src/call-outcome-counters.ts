import type { ConversationMetricsResult, Severity } from '#libs/domain';

/**
 * Additive counters for one entity (agent × day is the unit stored; groups, teams, campaigns and periods are
 * merges of those). Every field is a plain sum, so counters add, merge and subtract without loss.
 */
export interface CallOutcomeCounters {
  calls: number;
  /** calls the check stage ran on: denominator of the violation rate */
  analysedCalls: number;
  connectedCalls: number;
  /** connected calls whose handle time is known: denominator of AHT, effective-call and early hang-up rates */
  handledCalls: number;
  handleSeconds: number;
  effectiveCalls: number;
  earlyHangUps: number;
  callsWithCritical: number;
  /** calls with a critical finding still awaiting review (none confirmed yet): shown beside the violation rate */
  callsWithPendingCritical: number;
  criticalFindings: number;
  missingDisclosureCalls: number;
  optedOutCalls: number;
  outOfHoursCalls: number;
  dialFrequencyBreaches: number;
  complaints: number;
  intentCalls: number;
  sales: number;
  /** sales on intent calls: numerator of sale-from-intent (a sale without confirmed intent counts in conversion only) */
  intentSales: number;
  csatSum: number;
  csatCount: number;
  scoreSum: number;
  scoredCalls: number;
  autoFailedCalls: number;
  talkRatioAdherent: number;
  talkRatioMeasured: number;
  interruptionsSum: number;
  interruptionsMeasured: number;
  deadAirSum: number;
  deadAirMeasured: number;
}

export type CounterName = keyof CallOutcomeCounters;

const ZERO: CallOutcomeCounters = {
  calls: 0,
  analysedCalls: 0,
  connectedCalls: 0,
  handledCalls: 0,
  handleSeconds: 0,
  effectiveCalls: 0,
  earlyHangUps: 0,
  callsWithCritical: 0,
  callsWithPendingCritical: 0,
  criticalFindings: 0,
  missingDisclosureCalls: 0,
  optedOutCalls: 0,
  outOfHoursCalls: 0,
  dialFrequencyBreaches: 0,
  complaints: 0,
  intentCalls: 0,
  sales: 0,
  intentSales: 0,
  csatSum: 0,
  csatCount: 0,
  scoreSum: 0,
  scoredCalls: 0,
  autoFailedCalls: 0,
  talkRatioAdherent: 0,
  talkRatioMeasured: 0,
  interruptionsSum: 0,
  interruptionsMeasured: 0,
  deadAirSum: 0,
  deadAirMeasured: 0,
};

export const COUNTER_NAMES = Object.keys(ZERO) as CounterName[];

/** Definitions used only when a call has no conversation metrics but its handle time is known. */
export const EFFECTIVE_CALL_SECONDS = 120;
export const EARLY_HANG_UP_SECONDS = 30;

/** What one finished call contributes; flags the pipeline cannot know (complaint, sale, CSAT) default to no. */
export interface CallResult {
  connected: boolean;
  analysed: boolean;
  /** talk time of a connected call; falls back to metrics.durationSeconds */
  handleSeconds?: number | null;
  metrics?: ConversationMetricsResult | null;
  confirmedCriticalFindings?: number;
  /** critical findings not yet reviewed (neither confirmed nor dismissed) */
  pendingCriticalFindings?: number;
  missingDisclosure?: boolean;
  optedOutNumber?: boolean;
  outOfHours?: boolean;
  dialFrequencyBreach?: boolean;
  complaint?: boolean;
  intentConfirmed?: boolean;
  sale?: boolean;
  /** 1..5 */
  csat?: number | null;
  /** the call's QA score, 0..100 */
  qaScore?: number | null;
  autoFailed?: boolean;
}

export function emptyCounters(): CallOutcomeCounters {
  return { ...ZERO };
}

const one = (flag: boolean | undefined | null): number => (flag ? 1 : 0);

/**
 * The counters of a single call. Effective and early hang-up follow the call's current disposition and its measured
 * duration (else its handle time): the metrics' own flags were set from the disposition at upload, which an outcome
 * import may since have changed.
 */
export function countersOf(call: CallResult): CallOutcomeCounters {
  const c = emptyCounters();
  const m = call.metrics ?? null;
  c.calls = 1;
  c.analysedCalls = one(call.analysed);
  if (call.connected) {
    c.connectedCalls = 1;
    const handle = call.handleSeconds ?? m?.durationSeconds ?? null;
    if (handle !== null) {
      c.handledCalls = 1;
      c.handleSeconds = handle;
      const talked = m?.durationSeconds ?? handle;
      c.effectiveCalls = one(talked >= EFFECTIVE_CALL_SECONDS);
      c.earlyHangUps = one(talked < EARLY_HANG_UP_SECONDS);
    }
    c.intentCalls = one(call.intentConfirmed);
    c.sales = one(call.sale);
    c.intentSales = one(call.intentConfirmed && call.sale);
  }
  const critical = call.confirmedCriticalFindings ?? 0;
  c.callsWithCritical = one(critical > 0);
  c.callsWithPendingCritical = one(critical === 0 && (call.pendingCriticalFindings ?? 0) > 0);
  c.criticalFindings = critical;
  c.missingDisclosureCalls = one(call.missingDisclosure);
  c.optedOutCalls = one(call.optedOutNumber);
  c.outOfHoursCalls = one(call.outOfHours);
  c.dialFrequencyBreaches = one(call.dialFrequencyBreach);
  c.complaints = one(call.complaint);
  if (call.csat != null) {
    c.csatSum = call.csat;
    c.csatCount = 1;
  }
  if (call.qaScore != null) {
    c.scoreSum = call.qaScore;
    c.scoredCalls = 1;
    c.autoFailedCalls = one(call.autoFailed);
  }
  if (m?.talkRatioWithinTarget != null) {
    c.talkRatioMeasured = 1;
    c.talkRatioAdherent = one(m.talkRatioWithinTarget);
  }
  if (m?.agentInterruptions != null) {
    c.interruptionsMeasured = 1;
    c.interruptionsSum = m.agentInterruptions;
  }
  if (m?.deadAirCount != null) {
    c.deadAirMeasured = 1;
    c.deadAirSum = m.deadAirCount;
  }
  return c;
}

/** a + b, field by field; associative and commutative, with emptyCounters() as identity. */
export function mergeCounters(a: CallOutcomeCounters, b: CallOutcomeCounters): CallOutcomeCounters {
  const out = emptyCounters();
  for (const k of COUNTER_NAMES) out[k] = a[k] + b[k];
  return out;
}

/** a - b: takes a call's old contribution out before its re-scored one goes in. */
export function subtractCounters(a: CallOutcomeCounters, b: CallOutcomeCounters): CallOutcomeCounters {
  const out = emptyCounters();
  for (const k of COUNTER_NAMES) out[k] = a[k] - b[k];
  return out;
}

export function mergeAll(list: Iterable<CallOutcomeCounters>): CallOutcomeCounters {
  let out = emptyCounters();
  for (const c of list) out = mergeCounters(out, c);
  return out;
}

export function addCall(counters: CallOutcomeCounters, call: CallResult): CallOutcomeCounters {
  return mergeCounters(counters, countersOf(call));
}

export function removeCall(counters: CallOutcomeCounters, call: CallResult): CallOutcomeCounters {
  return subtractCounters(counters, countersOf(call));
}

/** Counters from stored JSON or a row: missing fields read as 0, anything else non-finite is refused. */
export function countersFrom(partial: Partial<Record<CounterName, number | null>>): CallOutcomeCounters {
  const out = emptyCounters();
  for (const k of COUNTER_NAMES) {
    const v = partial[k] ?? 0;
    if (!Number.isFinite(v)) throw new RangeError(`counter ${k} is not a finite number`);
    out[k] = v;
  }
  return out;
}

export interface FindingForRollup {
  severity: Severity;
  reviewState: 'pending' | 'confirmed' | 'dismissed';
  family?: string | null;
}

export const DEFAULT_DISCLOSURE_FAMILIES: readonly string[] = [
  'missing_risk_disclosure',
  'missing_recording_notice',
  'missing_agent_identification',
];

/** The CallResult fields that come from findings; only confirmed findings count, pending critical ones are kept apart. */
export function findingFlags(
  findings: readonly FindingForRollup[],
  disclosureFamilies: readonly string[] = DEFAULT_DISCLOSURE_FAMILIES,
): Pick<CallResult, 'confirmedCriticalFindings' | 'pendingCriticalFindings' | 'missingDisclosure'> {
  const confirmed = findings.filter((f) => f.reviewState === 'confirmed');
  return {
    confirmedCriticalFindings: confirmed.filter((f) => f.severity === 'critical').length,
    pendingCriticalFindings: findings.filter((f) => f.reviewState === 'pending' && f.severity === 'critical').length,
    missingDisclosure: confirmed.some((f) => f.family != null && disclosureFamilies.includes(f.family)),
  };
}
