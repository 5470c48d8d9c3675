import { Controller, Get, HttpCode, Inject, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditRepository } from '#libs/db';
import { validateDto } from '../common/validate-dto.js';
import { ListAuditQuery } from './list-audit.query.js';
import { Roles } from '../auth/roles.decorator.js';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { RequestValidationError } from '../common/request-validation.error.js';
import { AuditAnchor } from './audit-anchor.service.js';

/** Read-only: no endpoint edits or deletes an audit entry, and the table refuses UPDATE and DELETE. */
@ApiTags('audit')
@Roles('admin', 'compliance')
@Controller('v1/audit')
export class AuditController {
  constructor(
    private readonly audit: AuditRepository,
    private readonly anchor: AuditAnchor,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Audit entries, newest first, filtered by entity, actor, action (or prefix), call and period; cursor pagination' })
  @ApiOkResponse({ description: '{ items: [{ id, at, actor, action, entityType, entityId, details, prevHash, hash }], nextCursor }' })
  async list(@Query() rawQuery: Record<string, unknown>) {
    const query = await validateDto(ListAuditQuery, rawQuery, 'query');
    const limit = query.limit ?? 100;
    const items = await this.audit.list(
      {
        entityType: query.entityType,
        entityId: query.entityId,
        actor: query.actor,
        action: query.action,
        callId: query.callId,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
      },
      limit + 1,
      query.cursor ? BigInt(query.cursor) : undefined,
    );
    const page = items.slice(0, limit);
    return { items: page, nextCursor: items.length > limit ? (page.at(-1)?.id ?? null) : null };
  }

  @Get('verify')
  @ApiOperation({
    summary: 'Recompute the hash chain over every entry, and check it against the last signed checkpoint',
    description:
      '{ ok: true, entries, anchor } when intact; { ok: false, firstBrokenId, reason, entriesChecked, anchor } naming the first entry ' +
      'that breaks it, or the anchored entry a truncation or re-hash removed or changed (AUDIT_CHAIN_KEY set).',
  })
  async verify() {
    return this.anchor.verify();
  }

  @Roles('admin')
  @Post('anchor')
  @HttpCode(200)
  @ApiOperation({ summary: "Sign the chain's head with AUDIT_CHAIN_KEY and store it in object storage now (also done every AUDIT_ANCHOR_INTERVAL_MINUTES)" })
  async anchorNow() {
    if (!this.config.audit.chainKey) throw new RequestValidationError(['AUDIT_CHAIN_KEY: not set, so the chain cannot be anchored'], 422);
    return { checkpoint: await this.anchor.anchor() };
  }
}
