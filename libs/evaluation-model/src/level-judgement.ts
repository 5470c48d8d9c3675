import { activeMinutesWithoutEffectiveCall, type AgentCallSpan } from './activity.js';
import type { CallOutcomeCounters } from './call-outcome-counters.js';
import { evaluateThresholds, thresholdValuesFrom, type EntityRef, type ThresholdEvaluation, type ThresholdRule, type ThresholdState } from './thresholds.js';

/** One entity's day: its summed counters and the calls of its members (for the activity threshold). */
export interface LevelDay {
  entity: EntityRef;
  counters: CallOutcomeCounters;
  /** every call of the entity that day, whoever made it */
  activity: readonly AgentCallSpan[];
}

/**
 * Judges group, team and campaign days (or agent days) against the thresholds. For a level above an agent, "no
 * effective call in 30 minutes" means none of its members made one while any of them was on calls.
 */
export function judgeLevelDays(previous: ThresholdState, days: readonly LevelDay[], period: string, rules: readonly ThresholdRule[]): ThresholdEvaluation {
  return evaluateThresholds(
    previous,
    days.map((d) => ({
      entity: d.entity,
      period,
      values: { ...thresholdValuesFrom(d.counters), activeMinutesWithoutEffectiveCall: activeMinutesWithoutEffectiveCall(d.activity) },
    })),
    rules,
  );
}
