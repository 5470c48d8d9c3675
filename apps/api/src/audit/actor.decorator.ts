import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest } from '../auth/principal.js';

/** Who is calling, for the audit log: the authenticated principal's label ("user:<email>", "api-key:<name>"). */
export const Actor = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().principal?.label ?? 'anonymous',
);
