import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_TOKEN_PREFIX = 'ess_';
export const API_KEY_PREFIX = 'esk_';
/** how much of an API key is kept in clear, to tell keys apart in lists */
const VISIBLE_KEY_CHARS = 12;

export type CredentialKind = 'session' | 'api_key';

/** 256 random bits; only the sha256 is stored, so a database leak yields no usable token. */
function newSecret(prefix: string): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function newSessionToken(): string {
  return newSecret(SESSION_TOKEN_PREFIX);
}

export function newApiKey(): { key: string; prefix: string } {
  const key = newSecret(API_KEY_PREFIX);
  return { key, prefix: key.slice(0, VISIBLE_KEY_CHARS) };
}

/** sha256 is enough for 256-bit random secrets: there is nothing to brute-force. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function credentialKind(token: string): CredentialKind | null {
  if (token.startsWith(SESSION_TOKEN_PREFIX)) return 'session';
  if (token.startsWith(API_KEY_PREFIX)) return 'api_key';
  return null;
}

/**
 * The CSRF token of a cookie session: derived from the session token, so it needs no storage and cannot be
 * computed by a page that cannot read the httpOnly session cookie.
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHash('sha256').update(`csrf:${sessionToken}`).digest('base64url');
}

/** Whether `presented` is the session's CSRF token, compared in constant time. */
export function isCsrfTokenOf(sessionToken: string, presented: string | undefined): boolean {
  if (!presented) return false;
  const expected = Buffer.from(csrfTokenFor(sessionToken));
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
