import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { activeOptOut, normalisePhone, parseOptOutCsv } from '#libs/compliance';
import { AuditRepository, type OptOutRecord, OptOutRepository, WebhookDeliveryRepository } from '#libs/db';
import { Actor } from '../audit/actor.decorator.js';
import { decodePageCursor, encodePageCursor } from '#libs/db';
import { NotFoundError } from '../common/not-found.error.js';
import { RequestValidationError } from '../common/request-validation.error.js';
import { validateDto } from '../common/validate-dto.js';
import { AddOptOutDto, CheckOptOutQuery, ListOptOutsQuery, RemoveOptOutQuery, WebhookDeliveriesQuery } from './opt-out.dto.js';
import { Roles } from '../auth/roles.decorator.js';
import { ApiJsonBody } from '../common/openapi.js';
import { discardPart, partBytes } from '../common/upload-storage.js';

const IMPORT_MAX_ROWS = 100_000;

@ApiTags('opt-outs')
@Roles('admin', 'compliance', 'integration')
@Controller('v1/opt-outs')
export class OptOutsController {
  constructor(
    private readonly optOuts: OptOutRepository,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly audit: AuditRepository,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Add a number to the opt-out registry', description: '201 when added; 200 with the entry in force when already opted out.' })
  @ApiJsonBody(AddOptOutDto)
  async add(@Body() body: unknown, @Res({ passthrough: true }) response: Response, @Actor() actor: string) {
    const dto = await validateDto(AddOptOutDto, body, 'body');
    const phone = phoneOrThrow(dto.phone, dto.country, 'body.phone');
    const { record, created } = await this.optOuts.add({
      phone,
      source: dto.source ?? 'manual',
      effectiveAt: dto.effectiveAt ? new Date(dto.effectiveAt) : new Date(),
      evidence: dto.evidence,
    });
    if (created) await this.audit.append({ actor, action: 'opt_out.added', entityType: 'opt_out', entityId: record.id, details: { phone, source: record.source, ...(record.evidence ? { evidence: record.evidence } : {}) } });
    response.status(created ? 201 : 200);
    return { created, optOut: present(record) };
  }

  @Post('import')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Import a CSV of opted-out numbers (all or nothing)',
    description: 'Header row with phone (required), country, source, effective_at, evidence. Any bad row: 422 naming each line and column, nothing imported.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' }, country: { type: 'string' } } } })
  @UseInterceptors(FileInterceptor('file'))
  async import(@UploadedFile() file: Express.Multer.File | undefined, @Body() body: Record<string, unknown>, @Actor() actor: string) {
    try {
      if (!file) throw new RequestValidationError(['file: a CSV file is required (multipart field "file")']);
      const country = typeof body.country === 'string' && body.country !== '' ? body.country : undefined;
      if (country && !/^[A-Za-z]{2}$/.test(country)) throw new RequestValidationError(['country: must be an ISO 3166 alpha-2 code such as US']);
      const { rows, errors } = parseOptOutCsv((await partBytes(file)).toString('utf8'), country);
      if (errors.length > 0) throw new RequestValidationError(errors.slice(0, 200), 422);
      if (rows.length > IMPORT_MAX_ROWS) throw new RequestValidationError([`file: at most ${IMPORT_MAX_ROWS} rows per import (got ${rows.length})`], 422);
      const now = new Date();
      const result = await this.optOuts.addMany(rows.map((row) => ({ ...row, effectiveAt: row.effectiveAt ?? now })));
      await this.audit.append({ actor, action: 'opt_out.imported', entityType: 'opt_out', entityId: null, details: { file: file.originalname, rows: rows.length, ...result } });
      return { rows: rows.length, ...result };
    } finally {
      if (file) await discardPart(file);
    }
  }

  @Roles('admin', 'compliance', 'qa_lead', 'integration')
  @Get('check')
  @ApiOperation({ summary: 'Whether a number is opted out (now, or at a given instant), with its entries' })
  async check(@Query() raw: Record<string, unknown>) {
    const query = await validateDto(CheckOptOutQuery, raw, 'query');
    const phone = phoneOrThrow(query.phone, query.country, 'query.phone');
    const at = query.at ? new Date(query.at) : new Date();
    const entries = await this.optOuts.findByPhone(phone);
    const inForce = activeOptOut(entries, at);
    const record = inForce ? entries.find((entry) => entry.id === inForce.id) : undefined;
    return { phone, at: at.toISOString(), optedOut: record !== undefined, optOut: record ? present(record) : null, entries: entries.map(present) };
  }

  @Roles('admin', 'compliance')
  @Get('webhook-deliveries')
  @ApiOperation({
    summary: 'The delivery log of opt-out webhook events, newest first, cursor-paginated ({ items, nextCursor })',
    description: 'status pending with attempts > 0 is being retried; failed gave up. attemptLog holds every attempt.',
  })
  async webhookDeliveries(@Query() raw: Record<string, unknown>) {
    const query = await validateDto(WebhookDeliveriesQuery, raw, 'query');
    const limit = query.limit ? Number(query.limit) : 50;
    const rows = await this.deliveries.list({ eventType: 'opt_out.created', status: query.status }, limit + 1, query.cursor ? decodePageCursor(query.cursor) : undefined);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { items: page, nextCursor: rows.length > limit && last ? encodePageCursor(last) : null };
  }

  @Roles('admin', 'compliance')
  @Get(':phone/history')
  @ApiOperation({
    summary: "A number's registry history: every entry (removed ones too) and the audited additions and removals with who and why",
  })
  async history(@Param('phone') rawPhone: string, @Query('country') country?: string) {
    if (country !== undefined && !/^[A-Za-z]{2}$/.test(country)) throw new RequestValidationError(['query.country: must be an ISO 3166 alpha-2 code such as US']);
    const phone = phoneOrThrow(rawPhone, country, 'path.phone');
    const [entries, events] = await Promise.all([this.optOuts.findByPhone(phone), this.audit.list({ action: 'opt_out.', phone }, 200)]);
    return { phone, entries: entries.map(present), events };
  }

  @Roles('admin', 'compliance', 'qa_lead', 'integration')
  @Get()
  @ApiOperation({ summary: 'Opt-out entries, newest first, cursor-paginated ({ items, nextCursor })' })
  async list(@Query() raw: Record<string, unknown>) {
    const query = await validateDto(ListOptOutsQuery, raw, 'query');
    const limit = query.limit ? Number(query.limit) : 50;
    const phone = query.phone === undefined ? undefined : phoneOrThrow(query.phone, query.country, 'query.phone');
    const rows = await this.optOuts.list(
      { activeOnly: query.includeRemoved !== 'true', source: query.source, phone },
      { limit: limit + 1, cursor: query.cursor ? decodePageCursor(query.cursor) : undefined },
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(present), nextCursor: rows.length > limit && last ? encodePageCursor(last) : null };
  }

  @Delete(':phone')
  @ApiOperation({ summary: 'Remove a number from the registry (its entries end now; history is kept); reason is audited' })
  async remove(@Param('phone') rawPhone: string, @Actor() actor: string, @Query() raw: Record<string, unknown>) {
    const query = await validateDto(RemoveOptOutQuery, raw, 'query');
    const phone = phoneOrThrow(rawPhone, query.country, 'path.phone');
    const removed = await this.optOuts.remove(phone, new Date());
    if (removed === 0) throw new NotFoundError('opt-out for', phone);
    const reason = query.reason?.trim();
    await this.audit.append({ actor, action: 'opt_out.removed', entityType: 'opt_out', entityId: null, details: { phone, entriesEnded: removed, ...(reason ? { reason } : {}) } });
    return { phone, removed };
  }
}

function phoneOrThrow(raw: string, country: string | undefined, field: string): string {
  const parsed = normalisePhone(raw, country);
  if (!parsed.ok) throw new RequestValidationError([`${field}: ${parsed.reason}`]);
  return parsed.e164;
}

function present(record: OptOutRecord) {
  return {
    id: record.id,
    phone: record.phone,
    source: record.source,
    sourceCallId: record.sourceCallId,
    evidence: record.evidence,
    effectiveAt: record.effectiveAt.toISOString(),
    removedAt: record.removedAt?.toISOString() ?? null,
    createdAt: record.createdAt.toISOString(),
  };
}
