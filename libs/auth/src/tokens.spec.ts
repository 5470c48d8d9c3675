import { csrfTokenFor, isCsrfTokenOf, newSessionToken } from './tokens.js';

describe('CSRF tokens of cookie sessions', () => {
  it('accepts the token of this session only', () => {
    const session = newSessionToken();
    const other = newSessionToken();
    expect(isCsrfTokenOf(session, csrfTokenFor(session))).toBe(true);
    expect(isCsrfTokenOf(session, csrfTokenFor(other))).toBe(false);
    expect(isCsrfTokenOf(session, undefined)).toBe(false);
    expect(isCsrfTokenOf(session, '')).toBe(false);
    expect(isCsrfTokenOf(session, csrfTokenFor(session).slice(0, -1))).toBe(false);
  });

  it('is derived from the session and reveals nothing of it', () => {
    const session = newSessionToken();
    expect(csrfTokenFor(session)).toBe(csrfTokenFor(session));
    expect(csrfTokenFor(session)).not.toContain(session.slice(4, 12));
  });
});
