import type { CallOutcomeCounters } from './call-outcome-counters.js';
import { EVALUATION_METRICS, metricSample, metricValue, type EvaluationMetric, type MetricDefinition } from './evaluation-metrics.js';
import { wilsonInterval, type Interval } from './wilson.js';

export interface RankableEntity {
  /** agent, group, team or campaign id */
  id: string;
  /** what equal results are ordered by (an agent's external id); defaults to the id */
  tieKey?: string;
  counters: CallOutcomeCounters;
}

export interface RankedEntry {
  id: string;
  value: number;
  /** the metric's denominator */
  sample: number;
  /** Wilson interval for rates; null for means */
  ci: Interval | null;
  /** 1 = best among the eligible */
  rank: number;
}

export interface ExcludedEntry {
  id: string;
  value: number | null;
  sample: number;
  reason: 'below_min_sample' | 'no_data';
}

export interface RankingOptions {
  /** entities whose sample (the metric's denominator) is below this are left out */
  minSample: number;
  /** share in each of top and bottom, 0 < fraction <= 0.5; default 0.2 */
  fraction?: number;
  /** overrides the metric's own direction; for metrics without one the default orders high to low */
  higherIsBetter?: boolean;
  z?: number;
}

export interface Ranking {
  metric: EvaluationMetric;
  higherIsBetter: boolean;
  eligible: number;
  /** best first */
  top: RankedEntry[];
  /** worst first */
  bottom: RankedEntry[];
  excluded: ExcludedEntry[];
}

/**
 * Top and bottom `fraction` of entities by a metric, leaving out those below the minimum sample. Never puts one
 * entity in both lists (each list holds at most half the eligible). Ties: the more certain result ranks first
 * (higher lower bound when higher is better), then the tie key (an agent's external id), so the order is deterministic
 * and means something to a reader. The bottom list holds only results worse than the top list's last: when everyone
 * ties there is no bottom to show.
 */
export function rankEntities(entities: readonly RankableEntity[], metric: EvaluationMetric, options: RankingOptions): Ranking {
  const fraction = options.fraction ?? 0.2;
  if (!(fraction > 0 && fraction <= 0.5)) throw new RangeError(`fraction must be in (0, 0.5], got ${fraction}`);
  if (!(options.minSample >= 0)) throw new RangeError(`minSample must be >= 0, got ${options.minSample}`);
  const def: MetricDefinition = EVALUATION_METRICS[metric];
  const higherIsBetter = options.higherIsBetter ?? def.higherIsBetter ?? true;

  const excluded: ExcludedEntry[] = [];
  const eligible: (Omit<RankedEntry, 'rank'> & { tieKey: string })[] = [];
  for (const e of entities) {
    const value = metricValue(e.counters, metric);
    const sample = metricSample(e.counters, metric);
    if (value === null) excluded.push({ id: e.id, value, sample, reason: 'no_data' });
    else if (sample < options.minSample) excluded.push({ id: e.id, value, sample, reason: 'below_min_sample' });
    else {
      const ci = def.kind === 'rate' ? wilsonInterval(e.counters[def.numerator], sample, options.z) : null;
      eligible.push({ id: e.id, tieKey: e.tieKey ?? e.id, value, sample, ci });
    }
  }

  const sign = higherIsBetter ? -1 : 1;
  const conservative = (r: Omit<RankedEntry, 'rank'>) => (r.ci ? (higherIsBetter ? r.ci.low : r.ci.high) : r.value);
  eligible.sort(
    (a, b) =>
      sign * (a.value - b.value) || sign * (conservative(a) - conservative(b)) || (a.tieKey < b.tieKey ? -1 : a.tieKey > b.tieKey ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const ranked: RankedEntry[] = eligible.map(({ tieKey: _tieKey, ...r }, i) => ({ ...r, rank: i + 1 }));
  const n = ranked.length;
  // The epsilon keeps 0.2 * 15 (= 3.0000000000000004) from rounding up to 4.
  const k = Math.min(Math.floor(n / 2), Math.ceil(fraction * n - 1e-9));
  const top = ranked.slice(0, k);
  return {
    metric,
    higherIsBetter,
    eligible: n,
    top,
    bottom: ranked
      .slice(n - k)
      .filter((r) => top.length > 0 && sign * (r.value - top[top.length - 1].value) > 0)
      .reverse(),
    excluded,
  };
}
