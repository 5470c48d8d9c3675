import type { ConversationMetricsResult } from '#libs/domain';
import {
  COUNTER_NAMES,
  addCall,
  countersFrom,
  countersOf,
  emptyCounters,
  findingFlags,
  mergeAll,
  mergeCounters,
  removeCall,
  subtractCounters,
  type CallOutcomeCounters,
  type CallResult,
} from './call-outcome-counters.js';
import { dimensionsFrom } from './dimensions.js';

const metrics = (over: Partial<ConversationMetricsResult> = {}): ConversationMetricsResult => ({
  source: 'audio',
  durationSeconds: 180,
  agentTalkShare: 0.3,
  customerTalkShare: 0.6,
  silenceShare: 0.1,
  overlapSeconds: 1,
  agentInterruptions: 2,
  customerInterruptions: 1,
  longestAgentMonologue: 20,
  longestCustomerTurn: 15,
  deadAirCount: 1,
  speechRateWpm: 150,
  talkRatioWithinTarget: true,
  earlyHangUp: false,
  effectiveCall: true,
  unavailable: {},
  ...over,
});

// Deterministic pseudo-random counters; values are multiples of 1/4 so float sums are exact.
function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}
function randomCounters(rand: () => number): CallOutcomeCounters {
  return countersFrom(Object.fromEntries(COUNTER_NAMES.map((k) => [k, Math.floor(rand() * 400) / 4])));
}

describe('countersOf', () => {
  it.each<[string, CallResult, Partial<CallOutcomeCounters>]>([
    ['unanswered call', { connected: false, analysed: false }, { calls: 1, connectedCalls: 0, handledCalls: 0 }],
    [
      'effective analysed call with metrics',
      { connected: true, analysed: true, metrics: metrics(), qaScore: 87.5, csat: 5 },
      {
        calls: 1,
        analysedCalls: 1,
        connectedCalls: 1,
        handledCalls: 1,
        handleSeconds: 180,
        effectiveCalls: 1,
        earlyHangUps: 0,
        scoreSum: 87.5,
        scoredCalls: 1,
        csatSum: 5,
        csatCount: 1,
        talkRatioAdherent: 1,
        talkRatioMeasured: 1,
        interruptionsSum: 2,
        interruptionsMeasured: 1,
        deadAirSum: 1,
        deadAirMeasured: 1,
      },
    ],
    [
      'early hang-up from the measured duration, not the handle time',
      { connected: true, analysed: true, handleSeconds: 40, metrics: metrics({ durationSeconds: 25, earlyHangUp: true, effectiveCall: false }) },
      { handledCalls: 1, handleSeconds: 40, earlyHangUps: 1, effectiveCalls: 0 },
    ],
    [
      // measured while the upload said no_answer (flags false); an outcome import made it connected
      're-imported as connected: a 20-s call is an early hang-up',
      { connected: true, analysed: true, handleSeconds: 20, metrics: metrics({ durationSeconds: 20, earlyHangUp: false, effectiveCall: false }) },
      { connectedCalls: 1, handledCalls: 1, earlyHangUps: 1, effectiveCalls: 0 },
    ],
    [
      're-imported as connected: a 130-s call is an effective call',
      { connected: true, analysed: true, handleSeconds: 130, metrics: metrics({ durationSeconds: 130, earlyHangUp: false, effectiveCall: false }) },
      { connectedCalls: 1, handledCalls: 1, earlyHangUps: 0, effectiveCalls: 1 },
    ],
    [
      're-imported as not connected: flags measured as connected no longer count',
      { connected: false, analysed: true, handleSeconds: 20, metrics: metrics({ durationSeconds: 20, earlyHangUp: true, effectiveCall: false }) },
      { connectedCalls: 0, handledCalls: 0, earlyHangUps: 0, effectiveCalls: 0 },
    ],
    [
      'a sale without confirmed intent counts in sales, not in sales among intent calls',
      { connected: true, analysed: false, sale: true },
      { sales: 1, intentSales: 0, intentCalls: 0 },
    ],
    [
      'a critical finding awaiting review counts as pending, not as a violation',
      { connected: true, analysed: true, pendingCriticalFindings: 2 },
      { callsWithCritical: 0, callsWithPendingCritical: 1 },
    ],
    [
      'a call with a confirmed critical finding is a violation, not pending',
      { connected: true, analysed: true, confirmedCriticalFindings: 1, pendingCriticalFindings: 1 },
      { callsWithCritical: 1, callsWithPendingCritical: 0 },
    ],
    [
      'no metrics: 2-minute and 30-second definitions from handle time',
      { connected: true, analysed: false, handleSeconds: 120 },
      { handledCalls: 1, effectiveCalls: 1, earlyHangUps: 0, talkRatioMeasured: 0 },
    ],
    ['no metrics, short call', { connected: true, analysed: false, handleSeconds: 29.9 }, { effectiveCalls: 0, earlyHangUps: 1 }],
    ['connected, handle time unknown: outside AHT and hang-up denominators', { connected: true, analysed: false }, { connectedCalls: 1, handledCalls: 0 }],
    [
      'mono call: speaker metrics unmeasured',
      { connected: true, analysed: true, metrics: metrics({ talkRatioWithinTarget: null, agentInterruptions: null }) },
      { talkRatioMeasured: 0, interruptionsMeasured: 0, deadAirMeasured: 1 },
    ],
    [
      'compliance flags and a critical call',
      { connected: true, analysed: true, confirmedCriticalFindings: 2, optedOutNumber: true, outOfHours: true, dialFrequencyBreach: true, complaint: true, missingDisclosure: true },
      { callsWithCritical: 1, criticalFindings: 2, optedOutCalls: 1, outOfHoursCalls: 1, dialFrequencyBreaches: 1, complaints: 1, missingDisclosureCalls: 1 },
    ],
    [
      'funnel: sale without connection does not count',
      { connected: false, analysed: false, intentConfirmed: true, sale: true },
      { intentCalls: 0, sales: 0 },
    ],
    [
      'auto-failed scored call',
      { connected: true, analysed: true, qaScore: 0, autoFailed: true },
      { scoreSum: 0, scoredCalls: 1, autoFailedCalls: 1 },
    ],
  ])('%s', (_case, call, expected) => {
    expect(countersOf(call)).toMatchObject(expected);
  });
});

