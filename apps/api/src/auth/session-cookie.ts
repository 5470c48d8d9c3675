import type { Request, Response } from 'express';
import { parse, serialize } from 'cookie';
import { csrfTokenFor } from '#libs/auth';

/** The browser console's session: an httpOnly cookie the page's scripts cannot read. */
export const SESSION_COOKIE = 'earshot_session';
/** Readable by the console's scripts, which echo it in CSRF_HEADER on every write. */
export const CSRF_COOKIE = 'earshot_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.cookie;
  return header ? parse(header)[name] : undefined;
}

/** Sets the session and CSRF cookies; Secure whenever the request came over HTTPS (directly or via a trusted proxy). */
export function setSessionCookies(request: Request, response: Response, token: string, expiresAt: Date): void {
  const common = { path: '/', sameSite: 'strict' as const, secure: request.secure, expires: expiresAt };
  response.append('Set-Cookie', serialize(SESSION_COOKIE, token, { ...common, httpOnly: true }));
  response.append('Set-Cookie', serialize(CSRF_COOKIE, csrfTokenFor(token), common));
}

export function clearSessionCookies(request: Request, response: Response): void {
  const expired = { path: '/', sameSite: 'strict' as const, secure: request.secure, expires: new Date(0) };
  response.append('Set-Cookie', serialize(SESSION_COOKIE, '', { ...expired, httpOnly: true }));
  response.append('Set-Cookie', serialize(CSRF_COOKIE, '', expired));
}
