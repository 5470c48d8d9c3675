import { Body, Controller, Get, Inject, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { calibrate } from '#libs/calibration';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { CalibrationRepository, CampaignRepository } from '#libs/db';
import { CALL_READERS } from '#libs/domain';
import { Actor } from '../audit/actor.decorator.js';
import { Roles } from '../auth/roles.decorator.js';
import { NotFoundError } from '../common/not-found.error.js';
import { ApiAnswerSchema, ApiJsonBody } from '../common/openapi.js';
import { RequestValidationError } from '../common/request-validation.error.js';
import { isStorableInstant, parseApiDateTime } from '../common/is-api-date-time.js';
import { validateDto } from '../common/validate-dto.js';
import { CALIBRATION_REPORT_SCHEMA, MISSED_FINDING_SCHEMA, MISSED_FINDINGS_SCHEMA } from './calibration.schemas.js';
import { MissedFindingDto } from './missed-finding.dto.js';

const DEFAULT_PERIOD_DAYS = 90;
const REVIEWERS = ['admin', 'qa_lead', 'compliance'] as const;

@ApiTags('calibration')
@Roles(...REVIEWERS)
@Controller('v1')
export class CalibrationController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly calibration: CalibrationRepository,
    private readonly campaigns: CampaignRepository,
  ) {}

  @Roles(...REVIEWERS, 'trainer')
  @Get('calibration')
  @ApiOperation({
    summary: 'Per rule and LLM question, on calls people reviewed: precision, recall (from missed findings), agreement and Cohen’s kappa, with counts and 95% intervals',
    description:
      'Reviewed calls: calls started in [from, to) with a decision on a finding or a missed finding added. Precision = confirmed / (confirmed + dismissed); recall = confirmed / (confirmed + missed); agreement and kappa per call. belowFloor: precision under CALIBRATION_PRECISION_FLOOR. Default period: the last 90 days.',
  })
  @ApiQuery({ name: 'from', required: false, description: 'ISO 8601' })
  @ApiQuery({ name: 'to', required: false, description: 'ISO 8601, exclusive' })
  @ApiQuery({ name: 'campaign', required: false, description: "a campaign's external id" })
  @ApiAnswerSchema(CALIBRATION_REPORT_SCHEMA)
  async report(@Query('from') rawFrom?: string, @Query('to') rawTo?: string, @Query('campaign') campaignRef?: string) {
    const to = parseDate(rawTo, 'to') ?? new Date();
    const from = parseDate(rawFrom, 'from') ?? new Date(to.getTime() - DEFAULT_PERIOD_DAYS * 86_400_000);
    if (from >= to) throw new RequestValidationError(['query.from: must be before query.to']);
    if (!isStorableInstant(from)) throw new RequestValidationError(['query.from: the period must lie within the years 0001 to 9999']);
    let campaignId: string | undefined;
    if (campaignRef) {
      const campaign = await this.campaigns.find(campaignRef);
      if (!campaign) throw new NotFoundError('campaign', campaignRef);
      campaignId = campaign.id;
    }
    const rows = await this.calibration.rows({ from, to, ...(campaignId ? { campaignId } : {}) });
    return { from: from.toISOString(), to: to.toISOString(), campaign: campaignRef ?? null, ...calibrate(rows, this.config.rules.precisionFloor) };
  }

  @Post('calls/:id/missed-findings')
  @ApiOperation({ summary: 'Add a finding the machine missed on this call (a false negative): rule or question id, quote, note; audited' })
  @ApiJsonBody(MissedFindingDto)
  @ApiAnswerSchema(MISSED_FINDING_SCHEMA, 201, 'the missed finding as stored')
  async addMissed(@Param('id', new ParseUUIDPipe()) callId: string, @Body() body: unknown, @Actor() actor: string) {
    const dto = await validateDto(MissedFindingDto, body, 'body');
    if (dto.startSeconds !== undefined && dto.endSeconds !== undefined && dto.endSeconds < dto.startSeconds) {
      throw new RequestValidationError(['body.endSeconds: must not be before startSeconds']);
    }
    const created = await this.calibration.addMissed(
      {
        callId,
        source: dto.source ?? 'rule',
        ruleId: dto.ruleId.trim(),
        quote: dto.quote.trim(),
        segmentIndex: dto.segmentIndex ?? null,
        startSeconds: dto.startSeconds ?? null,
        endSeconds: dto.endSeconds ?? null,
        note: dto.note?.trim() || null,
      },
      actor,
    );
    if (!created) throw new NotFoundError('call', callId);
    return created;
  }

  @Roles(...CALL_READERS)
  @Get('calls/:id/missed-findings')
  @ApiOperation({ summary: 'The findings reviewers added to this call because the machine missed them, oldest first' })
  @ApiAnswerSchema(MISSED_FINDINGS_SCHEMA)
  async listMissed(@Param('id', new ParseUUIDPipe()) callId: string) {
    return { items: await this.calibration.listMissed(callId) };
  }
}

function parseDate(raw: string | undefined, field: string): Date | undefined {
  if (raw === undefined || raw === '') return undefined;
  const date = parseApiDateTime(raw, { offset: 'optional' });
  if (!date) throw new RequestValidationError([`query.${field}: must be an ISO 8601 date or date-time, years 0001 to 9999`]);
  return date;
}
