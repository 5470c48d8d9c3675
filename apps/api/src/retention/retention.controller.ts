import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RetentionRepository } from '#libs/db';
import { RecordingRetentionService, retentionDueAt } from '#libs/retention';
import { RequestValidationError } from '../common/request-validation.error.js';
import { validateDto } from '../common/validate-dto.js';
import { RetentionScheduleQuery } from './retention-schedule.query.js';
import { Actor } from '../audit/actor.decorator.js';
import { Roles } from '../auth/roles.decorator.js';

@ApiTags('retention')
@Roles('admin')
@Controller('v1/retention')
export class RetentionController {
  constructor(
    private readonly retention: RecordingRetentionService,
    private readonly recordings: RetentionRepository,
  ) {}

  @Roles('admin', 'compliance')
  @Get('schedule')
  @ApiOperation({
    summary: 'Stored recordings with the date retention will delete each, oldest call first; cursor-paginated',
    description:
      'deleteAt: startedAt + the campaign\'s retentionDays (the first sweep after it deletes the recording); null when the campaign keeps ' +
      'recordings forever or the call is on legal hold (legalHold true: kept until released).',
  })
  @ApiOkResponse({ description: '{ items: [{ callId, externalId, campaign, startedAt, retentionDays, deleteAt, legalHold, legalHoldReason }], nextCursor }' })
  async schedule(@Query() raw: Record<string, unknown>) {
    const query = await validateDto(RetentionScheduleQuery, raw, 'query');
    const limit = query.limit ?? 50;
    const rows = await this.recordings.schedule({ campaignExternalId: query.campaign }, limit + 1, query.cursor ? decodeScheduleCursor(query.cursor) : undefined);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((row) => {
        const dueAt = retentionDueAt(row.startedAt, row.retentionDays);
        return { ...row, startedAt: row.startedAt.toISOString(), deleteAt: row.legalHold || !dueAt ? null : dueAt.toISOString() };
      }),
      nextCursor: rows.length > limit && last ? Buffer.from(`${last.startedAt.toISOString()}|${last.callId}`).toString('base64url') : null,
    };
  }

  @Post('sweep')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Delete now the recordings past their campaign retention (the worker also does it every RETENTION_SWEEP_INTERVAL_MINUTES)',
    description:
      'Deletes each due recording, its redacted copy and the clips of findings not confirmed; findings, confirmed clips, ' +
      'transcripts and the audit log stay. Calls on legal hold are skipped and counted. Each deletion is audited as recording.deleted.',
  })
  @ApiOkResponse({ description: '{ deletedCalls: [callId], heldCalls: n, failedCalls: [callId] }' })
  async sweep(@Actor() actor: string) {
    return this.retention.sweep({ requestedBy: actor });
  }
}

function decodeScheduleCursor(cursor: string): { startedAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const startedAt = new Date(at ?? '');
  if (!id || !/^[0-9a-f-]{36}$/.test(id) || Number.isNaN(startedAt.getTime())) throw new RequestValidationError(['query.cursor: not a cursor this API returned']);
  return { startedAt, id };
}
