import { dayIn, dayRangeIn, dayStartIn } from './zoned-day.js';

const iso = (d: Date) => d.toISOString();

describe('dayIn', () => {
  it.each([
    // 19:30 in New York (EST, UTC-5) is 00:30 UTC the next day: it belongs to the New York day
    ['2026-03-05T00:30:00Z', 'America/New_York', '2026-03-04'],
    ['2026-03-05T00:30:00Z', 'UTC', '2026-03-05'],
    // 07:30 in Shanghai is still the previous day in UTC
    ['2026-03-04T23:30:00Z', 'Asia/Shanghai', '2026-03-05'],
    ['2026-03-04T15:59:59Z', 'Asia/Shanghai', '2026-03-04'],
    ['2026-03-04T16:00:00Z', 'Asia/Shanghai', '2026-03-05'],
    // summer time (EDT, UTC-4)
    ['2026-07-01T03:59:00Z', 'America/New_York', '2026-06-30'],
    ['2026-07-01T04:00:00Z', 'America/New_York', '2026-07-01'],
  ])('%s in %s falls on %s', (instant, zone, day) => {
    expect(iso(dayIn(new Date(instant), zone))).toBe(`${day}T00:00:00.000Z`);
  });
});

describe('dayRangeIn', () => {
  it('starts and ends a day at local midnight, including days of 23 and 25 hours', () => {
    expect(dayRangeIn(new Date('2026-03-05T00:00:00Z'), 'America/New_York')).toEqual({
      from: new Date('2026-03-05T05:00:00Z'),
      to: new Date('2026-03-06T05:00:00Z'),
    });
    // US summer time began 2026-03-08: that day has 23 hours
    const spring = dayRangeIn(new Date('2026-03-08T00:00:00Z'), 'America/New_York');
    expect(iso(spring.from)).toBe('2026-03-08T05:00:00.000Z');
    expect(iso(spring.to)).toBe('2026-03-09T04:00:00.000Z');
    // and ended 2026-11-01: 25 hours
    const autumn = dayRangeIn(new Date('2026-11-01T00:00:00Z'), 'America/New_York');
    expect(autumn.to.getTime() - autumn.from.getTime()).toBe(25 * 3_600_000);
    expect(iso(dayStartIn(new Date('2026-03-05T00:00:00Z'), 'Asia/Shanghai'))).toBe('2026-03-04T16:00:00.000Z');
    expect(iso(dayStartIn(new Date('2026-03-05T00:00:00Z'), 'UTC'))).toBe('2026-03-05T00:00:00.000Z');
  });

  it('every instant of a day maps back to that day', () => {
    const { from, to } = dayRangeIn(new Date('2026-11-01T00:00:00Z'), 'America/New_York');
    for (let t = from.getTime(); t < to.getTime(); t += 15 * 60_000) expect(iso(dayIn(new Date(t), 'America/New_York'))).toBe('2026-11-01T00:00:00.000Z');
    expect(iso(dayIn(to, 'America/New_York'))).toBe('2026-11-02T00:00:00.000Z');
  });
});
