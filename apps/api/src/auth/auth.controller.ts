import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AccessRepository, AuditRepository } from '#libs/db';
import { hashPassword, verifyPassword } from '#libs/auth';
import { ROLES } from '#libs/domain';
import { validateDto } from '../common/validate-dto.js';
import { NotFoundError } from '../common/not-found.error.js';
import { ChangePasswordDto, LoginDto } from './auth.dto.js';
import { UnauthorizedError } from './auth.errors.js';
import { AuthService } from './auth.service.js';
import { type AuthenticatedRequest, CurrentPrincipal, type Principal } from './principal.js';
import { Public, Roles } from './roles.decorator.js';
import { presentUser } from './user.presenter.js';

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
  @ApiOperation({ summary: 'Sign in with email and password; returns a bearer session token (audited)' })
  @ApiResponse({ status: 401, description: 'wrong email or password, or the user is disabled' })
  @ApiResponse({ status: 429, description: 'too many failed attempts for this email from this address; see Retry-After' })
  async login(@Body() body: unknown, @Req() request: AuthenticatedRequest) {
    const dto = await validateDto(LoginDto, body, '');
    const signedIn = await this.auth.login(dto.email, dto.password, request.ip ?? 'unknown');
    return { token: signedIn.token, expiresAt: signedIn.expiresAt, user: presentUser(signedIn.user) };
  }

  @Roles(...ROLES)
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'End this session (the bearer token stops working)' })
  async logout(@Req() request: AuthenticatedRequest, @CurrentPrincipal() principal: Principal) {
    const token = /^Bearer\s+(\S+)/i.exec(request.headers.authorization ?? '')?.[1];
    if (principal.kind === 'user' && token) await this.auth.logout(token, principal.label);
  }

  @Roles(...ROLES)
  @Get('me')
  @ApiOperation({ summary: 'Who the bearer token belongs to, with its role' })
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
