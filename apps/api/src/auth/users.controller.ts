import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AccessRepository, AuditRepository, RollupRepository } from '#libs/db';
import { hashPassword, newApiKey, hashToken } from '#libs/auth';
import { decodePageCursor, encodePageCursor } from '#libs/db';
import { Actor } from '../audit/actor.decorator.js';
import { NotFoundError } from '../common/not-found.error.js';
import { RequestValidationError } from '../common/request-validation.error.js';
import { validateDto } from '../common/validate-dto.js';
import { CreateApiKeyDto, CreateUserDto, UpdateUserDto } from './auth.dto.js';
import { Roles } from './roles.decorator.js';
import { presentApiKey, presentUser } from './user.presenter.js';
import { ApiAnswer, ApiJsonBody, ApiPageAnswer } from '../common/openapi.js';

const uuid = new ParseUUIDPipe({ errorHttpStatusCode: 400 });
const MAX_PAGE = 200;

@ApiTags('access')
@Roles('admin')
@Controller('v1')
export class UsersController {
  constructor(
    private readonly access: AccessRepository,
    private readonly audit: AuditRepository,
    private readonly agents: RollupRepository,
  ) {}

  @Post('users')
  @ApiOperation({ summary: 'Create a user with a role (agent users are linked to their agent); audited' })
  @ApiJsonBody(CreateUserDto)
  @ApiAnswer('UserView', 201)
  async create(@Body() body: unknown, @Actor() actor: string) {
    const dto = await validateDto(CreateUserDto, body, '');
    if (dto.role !== 'agent' && dto.agent !== undefined) throw new RequestValidationError(['agent: only users with the agent role are linked to an agent']);
    const agentId = dto.agent === undefined ? null : await this.agentId(dto.agent);
    const user = await this.access.createUser({
      email: dto.email.trim().toLowerCase(),
      displayName: dto.displayName.trim(),
      role: dto.role,
      passwordHash: await hashPassword(dto.password),
      agentId,
      unredactedAccess: dto.unredactedAccess ?? false,
    });
    await this.audit.append({ actor, action: 'user.created', entityType: 'user', entityId: user.id, details: { email: user.email, role: user.role, unredactedAccess: user.unredactedAccess } });
    return presentUser(user);
  }

  @Get('users')
  @ApiOperation({ summary: 'Users, newest first, cursor-paginated ({ items, nextCursor })' })
  @ApiPageAnswer('UserView')
  async list(@Query('limit') rawLimit?: string, @Query('cursor') cursor?: string) {
    const limit = rawLimit === undefined ? 50 : Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new RequestValidationError([`query.limit: must be a whole number from 1 to ${MAX_PAGE}`]);
    const rows = await this.access.listUsers({ limit: limit + 1, cursor: cursor ? decodePageCursor(cursor) : undefined });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { items: page.map(presentUser), nextCursor: rows.length > limit && last ? encodePageCursor(last) : null };
  }

  @Get('users/:id')
  @ApiOperation({ summary: 'One user' })
  @ApiAnswer('UserView')
  async get(@Param('id', uuid) id: string) {
    const user = await this.access.findUser(id);
    if (!user) throw new NotFoundError('user', id);
    return presentUser(user);
  }

  @Patch('users/:id')
  @ApiOperation({ summary: 'Change role, name, password, agent link, unredacted access, or disable; role, password and disable end sessions; audited' })
  @ApiJsonBody(UpdateUserDto)
  @ApiAnswer('UserView')
  async update(@Param('id', uuid) id: string, @Body() body: unknown, @Actor() actor: string) {
    const dto = await validateDto(UpdateUserDto, body, '');
    const current = await this.access.findUser(id);
    if (!current) throw new NotFoundError('user', id);
    const role = dto.role ?? current.role;
    const agentRef = dto.agent;
    if (role === 'agent' && agentRef === undefined && !current.agentId) throw new RequestValidationError(['agent: required for the agent role']);
    const agentId = role !== 'agent' ? null : agentRef !== undefined ? await this.agentId(agentRef) : current.agentId;
    const user = await this.access.updateUser(id, {
      displayName: dto.displayName?.trim(),
      role: dto.role,
      passwordHash: dto.password === undefined ? undefined : await hashPassword(dto.password),
      agentId,
      unredactedAccess: dto.unredactedAccess,
      disabled: dto.disabled,
    });
    if (!user) throw new NotFoundError('user', id);
    const { password: _secret, ...changes } = dto;
    await this.audit.append({ actor, action: 'user.updated', entityType: 'user', entityId: id, details: { ...changes, passwordChanged: dto.password !== undefined } });
    return presentUser(user);
  }

  @Post('api-keys')
  @ApiOperation({ summary: 'Create an API key for a machine; the key is in this response only (stored hashed); audited' })
  @ApiJsonBody(CreateApiKeyDto)
  @ApiAnswer('CreatedApiKeyView', 201)
  async createKey(@Body() body: unknown, @Actor() actor: string) {
    const dto = await validateDto(CreateApiKeyDto, body, '');
    const { key, prefix } = newApiKey();
    const stored = await this.access.createApiKey({ name: dto.name.trim(), role: dto.role, prefix, keyHash: hashToken(key), unredactedAccess: dto.unredactedAccess ?? false, createdBy: actor });
    await this.audit.append({ actor, action: 'api_key.created', entityType: 'api_key', entityId: stored.id, details: { name: stored.name, role: stored.role, prefix } });
    return { ...presentApiKey(stored), key };
  }

  @Get('api-keys')
  @ApiOperation({ summary: 'API keys (never the keys themselves), newest first, cursor-paginated ({ items, nextCursor })' })
  @ApiPageAnswer('ApiKeyView')
  async listKeys(@Query('limit') rawLimit?: string, @Query('cursor') cursor?: string) {
    const limit = rawLimit === undefined ? 50 : Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) throw new RequestValidationError([`query.limit: must be a whole number from 1 to ${MAX_PAGE}`]);
    const rows = await this.access.listApiKeys({ limit: limit + 1, cursor: cursor ? decodePageCursor(cursor) : undefined });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { items: page.map(presentApiKey), nextCursor: rows.length > limit && last ? encodePageCursor(last) : null };
  }

  @Delete('api-keys/:id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke an API key: it stops working at once; audited' })
  @ApiAnswer('ApiKeyView')
  async revokeKey(@Param('id', uuid) id: string, @Actor() actor: string) {
    const key = await this.access.revokeApiKey(id);
    if (!key) throw new NotFoundError('api key', id);
    await this.audit.append({ actor, action: 'api_key.revoked', entityType: 'api_key', entityId: id, details: { name: key.name } });
    return presentApiKey(key);
  }

  private async agentId(ref: string): Promise<string> {
    const agent = await this.agents.findAgent(ref);
    if (!agent) throw new RequestValidationError([`agent: no agent ${ref}`]);
    return agent.agentId;
  }
}
