import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { JsonValue } from '#libs/audit';
import { AuditRepository, CampaignRepository, type RuleBacktestRunRecord } from '#libs/db';
import { JobQueues } from '#libs/queue';
import { RuleBacktestJobs, RuleCatalogError, RuleCatalogService } from '#libs/rule-catalog';
import { parseRulePack, RulePackValidationError } from '#libs/rules';
import { Actor } from '../audit/actor.decorator.js';
import { Roles } from '../auth/roles.decorator.js';
import { NotFoundError } from '../common/not-found.error.js';
import { RequestValidationError } from '../common/request-validation.error.js';
import { validateDto } from '../common/validate-dto.js';
import { ApiAnswerSchema, ApiJsonBody, ApiMediaAnswer } from '../common/openapi.js';
import { parseApiDateTime } from '../common/is-api-date-time.js';
import { RECHECK_QUEUED_SCHEMA, RECHECK_STATE_SCHEMA } from '../calibration/calibration.schemas.js';
import { backtestScope } from '../rules/backtest-scope.js';
import {
  CampaignRulePacksDto,
  CreateRulePackDto,
  DraftBacktestDto,
  ForkRulePackDto,
  ImportRulePackDto,
  PublishDto,
  RecheckDto,
  RollbackDto,
  SaveDraftDto,
} from './rule-pack.dto.js';

const AUTHORS = ['admin', 'qa_lead', 'compliance'] as const;
/** Backtests up to this many calls answer inline; larger ones run in the background. */
const INLINE_BACKTEST_LIMIT = 500;

function versionParam(value: string, field: string): number {
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1) throw new RequestValidationError([`${field}: must be a version number (1, 2, ...)`]);
  return Number(value);
}

@ApiTags('rule-packs')
@Roles(...AUTHORS)
@Controller('v1')
export class RulePacksController {
  constructor(
    private readonly catalog: RuleCatalogService,
    private readonly jobs: RuleBacktestJobs,
    private readonly campaigns: CampaignRepository,
    private readonly queues: JobQueues,
    private readonly audit: AuditRepository,
  ) {}

  @Roles(...AUTHORS, 'trainer')
  @Get('rule-packs')
  @ApiOperation({ summary: 'Every rule pack: shipped (system, read-only) and campaign packs, with the live version' })
  async list() {
    return { items: await this.catalog.list() };
  }

  @Post('rule-packs')
  @ApiOperation({ summary: 'A new campaign pack with its first draft (validated; 400 names each bad field)' })
  @ApiJsonBody(CreateRulePackDto)
  async create(@Body() body: unknown, @Actor() actor: string) {
    const dto = await validateDto(CreateRulePackDto, body, 'body');
    return this.catalog.create(dto.key, dto.pack, actor);
  }

  @Post('rule-packs/import')
  @ApiOperation({ summary: 'A new campaign pack from a pack file (YAML or JSON), as a draft; its id is the key' })
  @ApiJsonBody(ImportRulePackDto)
  async import(@Body() body: unknown, @Actor() actor: string) {
    const dto = await validateDto(ImportRulePackDto, body, 'body');
    try {
      const pack = parseRulePack(dto.source, dto.format ?? 'yaml', 'body.source', { trustedPatterns: await this.catalog.trusted() });
      return await this.catalog.create(pack.id, pack, actor);
    } catch (error) {
      if (error instanceof RulePackValidationError) throw new RequestValidationError(error.issues.map((i) => i.replace(/^body\.source: (?!not valid)/, 'body.source.')));
      throw error;
    }
  }

  @Roles(...AUTHORS, 'trainer')
  @Get('rule-packs/:key')
  @ApiOperation({ summary: 'A pack: its draft (with what it changes against the live version), versions and whether the draft was backtested' })
  async get(@Param('key') key: string) {
    return this.catalog.get(key);
  }

  @Roles(...AUTHORS, 'trainer')
  @Get('rule-packs/:key/versions/:version')
  @ApiOperation({ summary: 'One published version, immutable' })
  async version(@Param('key') key: string, @Param('version') version: string) {
    return this.catalog.version(key, versionParam(version, 'version'));
  }

  @Roles(...AUTHORS, 'trainer')
  @Get('rule-packs/:key/diff')
  @ApiOperation({ summary: "Rules added, removed and changed between two published versions (to=draft: against the draft)" })
  async diff(@Param('key') key: string, @Query('from') from: string, @Query('to') to: string) {
    return this.catalog.diff(key, versionParam(from ?? '', 'from'), to === 'draft' ? 'draft' : versionParam(to ?? '', 'to'));
  }

