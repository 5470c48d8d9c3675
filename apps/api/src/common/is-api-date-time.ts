import { ValidateBy, type ValidationOptions, isISO8601 } from 'class-validator';

const EXTENDED = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

export interface ApiDateTimeOptions {
  /** `required`: a date-time with Z or ±hh:mm (an instant); `optional`: a date or a date-time, as JavaScript reads them */
  offset: 'required' | 'optional';
}

/**
 * The instant an API date-time names, or null: ISO 8601 extended form only (what `new Date` reads the same
 * everywhere; "20261120T101500Z" is valid ISO 8601 but an Invalid Date), a real calendar date, years 0001–9999
 * (inside PostgreSQL's range and JavaScript's).
 */
export function parseApiDateTime(value: string, options: ApiDateTimeOptions): Date | null {
  const m = EXTENDED.exec(value);
  if (!m || !isISO8601(value, { strict: true })) return null;
  if (options.offset === 'required' && m[1] === undefined) return null;
  const date = new Date(value);
  return isStorableInstant(date) ? date : null;
}

/** A valid date in years 0001–9999: what a period computed from client dates (from = to − 30 days) must also be. */
export function isStorableInstant(date: Date): boolean {
  const year = date.getUTCFullYear();
  return !Number.isNaN(date.getTime()) && year >= 1 && year <= 9999;
}

/** A DTO field holding an API date-time (see parseApiDateTime). */
export function IsApiDateTime(options: ApiDateTimeOptions, validationOptions?: ValidationOptions): PropertyDecorator {
  const form = options.offset === 'required' ? 'an ISO 8601 date-time with an offset, e.g. 2026-11-20T09:30:00+08:00' : 'an ISO 8601 date or date-time, e.g. 2026-11-20 or 2026-11-20T09:30:00Z';
  return ValidateBy(
    {
      name: 'isApiDateTime',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && parseApiDateTime(value, options) !== null,
        defaultMessage: (args) => `${args?.property ?? 'value'} must be ${form}, years 0001 to 9999`,
      },
    },
    validationOptions,
  );
}
