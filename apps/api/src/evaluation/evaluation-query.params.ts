import { isEvaluationMetric, type EvaluationMetric, type TrendGranularity } from '#libs/evaluation-model';
import { isStorableInstant, parseApiDateTime } from '../common/is-api-date-time.js';
import { RequestValidationError } from '../common/request-validation.error.js';

const DAY_MS = 86_400_000;
const DEFAULT_DAYS = 30;
const MAX_DAYS = 3660;

export interface Period {
  /** first day, inclusive */
  from: Date;
  /** the day after the last one: exclusive */
  to: Date;
}

function parseDay(raw: unknown, field: string, problems: string[]): Date | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(raw) || !parseApiDateTime(raw, { offset: 'optional' })) {
    problems.push(`${field}: must be a date as YYYY-MM-DD`);
    return undefined;
  }
  return new Date(`${raw}T00:00:00Z`);
}

/** `from` and `to` (both inclusive days, UTC); default the last 30 days up to today. */
export function parsePeriod(query: Record<string, unknown>, now = new Date()): Period {
  const problems: string[] = [];
  const from = parseDay(query.from, 'query.from', problems);
  const toDay = parseDay(query.to, 'query.to', problems);
  if (problems.length) throw new RequestValidationError(problems);
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const to = new Date((toDay ?? today).getTime() + DAY_MS);
  const start = from ?? new Date(to.getTime() - DEFAULT_DAYS * DAY_MS);
  if (start >= to) throw new RequestValidationError(['query.from: must not be after query.to']);
  if (!isStorableInstant(start) || !isStorableInstant(to)) throw new RequestValidationError(['query.from: the period must lie within the years 0001 to 9999']);
  if (to.getTime() - start.getTime() > MAX_DAYS * DAY_MS) throw new RequestValidationError([`query.from: the period may span at most ${MAX_DAYS} days`]);
  return { from: start, to };
}

export function parseGranularity(raw: unknown): TrendGranularity {
  if (raw === undefined || raw === '') return 'day';
  if (raw === 'day' || raw === 'week') return raw;
  throw new RequestValidationError(['query.granularity: must be day or week']);
}

export function parseMetric(raw: unknown): EvaluationMetric {
  if (typeof raw !== 'string' || !isEvaluationMetric(raw)) {
    throw new RequestValidationError([`query.metric: must be one of the evaluation metrics (e.g. qaScoreMean, complaintRate, connectRate)`]);
  }
  return raw;
}

export function parseNumber(raw: unknown, field: string, fallback: number, check: (n: number) => boolean, rule: string): number {
  if (raw === undefined || raw === '') return fallback;
  const n = typeof raw === 'string' ? Number(raw) : Number.NaN;
  if (!Number.isFinite(n) || !check(n)) throw new RequestValidationError([`${field}: ${rule}`]);
  return n;
}

export type RankingLevel = 'agent' | 'group' | 'team';

export function parseLevel(raw: unknown): RankingLevel {
  if (raw === undefined || raw === '') return 'agent';
  if (raw === 'agent' || raw === 'group' || raw === 'team') return raw;
  throw new RequestValidationError(['query.level: must be agent, group or team']);
}
