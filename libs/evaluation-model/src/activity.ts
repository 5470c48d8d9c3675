export interface AgentCallSpan {
  /** epoch milliseconds */
  startedAt: number;
  endedAt: number;
  effective: boolean;
}

export interface ActivityOptions {
  /** a gap between calls longer than this is a break: activity counting restarts. Default 15 */
  idleGapMinutes?: number;
}

/**
 * Minutes of continuous activity (calls no further apart than the idle gap) since the agent's last effective
 * call, measured to the end of the latest call. Feeds the `no_effective_call` threshold.
 */
export function activeMinutesWithoutEffectiveCall(calls: readonly AgentCallSpan[], options: ActivityOptions = {}): number {
  const gap = (options.idleGapMinutes ?? 15) * 60_000;
  const sorted = [...calls].sort((a, b) => a.startedAt - b.startedAt);
  let streakStart: number | null = null;
  let lastEffectiveEnd: number | null = null;
  let lastEnd = -Infinity;
  for (const call of sorted) {
    if (call.startedAt - lastEnd > gap) {
      streakStart = null;
      lastEffectiveEnd = null;
    }
    if (call.effective) {
      streakStart = null;
      lastEffectiveEnd = Math.max(lastEffectiveEnd ?? call.endedAt, call.endedAt);
    } else if (streakStart === null) {
      streakStart = lastEffectiveEnd ?? call.startedAt;
    }
    lastEnd = Math.max(lastEnd, call.endedAt);
  }
  return streakStart === null ? 0 : Math.max(0, lastEnd - streakStart) / 60_000;
}
