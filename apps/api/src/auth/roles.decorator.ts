import { SetMetadata } from '@nestjs/common';
import type { Role } from '#libs/domain';

export const ROLES_KEY = 'earshot:roles';
export const PUBLIC_KEY = 'earshot:public';

/** Who may call this endpoint (on a handler, or on a controller for all its handlers). Required on every route. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** No credentials needed (health, login). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
