import { API_KEY_PREFIX, SESSION_TOKEN_PREFIX } from '#libs/auth';

// Pure: what a log line may not carry. Keys are redacted by name; strings have phone numbers and bearer tokens masked.

/** keys whose values never reach a log: credentials, transcript text, phone numbers */
const SECRET_KEY = /pass(word)?|token|secret|authori[sz]ation|cookie|api[-_]?key|^text$|transcript|segments|utterance|phone|msisdn|ani$|dnis$/i;
const REDACTED = '[redacted]';

// A UUID, a hex digest or an ISO date is kept as it is; any other run of 7-15 digits (with spaces, dashes, parentheses) is a possible
// phone number and keeps its last two digits only.
const PHONE_OR_SAFE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32,}|\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?|(\+?\(?\d[\d\s()-]{5,22}\d)/gi;
const BEARER = /\b(Bearer\s+)\S+/gi;
// Earshot's credentials (sessions and API keys) carry a prefix: never let one through, whatever the field
const CREDENTIAL = new RegExp(`\\b(${SESSION_TOKEN_PREFIX}|${API_KEY_PREFIX})[A-Za-z0-9_-]{8,}`, 'g');

/** A string with phone numbers masked to their last two digits and credentials replaced. */
export function scrubText(value: string): string {
  return value
    .replace(BEARER, `$1${REDACTED}`)
    .replace(CREDENTIAL, `$1${REDACTED}`)
    .replace(PHONE_OR_SAFE, (match, phone: string | undefined) => {
      if (phone === undefined) return match;
      const digits = phone.replace(/\D/g, '');
      if (digits.length < 7 || digits.length > 15) return match;
      return `***${digits.slice(-2)}`;
    });
}

/**
 * A copy of a log record's fields with secret keys redacted and every string scrubbed (depth-limited, cycle-safe).
 * Instances of other classes (a request, a response) are left to pino's serializers, which scrub what they keep.
 */
export function scrubFields(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 6 || seen.has(value)) return '[…]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => scrubFields(item, depth + 1, seen));
  if (value instanceof Error) return { type: value.name, message: scrubText(value.message), stack: value.stack === undefined ? undefined : scrubText(value.stack) };
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? REDACTED : scrubFields(field, depth + 1, seen);
  }
  return out;
}
