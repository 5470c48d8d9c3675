import { Global, Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { CallAccess } from './call-access.service.js';
import { LoginRateLimiter } from './login-rate-limiter.js';
import { RouteRolesCheck } from './route-roles.check.js';
import { UsersController } from './users.controller.js';

/** Sign-in, users and API keys, the global role guard, and the agent-sees-own-calls check other modules use. */
@Global()
@Module({
  imports: [DiscoveryModule],
  controllers: [AuthController, UsersController],
  providers: [AuthService, LoginRateLimiter, CallAccess, RouteRolesCheck, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [CallAccess],
})
export class AuthModule {}
