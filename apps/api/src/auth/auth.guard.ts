import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AccessRepository, type StoredApiKey, type StoredUser } from '#libs/db';
import { credentialKind, hashToken, isCsrfTokenOf } from '#libs/auth';
import type { Role } from '#libs/domain';
import { ForbiddenError, UnauthorizedError } from './auth.errors.js';
import type { AuthenticatedRequest, Principal } from './principal.js';
import { PUBLIC_KEY, ROLES_KEY, SAME_ORIGIN_COOKIE_WRITES_KEY } from './roles.decorator.js';
import { CSRF_HEADER, readCookie, SESSION_COOKIE } from './session-cookie.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

// lastUsedAt is for spotting dead keys, not auditing: one write a minute per key is plenty.
const TOUCH_INTERVAL_MS = 60_000;

/**
 * Global guard: resolves the bearer token (session or API key) to a principal, then checks the endpoint's
 * @Roles. An endpoint that declares no roles is refused to everyone: access is never granted by omission.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly access: AccessRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const sameOriginWrites = this.reflector.getAllAndOverride<boolean>(SAME_ORIGIN_COOKIE_WRITES_KEY, targets) === true;
    const principal = await this.authenticate(bearerOrCookieToken(request, { sameOriginWrites }));
    request.principal = principal;
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [];
    if (!allowed.includes(principal.role)) {
      const route = `${request.method} ${request.route?.path ?? request.path}`;
      throw new ForbiddenError(
        allowed.length === 0
          ? `${route} declares no roles, so nobody may call it`
          : `role ${principal.role} may not call ${route}; allowed: ${allowed.join(', ')}`,
        allowed,
      );
    }
    return true;
  }

  private async authenticate(token: string | undefined): Promise<Principal> {
    if (!token) {
      throw new UnauthorizedError('missing credentials: send "Authorization: Bearer <session token or API key>" (sign in at POST /v1/auth/login)');
    }
    const kind = credentialKind(token);
    if (kind === 'session') {
      const user = await this.access.userForSession(hashToken(token));
      if (user) return userPrincipal(user);
    } else if (kind === 'api_key') {
      const key = await this.access.findLiveApiKey(hashToken(token));
      if (key) {
        const now = new Date();
        if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) await this.access.touchApiKey(key.id, now);
        return apiKeyPrincipal(key);
      }
    }
    throw new UnauthorizedError('invalid credentials: the token is unknown, expired or revoked, or its user is disabled');
  }
}

/**
 * The bearer token when the request has an Authorization header, else the console's session cookie. A write
 * authenticated by the cookie must echo the session's CSRF token in a header, which another site cannot read.
 */
export function bearerOrCookieToken(request: AuthenticatedRequest, options: { sameOriginWrites?: boolean } = {}): string | undefined {
  const header = request.headers.authorization;
  if (header !== undefined) return /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
  const cookieToken = readCookie(request, SESSION_COOKIE);
  if (!cookieToken || credentialKind(cookieToken) !== 'session') return undefined;
  const presented = request.headers[CSRF_HEADER];
  const sameOrigin = options.sameOriginWrites === true && isSameOrigin(request);
  if (!SAFE_METHODS.has(request.method) && !sameOrigin && !isCsrfTokenOf(cookieToken, typeof presented === 'string' ? presented : undefined)) {
    throw new ForbiddenError(`a write signed in by the session cookie needs the ${CSRF_HEADER} header (the value of the earshot_csrf cookie)`);
  }
  return cookieToken;
}

function userPrincipal(user: StoredUser): Principal {
  return {
    kind: 'user',
    id: user.id,
    role: user.role,
    label: `user:${user.email}`,
    agentId: user.agentId,
    unredactedAccess: user.unredactedAccess,
  };
}

function apiKeyPrincipal(key: StoredApiKey): Principal {
  return { kind: 'api_key', id: key.id, role: key.role, label: `api-key:${key.name}`, agentId: null, unredactedAccess: key.unredactedAccess };
}

/** The request's Origin (or, without one, its Referer's origin) is this API's own. */
function isSameOrigin(request: AuthenticatedRequest): boolean {
  const own = `${request.protocol}://${request.get('host')}`;
  const origin = request.headers.origin;
  if (typeof origin === 'string') return origin === own;
  const referer = request.headers.referer;
  return typeof referer === 'string' && URL.canParse(referer) && new URL(referer).origin === own;
}
