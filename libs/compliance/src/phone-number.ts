import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';

export type PhoneParseResult = { ok: true; e164: string; country?: string } | { ok: false; reason: string };

/** Normalises a phone number to E.164; a number without + needs defaultCountry (ISO 3166 alpha-2). */
export function normalisePhone(raw: string, defaultCountry?: string): PhoneParseResult {
  const text = raw.trim();
  if (text === '') return { ok: false, reason: 'empty' };
  const parsed = parsePhoneNumberFromString(text, defaultCountry?.toUpperCase() as CountryCode | undefined);
  if (!parsed) {
    return {
      ok: false,
      reason: text.startsWith('+') ? 'not a phone number' : 'not a phone number (use E.164 such as +14155550123, or give a country)',
    };
  }
  if (!parsed.isValid()) return { ok: false, reason: `not a valid number for ${parsed.country ?? `+${parsed.countryCallingCode}`}` };
  return { ok: true, e164: parsed.number, ...(parsed.country ? { country: parsed.country } : {}) };
}

/** The ISO country of an E.164 number, when its prefix identifies one. */
export function phoneCountry(e164: string): string | undefined {
  return parsePhoneNumberFromString(e164)?.country;
}
