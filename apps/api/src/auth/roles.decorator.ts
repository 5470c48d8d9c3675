import { SetMetadata, applyDecorators } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { Role } from '#libs/domain';

export const ROLES_KEY = 'earshot:roles';
export const PUBLIC_KEY = 'earshot:public';

/**
 * Who may call this endpoint (on a handler, or on a controller for all its handlers). Required on every route.
 * The OpenAPI document shows it as x-roles on each operation (a handler's own list wins over its controller's).
 */
export const Roles = (...roles: Role[]) => applyDecorators(SetMetadata(ROLES_KEY, roles), ApiExtension('x-roles', roles));

/** No credentials needed (health, login). */
export const Public = () => applyDecorators(SetMetadata(PUBLIC_KEY, true), ApiExtension('x-roles', ['public']));

export const SAME_ORIGIN_COOKIE_WRITES_KEY = 'earshot:same-origin-cookie-writes';

/**
 * Writes authenticated by the session cookie pass the CSRF check with a same-origin Origin (or Referer) header instead
 * of the x-csrf-token header: for pages the API serves but does not write (the queue dashboard).
 */
export const SameOriginCookieWrites = () => SetMetadata(SAME_ORIGIN_COOKIE_WRITES_KEY, true);
