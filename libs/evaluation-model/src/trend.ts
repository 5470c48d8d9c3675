import { emptyCounters, mergeCounters, type CallOutcomeCounters } from './call-outcome-counters.js';

export type TrendGranularity = 'day' | 'week';

export interface DatedCounters {
  /** a UTC calendar day (time of day ignored) */
  day: Date;
  counters: CallOutcomeCounters;
}

export interface TrendBucket {
  /** YYYY-MM-DD: the day, or the Monday that starts the ISO week */
  period: string;
  counters: CallOutcomeCounters;
}

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** The Monday (UTC) of the ISO week holding the day. */
export function weekStart(day: Date): Date {
  const d = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate()));
  const offset = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - offset);
  return d;
}

/** Merges daily counters into day or week buckets, oldest first; periods without data are left out. */
export function bucketTrend(days: readonly DatedCounters[], granularity: TrendGranularity): TrendBucket[] {
  const buckets = new Map<string, CallOutcomeCounters>();
  for (const { day, counters } of days) {
    const key = isoDay(granularity === 'week' ? weekStart(day) : day);
    buckets.set(key, mergeCounters(buckets.get(key) ?? emptyCounters(), counters));
  }
  return [...buckets.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([period, counters]) => ({ period, counters }));
}