describe('merging counters', () => {
  const rand = seeded(42);
  const triples = Array.from({ length: 20 }, () => [randomCounters(rand), randomCounters(rand), randomCounters(rand)] as const);

  it('is associative', () => {
    for (const [a, b, c] of triples) expect(mergeCounters(a, mergeCounters(b, c))).toEqual(mergeCounters(mergeCounters(a, b), c));
  });

  it('is commutative with emptyCounters() as identity', () => {
    for (const [a, b] of triples) {
      expect(mergeCounters(a, b)).toEqual(mergeCounters(b, a));
      expect(mergeCounters(a, emptyCounters())).toEqual(a);
    }
  });

  it('subtract undoes merge, so a re-scored call can replace its old contribution', () => {
    for (const [a, b] of triples) expect(subtractCounters(mergeCounters(a, b), b)).toEqual(a);
    const before = addCall(emptyCounters(), { connected: true, analysed: true, metrics: metrics(), qaScore: 70 });
    const old: CallResult = { connected: true, analysed: true, metrics: metrics(), qaScore: 0, autoFailed: true, confirmedCriticalFindings: 1 };
    const rescored: CallResult = { ...old, qaScore: 90, autoFailed: false, confirmedCriticalFindings: 0 };
    const after = addCall(removeCall(addCall(before, old), old), rescored);
    expect(after).toEqual(addCall(before, rescored));
    expect(after.callsWithCritical).toBe(0);
    expect(after.scoreSum).toBe(160);
  });

  it('mergeAll of per-day counters equals adding every call to one counter', () => {
    const calls: CallResult[] = [
      { connected: true, analysed: true, metrics: metrics(), qaScore: 80 },
      { connected: false, analysed: false },
      { connected: true, analysed: true, handleSeconds: 20, complaint: true },
    ];
    const perCall = calls.map(countersOf);
    expect(mergeAll(perCall)).toEqual(calls.reduce(addCall, emptyCounters()));
  });

  it('countersFrom fills missing fields with 0 and refuses NaN', () => {
    expect(countersFrom({ calls: 3 })).toEqual({ ...emptyCounters(), calls: 3 });
    expect(() => countersFrom({ calls: Number.NaN })).toThrow(/calls/);
  });
});

describe('findingFlags', () => {
  it('counts confirmed critical findings and confirmed missing disclosures only', () => {
    expect(
      findingFlags([
        { severity: 'critical', reviewState: 'confirmed', family: 'guaranteed_returns' },
        { severity: 'critical', reviewState: 'pending', family: 'abusive_language' },
        { severity: 'critical', reviewState: 'dismissed', family: 'guaranteed_returns' },
        { severity: 'major', reviewState: 'pending', family: 'missing_risk_disclosure' },
      ]),
    ).toEqual({ confirmedCriticalFindings: 1, pendingCriticalFindings: 1, missingDisclosure: false });
    expect(findingFlags([{ severity: 'major', reviewState: 'confirmed', family: 'missing_recording_notice' }])).toEqual({
      confirmedCriticalFindings: 0,
      pendingCriticalFindings: 0,
      missingDisclosure: true,
    });
  });
});

