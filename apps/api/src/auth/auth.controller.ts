import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AccessRepository, AuditRepository } from '#libs/db';
import { csrfTokenFor, hashPassword, verifyPassword } from '#libs/auth';
import { ROLES } from '#libs/domain';
import { validateDto } from '../common/validate-dto.js';
import { NotFoundError } from '../common/not-found.error.js';
import { ChangePasswordDto, LoginDto } from './auth.dto.js';
import { UnauthorizedError } from './auth.errors.js';
import { AuthService } from './auth.service.js';
import { type AuthenticatedRequest, CurrentPrincipal, type Principal } from './principal.js';
import { Public, Roles } from './roles.decorator.js';
import { bearerOrCookieToken } from './auth.guard.js';
import { clearSessionCookies, setSessionCookies } from './session-cookie.js';
import { presentUser } from './user.presenter.js';
import { ApiAnswer, ApiAnswerSchema, ApiJsonBody } from '../common/openapi.js';

@ApiTags('auth')
@Controller('v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly access: AccessRepository,
    private readonly audit: AuditRepository,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in with email and password; returns a bearer session token, or sets the console session cookie (audited)',
    description: 'With session: "cookie" the session is an httpOnly, SameSite=Strict cookie; writes it authenticates must send x-csrf-token (the earshot_csrf cookie, also returned as csrfToken).',
  })
  @ApiResponse({ status: 401, description: 'wrong email or password, or the user is disabled' })
  @ApiResponse({ status: 429, description: 'too many failed attempts for this email from this address; see Retry-After' })
  @ApiJsonBody(LoginDto)
  @ApiAnswerSchema({ oneOf: [{ $ref: '#/components/schemas/TokenLoginView' }, { $ref: '#/components/schemas/CookieLoginView' }] }, 200, 'the session: a bearer token, or (session: cookie) the CSRF token beside the cookie')
  async login(@Body() body: unknown, @Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: Response) {
    const dto = await validateDto(LoginDto, body, '');
    const signedIn = await this.auth.login(dto.email, dto.password, request.ip ?? 'unknown');
    const user = presentUser(signedIn.user);
    if (dto.session === 'cookie') {
      setSessionCookies(request, response, signedIn.token, signedIn.expiresAt);
      return { csrfToken: csrfTokenFor(signedIn.token), expiresAt: signedIn.expiresAt, user };
    }
    return { token: signedIn.token, expiresAt: signedIn.expiresAt, user };
  }

  @Roles(...ROLES)
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'End this session (the bearer token or session cookie stops working)' })
  async logout(@Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: Response, @CurrentPrincipal() principal: Principal) {
    const token = bearerOrCookieToken(request);
    if (principal.kind === 'user' && token) await this.auth.logout(token, principal.label);
    clearSessionCookies(request, response);
  }

  @Roles(...ROLES)
  @Get('me')
  @ApiOperation({ summary: 'Who the bearer token belongs to, with its role' })
  @ApiAnswer('MeView')
  async me(@CurrentPrincipal() principal: Principal) {
    if (principal.kind === 'api_key') return { kind: 'api_key', id: principal.id, name: principal.label, role: principal.role };
    const user = await this.access.findUser(principal.id);
    if (!user) throw new NotFoundError('user', principal.id);
    return { kind: 'user', ...presentUser(user) };
  }

  @Roles(...ROLES)
  @Post('password')
  @HttpCode(204)
  @ApiOperation({ summary: "Change the signed-in user's own password; ends all their sessions (audited)" })
  @ApiJsonBody(ChangePasswordDto)
  async changePassword(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    const dto = await validateDto(ChangePasswordDto, body, '');
    if (principal.kind !== 'user') throw new UnauthorizedError('an API key has no password; sign in as a user');
    const user = await this.access.findUser(principal.id);
    const credentials = user ? await this.access.findCredentials(user.email) : null;
    if (!credentials || !(await verifyPassword(dto.currentPassword, credentials.passwordHash))) {
      throw new UnauthorizedError('currentPassword is wrong');
    }
    await this.access.updateUser(principal.id, { passwordHash: await hashPassword(dto.newPassword) });
    await this.audit.append({ actor: principal.label, action: 'user.password_changed', entityType: 'user', entityId: principal.id });
  }
}