  @Roles(...AUTHORS, 'trainer')
  @Get('rule-packs/:key/export')
  @ApiOperation({ summary: 'A version as a pack file: ?version=live|draft|N, ?format=yaml|json' })
  @ApiMediaAnswer(['application/yaml', 'application/json'], { description: 'the pack file (text)', schema: { type: 'string' } })
  async export(@Param('key') key: string, @Query('version') version: string | undefined, @Query('format') format: string | undefined, @Res({ passthrough: true }) response: Response) {
    if (format !== undefined && format !== 'yaml' && format !== 'json') throw new RequestValidationError(['format: must be yaml or json']);
    const which = version === undefined || version === 'live' ? 'live' : version === 'draft' ? 'draft' : versionParam(version, 'version');
    const text = await this.catalog.export(key, which, format ?? 'yaml');
    response.type(format === 'json' ? 'application/json' : 'application/yaml');
    response.setHeader('Content-Disposition', `attachment; filename="${key}.${format === 'json' ? 'json' : 'yaml'}"`);
    return text;
  }

  @Post('rule-packs/:key/fork')
  @ApiOperation({ summary: "A campaign's own editable copy of a pack version (shipped packs included), as a draft" })
  @ApiJsonBody(ForkRulePackDto)
  async fork(@Param('key') key: string, @Body() body: unknown, @Actor() actor: string) {
    const dto = await validateDto(ForkRulePackDto, body, 'body');
    return this.catalog.fork(key, dto.key, dto.version, actor);
  }

  @Put('rule-packs/:key/draft')
  @ApiOperation({ summary: 'Replace the draft; validated and compiled first, 400 naming each field (body.pack.rules.3.match.phrases.0)' })
  @ApiJsonBody(SaveDraftDto)
  async saveDraft(@Param('key') key: string, @Body() body: unknown, @Actor() actor: string) {
    const dto = await validateDto(SaveDraftDto, body, 'body');
    return this.catalog.saveDraft(key, dto.pack, actor);
  }

  @Delete('rule-packs/:key/draft')
  @HttpCode(204)
  @ApiOperation({ summary: 'Discard the draft' })
  async discardDraft(@Param('key') key: string, @Actor() actor: string) {
    await this.catalog.discardDraft(key, actor);
  }

