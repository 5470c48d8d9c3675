import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

export const ACTOR_HEADER = 'x-earshot-actor';
const MAX_ACTOR_LENGTH = 200;

/** Who is calling, for the audit log: the x-earshot-actor header, else 'anonymous'. Authentication will replace it. */
export const Actor = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const raw = context.switchToHttp().getRequest<Request>().headers[ACTOR_HEADER];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  return value ? value.slice(0, MAX_ACTOR_LENGTH) : 'anonymous';
});
