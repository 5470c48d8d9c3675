import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditRepository } from '#libs/db';
import { validateDto } from '../common/validate-dto.js';
import { ListAuditQuery } from './list-audit.query.js';
import { Roles } from '../auth/roles.decorator.js';

/** Read-only: no endpoint edits or deletes an audit entry, and the table refuses UPDATE and DELETE. */
@ApiTags('audit')
@Roles('admin', 'compliance')
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditRepository) {}

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
    summary: 'Recompute the hash chain over every entry',
    description: '{ ok: true, entries } when intact; { ok: false, firstBrokenId, reason, entriesChecked } naming the first entry that breaks it.',
  })
  async verify() {
    return this.audit.verify();
  }
}
