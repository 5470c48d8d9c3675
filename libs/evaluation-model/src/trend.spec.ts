import { countersFrom } from './call-outcome-counters.js';
import { bucketTrend, weekStart } from './trend.js';

const day = (s: string, calls: number) => ({ day: new Date(`${s}T00:00:00Z`), counters: countersFrom({ calls }) });

describe('bucketTrend', () => {
  const days = [day('2026-11-25', 2), day('2026-11-23', 1), day('2026-11-30', 4), day('2026-11-29', 8)];

  it('keeps days apart, oldest first', () => {
    expect(bucketTrend(days, 'day').map((b) => [b.period, b.counters.calls])).toEqual([
      ['2026-11-23', 1],
      ['2026-11-25', 2],
      ['2026-11-29', 8],
      ['2026-11-30', 4],
    ]);
  });

  it('merges ISO weeks starting on Monday (Sunday belongs to the week before)', () => {
    expect(bucketTrend(days, 'week').map((b) => [b.period, b.counters.calls])).toEqual([
      ['2026-11-23', 11],
      ['2026-11-30', 4],
    ]);
  });

  it('weekStart of a Monday is itself', () => {
    expect(weekStart(new Date('2026-11-30T15:00:00Z')).toISOString()).toBe('2026-11-30T00:00:00.000Z');
  });
});
