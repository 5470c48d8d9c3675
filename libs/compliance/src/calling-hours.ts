import { getCountry } from 'countries-and-timezones';
import { phoneCountry } from './phone-number.js';

export interface ZoneResolution {
  zones: string[];
  /** metadata: the call said; country: the number's country has one zone; country-ambiguous: several zones */
  source: 'metadata' | 'country' | 'country-ambiguous' | 'unknown';
}

// Countries with one legal time whose tz data lists several zones (Xinjiang's unofficial Asia/Urumqi).
const ONE_LEGAL_ZONE: Record<string, string> = { CN: 'Asia/Shanghai' };

/** The customer's time zone(s): the call's own zone, else every zone of the number's country. */
export function resolveCustomerZones(timeZone: string | null | undefined, e164: string): ZoneResolution {
  if (timeZone && isTimeZone(timeZone)) return { zones: [timeZone], source: 'metadata' };
  const country = phoneCountry(e164);
  if (country && ONE_LEGAL_ZONE[country]) return { zones: [ONE_LEGAL_ZONE[country]], source: 'country' };
  const zones = country ? (getCountry(country)?.timezones ?? []).filter(isTimeZone) : [];
  if (zones.length === 0) return { zones: [], source: 'unknown' };
  return { zones, source: zones.length === 1 ? 'country' : 'country-ambiguous' };
}

export interface LocalTime {
  /** YYYY-MM-DD in the zone */
  date: string;
  /** minutes since local midnight */
  minutes: number;
  /** HH:MM */
  clock: string;
}

const FORMATTERS = new Map<string, Intl.DateTimeFormat>();

/** Wall-clock date and time of an instant in an IANA zone. */
export function localTime(at: Date, zone: string): LocalTime {
  let format = FORMATTERS.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    FORMATTERS.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  const hour = Number(parts['hour']);
  const minute = Number(parts['minute']);
  return {
    date: `${parts['year']}-${parts['month']}-${parts['day']}`,
    minutes: hour * 60 + minute,
    clock: `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`,
  };
}

/** "08:00" -> 480 */
export function clockMinutes(clock: string): number {
  const [h, m] = clock.split(':');
  return Number(h) * 60 + Number(m);
}

/** Whether a local time lies in [start, end): a call may start at 08:00 and must start before 21:00. */
export function withinHours(local: LocalTime, hours: { start: string; end: string }): boolean {
  return local.minutes >= clockMinutes(hours.start) && local.minutes < clockMinutes(hours.end);
}

const KNOWN_ZONES = new Map<string, boolean>();

/** Whether Intl knows the IANA zone; memoised, since building a formatter to find out is costly. */
export function isTimeZone(zone: string): boolean {
  let known = KNOWN_ZONES.get(zone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      known = true;
    } catch {
      known = false;
    }
    if (KNOWN_ZONES.size < 10_000) KNOWN_ZONES.set(zone, known);
  }
  return known;
}
