import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { type Role, UNREDACTED_ROLES } from '#libs/domain';

/** The authenticated caller: a signed-in user or an API key. */
export interface Principal {
  kind: 'user' | 'api_key';
  id: string;
  role: Role;
  /** what the audit log records as the actor: "user:<email>" or "api-key:<name>" */
  label: string;
  /** agent role: the only agent whose calls this principal sees */
  agentId: string | null;
  unredactedAccess: boolean;
}

export type AuthenticatedRequest = Request & { principal?: Principal };

export function mayReadUnredacted(principal: Principal): boolean {
  return principal.unredactedAccess || UNREDACTED_ROLES.includes(principal.role);
}

/** The caller the auth guard resolved; undefined only on @Public() routes. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal | undefined =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().principal,
);