describe('dimensionsFrom', () => {
  it('gives null rates and means when nothing was measured', () => {
    const d = dimensionsFrom(emptyCounters());
    expect(d.compliance.violationRate).toBeNull();
    expect(d.compliance.complaintRate).toBeNull();
    expect(d.efficiency.connectRate).toBeNull();
    expect(d.efficiency.averageHandleSeconds).toBeNull();
    expect(d.conversion.saleFromIntentRate).toBeNull();
    expect(d.experience.csatMean).toBeNull();
    expect(d.experience.earlyHangUpRate).toBeNull();
    expect(d.qaScore.mean).toBeNull();
  });

  it('computes each dimension from a worked day of calls', () => {
    const calls: CallResult[] = [
      { connected: true, analysed: true, metrics: metrics(), qaScore: 90, csat: 5, intentConfirmed: true, sale: true },
      { connected: true, analysed: true, metrics: metrics({ durationSeconds: 60, effectiveCall: false, talkRatioWithinTarget: false }), qaScore: 70, csat: 4, intentConfirmed: true },
      { connected: true, analysed: true, metrics: metrics({ durationSeconds: 20, earlyHangUp: true, effectiveCall: false, agentInterruptions: 0, deadAirCount: 0 }), qaScore: 0, autoFailed: true, confirmedCriticalFindings: 1, complaint: true },
      { connected: false, analysed: false, outOfHours: true },
    ];
    const d = dimensionsFrom(calls.reduce(addCall, emptyCounters()));
    expect(d.compliance).toMatchObject({ analysedCalls: 3, violationRate: 1 / 3, confirmedCriticalFindings: 1, complaintRate: 0.25, outOfHoursCalls: 1 });
    expect(d.efficiency).toEqual({ calls: 4, connectedCalls: 3, connectRate: 0.75, averageHandleSeconds: 260 / 3, effectiveCalls: 1, effectiveCallRate: 1 / 3 });
    expect(d.conversion).toEqual({ connectedCalls: 3, intentCalls: 2, sales: 1, intentSales: 1, intentRate: 2 / 3, saleFromIntentRate: 0.5, conversionRate: 1 / 3 });
    expect(d.experience).toEqual({
      csatMean: 4.5,
      csatCount: 2,
      earlyHangUps: 1,
      earlyHangUpRate: 1 / 3,
      talkRatioAdherence: 2 / 3,
      talkRatioMeasured: 3,
      interruptionsPerCall: 4 / 3,
      deadAirPerCall: 2 / 3,
    });
    expect(d.qaScore).toEqual({ mean: 160 / 3, scoredCalls: 3, autoFailRate: 1 / 3 });
  });

  it('sale from intent is sales among intent calls over intent calls, never above 1', () => {
    const calls: CallResult[] = [
      { connected: true, analysed: true, intentConfirmed: true, sale: true },
      { connected: true, analysed: true, intentConfirmed: true },
      // sales on calls with no intent: conversion counts them, sale-from-intent does not
      { connected: true, analysed: true, sale: true },
      { connected: true, analysed: true, sale: true },
    ];
    const d = dimensionsFrom(calls.reduce(addCall, emptyCounters()));
    expect(d.conversion).toMatchObject({ intentCalls: 2, sales: 3, intentSales: 1, saleFromIntentRate: 0.5, conversionRate: 0.75 });
  });

  it('shows pending and confirmed violations side by side', () => {
    const calls: CallResult[] = [
      { connected: true, analysed: true, qaScore: 0, autoFailed: true, pendingCriticalFindings: 1 },
      { connected: true, analysed: true, qaScore: 0, autoFailed: true, pendingCriticalFindings: 1 },
      { connected: true, analysed: true, qaScore: 0, autoFailed: true, confirmedCriticalFindings: 1 },
      { connected: true, analysed: true, qaScore: 100 },
    ];
    const d = dimensionsFrom(calls.reduce(addCall, emptyCounters()));
    expect(d.compliance).toMatchObject({ violationRate: 0.25, callsWithCritical: 1, pendingViolationRate: 0.5, callsWithPendingCritical: 2 });
  });
});