  @Post('rule-packs/:key/draft/backtest')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Backtest the draft over stored calls against the live version: hits per rule, examples, findings added/removed, precision on reviewed calls',
    description:
      'Writes no finding; records that this draft was backtested (publish requires it). Up to 500 calls it answers inline; a larger limit (or background: true) answers 202 with a run to poll at GET /v1/rule-backtests/{id} and cancel.',
  })
  @ApiJsonBody(DraftBacktestDto)
  async backtestDraft(@Param('key') key: string, @Body() body: unknown, @Actor() actor: string, @Res({ passthrough: true }) response: Response) {
    const dto = await validateDto(DraftBacktestDto, body ?? {}, 'body');
    const { pack, draftUpdatedAt, live } = await this.catalog.draft(key);
    const scope = backtestScope(dto.filter);
    const input = { key, pack, draftUpdatedAt, live, scope, examplesPerRule: dto.examplesPerRule ?? 3, actor, request: JSON.parse(JSON.stringify(dto)) as JsonValue };
    if (!dto.background && scope.limit <= INLINE_BACKTEST_LIMIT) return this.jobs.inline(input);
    response.status(202);
    return presentRun(await this.jobs.start(input));
  }

  @Get('rule-backtests/:id')
  @ApiOperation({ summary: 'A background backtest: status, calls read of the limit, and the report once completed' })
  async backtestRun(@Param('id', new ParseUUIDPipe()) id: string) {
    const run = await this.jobs.find(id);
    if (!run) throw new NotFoundError('backtest run', id);
    return presentRun(run);
  }

  @Post('rule-backtests/:id/cancel')
  @HttpCode(202)
  @ApiOperation({ summary: 'Stop a background backtest at its next progress point (409 when it already ended)' })
  async cancelBacktest(@Param('id', new ParseUUIDPipe()) id: string) {
    if (!(await this.jobs.find(id))) throw new NotFoundError('backtest run', id);
    if (!(await this.jobs.cancel(id))) throw new RuleCatalogError('conflict', ['id: the backtest already ended']);
    return presentRun((await this.jobs.find(id)) as RuleBacktestRunRecord);
  }

  @Post('rule-packs/:key/publish')
  @HttpCode(200)
  @ApiOperation({ summary: 'Publish the backtested draft as the next immutable version and make it live; the note is required and audited with the diff' })
  @ApiJsonBody(PublishDto)
  async publish(@Param('key') key: string, @Body() body: unknown, @Actor() actor: string) {
    const dto = await validateDto(PublishDto, body, 'body');
    // the period is checked before anything is published, so a bad one changes nothing
    const recheck = dto.recheck ? await this.recheckRequest(key, dto.recheck, actor, 'body.recheck') : null;
    const published = await this.catalog.publish(key, dto.note.trim(), actor);
    if (!recheck) return published;
    return { ...published, recheck: await this.startRecheck(key, recheck, actor) };
  }

  @Post('rule-packs/:key/recheck')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Re-check past calls with the live packs their campaigns run (only calls running this pack): a bulk job with progress',
    description:
      'Findings that changed are written (added, removed, updated in place; reviews of kept findings stay) and only calls whose findings changed are re-scored and rolled up again (each call replaces its earlier contribution). Running it twice changes nothing the second time. Poll GET /v1/rule-rechecks/{jobId}.',
  })
  @ApiJsonBody(RecheckDto)
  @ApiAnswerSchema(RECHECK_QUEUED_SCHEMA, 202, 'the queued re-check')
  async recheck(@Param('key') key: string, @Body() body: unknown, @Actor() actor: string) {
    const dto = await validateDto(RecheckDto, body, 'body');
    return this.startRecheck(key, await this.recheckRequest(key, dto, actor, 'body'), actor);
  }

  @Get('rule-rechecks/:jobId')
  @ApiOperation({ summary: 'A re-check: its state, and calls read, calls changed and findings added/removed/updated so far' })
  @ApiAnswerSchema(RECHECK_STATE_SCHEMA)
  async recheckState(@Param('jobId') jobId: string) {
    if (!/^[0-9]{1,15}$/.test(jobId)) throw new RequestValidationError(['jobId: must be the id a re-check request returned']);
    const job = await this.queues.recheckJob(jobId);
    if (!job) throw new NotFoundError('re-check job', jobId);
    return { jobId, ...job };
  }

  @Post('rule-packs/:key/rollback')
  @HttpCode(200)
  @ApiOperation({ summary: 'Make an earlier published version live again; the note is required and audited with the diff' })
  @ApiJsonBody(RollbackDto)
  async rollback(@Param('key') key: string, @Body() body: unknown, @Actor() actor: string) {
    const dto = await validateDto(RollbackDto, body, 'body');
    return this.catalog.rollback(key, dto.version, dto.note.trim(), actor);
  }

  private async recheckRequest(key: string, dto: RecheckDto, _actor: string, field: string): Promise<RecheckRequest> {
    await this.catalog.get(key);
    const from = parseApiDateTime(dto.from, { offset: 'optional' }) as Date;
    const to = dto.to ? (parseApiDateTime(dto.to, { offset: 'optional' }) as Date) : new Date();
    if (from >= to) throw new RequestValidationError([`${field}.from: must be before ${field}.to`]);
    if (!dto.campaign) return { from, to };
    const campaign = await this.campaigns.find(dto.campaign);
    if (!campaign) throw new RequestValidationError([`${field}.campaign: no campaign ${dto.campaign}`]);
    return { from, to, campaignId: campaign.id };
  }

  private async startRecheck(key: string, request: RecheckRequest, actor: string) {
    const jobId = await this.queues.enqueueRecheck({
      from: request.from.toISOString(),
      to: request.to.toISOString(),
      packKey: key,
      requestedBy: actor,
      ...(request.campaignId ? { campaignId: request.campaignId } : {}),
    });
    await this.audit.append({
      actor,
      action: 'rule_pack.recheck_requested',
      entityType: 'rule_pack',
      entityId: key,
      details: { from: request.from.toISOString(), to: request.to.toISOString(), campaignId: request.campaignId ?? null, jobId },
    });
    return { jobId, status: 'queued' as const, progressUrl: `/v1/rule-rechecks/${jobId}` };
  }

  @Roles(...AUTHORS, 'trainer')
  @Get('campaigns/:campaign/rule-packs')
  @ApiOperation({ summary: "The packs a campaign chose (null: the shipped packs) and the live versions its calls run" })
  async campaignPacks(@Param('campaign') ref: string) {
    const campaign = await this.campaigns.find(ref);
    if (!campaign) throw new NotFoundError('campaign', ref);
    return { campaign: campaign.externalId, ...(await this.catalog.campaignPacks(campaign.id)) };
  }

  @Put('campaigns/:campaign/rule-packs')
  @ApiOperation({ summary: "Choose the packs a campaign's calls run (enable, disable, or swap a shipped pack for a fork); audited" })
  @ApiJsonBody(CampaignRulePacksDto)
  async setCampaignPacks(@Param('campaign') ref: string, @Body() body: unknown, @Actor() actor: string) {
    const dto = await validateDto(CampaignRulePacksDto, body, 'body');
    const campaign = await this.campaigns.find(ref);
    if (!campaign) throw new NotFoundError('campaign', ref);
    await this.catalog.setCampaignPacks(campaign.id, dto.packs, actor);
    return { campaign: campaign.externalId, ...(await this.catalog.campaignPacks(campaign.id)) };
  }
}

interface RecheckRequest {
  from: Date;
  to: Date;
  campaignId?: string;
}

function presentRun(run: RuleBacktestRunRecord) {
  return {
    id: run.id,
    packKey: run.packKey,
    status: run.status,
    progress: { processed: run.processed, limit: run.limit },
    cancelRequested: run.cancelRequestedAt !== null,
    requestedBy: run.requestedBy,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    error: run.error,
    result: run.result,
  };
}
