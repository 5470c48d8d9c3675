const DAY_MS = 86_400_000;

const FORMATS = new Map<string, Intl.DateTimeFormat>();

function format(timeZone: string): Intl.DateTimeFormat {
  let f = FORMATS.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    FORMATS.set(timeZone, f);
  }
  return f;
}

/** The wall-clock time in the zone of an instant, read as if it were UTC (epoch ms). */
function wallClock(instant: Date, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of format(timeZone).formatToParts(instant)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
}

/**
 * The calendar day in `timeZone` on which the instant falls, as the UTC midnight of that date (the rollups' day key):
 * a call at 19:30 in New York on 5 March is day 2026-03-05, not the UTC 6th.
 */
export function dayIn(instant: Date, timeZone: string): Date {
  const local = wallClock(instant, timeZone);
  return new Date(local - (((local % DAY_MS) + DAY_MS) % DAY_MS));
}

/** The instant local midnight begins the day `day` (a day key: UTC midnight of the date) in `timeZone`. */
export function dayStartIn(day: Date, timeZone: string): Date {
  // offset = wall clock - instant; iterate twice so a midnight next to a DST change settles
  let guess = day.getTime();
  for (let i = 0; i < 2; i++) guess = day.getTime() - (wallClock(new Date(guess), timeZone) - guess);
  return new Date(guess);
}

/** [start, end) of the day `day` in `timeZone`: 23, 24 or 25 hours. */
export function dayRangeIn(day: Date, timeZone: string): { from: Date; to: Date } {
  return { from: dayStartIn(day, timeZone), to: dayStartIn(new Date(day.getTime() + DAY_MS), timeZone) };
}
