import type { CallOutcomeCounters } from './call-outcome-counters.js';
import { metricValue } from './evaluation-metrics.js';

export interface EvaluationDimensions {
  compliance: {
    analysedCalls: number;
    /** calls with a confirmed critical finding / analysed calls */
    violationRate: number | null;
    callsWithCritical: number;
    /** calls with a critical finding awaiting review and none confirmed / analysed calls: beside the violation rate */
    pendingViolationRate: number | null;
    callsWithPendingCritical: number;
    confirmedCriticalFindings: number;
    optedOutCalls: number;
    outOfHoursCalls: number;
    dialFrequencyBreaches: number;
    missingDisclosureCalls: number;
    complaints: number;
    /** complaints / calls; good <= 0.5% */
    complaintRate: number | null;
  };
  efficiency: {
    calls: number;
    connectedCalls: number;
    connectRate: number | null;
    averageHandleSeconds: number | null;
    effectiveCalls: number;
    /** connected calls of at least 2 minutes / connected calls with a known handle time */
    effectiveCallRate: number | null;
  };
  conversion: {
    connectedCalls: number;
    intentCalls: number;
    sales: number;
    /** sales on calls with confirmed intent */
    intentSales: number;
    /** intent / connected */
    intentRate: number | null;
    /** sales among intent calls / intent calls (never above 1) */
    saleFromIntentRate: number | null;
    /** sales / connected */
    conversionRate: number | null;
  };
  experience: {
    /** 1..5; good >= 4.2 */
    csatMean: number | null;
    csatCount: number;
    earlyHangUps: number;
    /** hang-ups within 30 s / connected calls with a known handle time; good <= 25%, alert at 30% */
    earlyHangUpRate: number | null;
    talkRatioAdherence: number | null;
    talkRatioMeasured: number;
    interruptionsPerCall: number | null;
    deadAirPerCall: number | null;
  };
  qaScore: {
    /** mean per-call QA score, 0..100 */
    mean: number | null;
    scoredCalls: number;
    autoFailRate: number | null;
  };
}

/** The four dimensions plus the QA score from counters; every rate or mean is null when its denominator is 0. */
export function dimensionsFrom(c: CallOutcomeCounters): EvaluationDimensions {
  const v = (m: Parameters<typeof metricValue>[1]) => metricValue(c, m);
  return {
    compliance: {
      analysedCalls: c.analysedCalls,
      violationRate: v('violationRate'),
      callsWithCritical: c.callsWithCritical,
      pendingViolationRate: v('pendingViolationRate'),
      callsWithPendingCritical: c.callsWithPendingCritical,
      confirmedCriticalFindings: c.criticalFindings,
      optedOutCalls: c.optedOutCalls,
      outOfHoursCalls: c.outOfHoursCalls,
      dialFrequencyBreaches: c.dialFrequencyBreaches,
      missingDisclosureCalls: c.missingDisclosureCalls,
      complaints: c.complaints,
      complaintRate: v('complaintRate'),
    },
    efficiency: {
      calls: c.calls,
      connectedCalls: c.connectedCalls,
      connectRate: v('connectRate'),
      averageHandleSeconds: v('averageHandleSeconds'),
      effectiveCalls: c.effectiveCalls,
      effectiveCallRate: v('effectiveCallRate'),
    },
    conversion: {
      connectedCalls: c.connectedCalls,
      intentCalls: c.intentCalls,
      sales: c.sales,
      intentSales: c.intentSales,
      intentRate: v('intentRate'),
      saleFromIntentRate: v('saleFromIntentRate'),
      conversionRate: v('conversionRate'),
    },
    experience: {
      csatMean: v('csatMean'),
      csatCount: c.csatCount,
      earlyHangUps: c.earlyHangUps,
      earlyHangUpRate: v('earlyHangUpRate'),
      talkRatioAdherence: v('talkRatioAdherence'),
      talkRatioMeasured: c.talkRatioMeasured,
      interruptionsPerCall: v('interruptionsPerCall'),
      deadAirPerCall: v('deadAirPerCall'),
    },
    qaScore: { mean: v('qaScoreMean'), scoredCalls: c.scoredCalls, autoFailRate: v('autoFailRate') },
  };
}
