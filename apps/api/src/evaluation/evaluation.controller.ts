import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AgentPageRepository, AuditRepository, CampaignRepository, EvaluationRepository, RollupRepository, ScorecardRepository } from '#libs/db';
import { JobQueues } from '#libs/queue';
import { NotFoundError } from '../common/not-found.error.js';
import { RequestValidationError } from '../common/request-validation.error.js';
import { Actor } from '../audit/actor.decorator.js';
import { CallAccess } from '../auth/call-access.service.js';
import { ForbiddenError } from '../auth/auth.errors.js';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { EvaluationQueryService } from './evaluation-query.service.js';
import { parseGranularity, parseLevel, parseMetric, parseNumber, parsePeriod } from './evaluation-query.params.js';
import { isUuid } from '#libs/domain';
import { Roles } from '../auth/roles.decorator.js';
import { ApiJsonBodySchema } from '../common/openapi.js';

const MAX_RESCORE = 100_000;

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const RESCORE_BODY = {
  type: 'object',
  additionalProperties: false,
  properties: {
    campaign: { type: 'string', minLength: 1, description: 'campaign id or external id' },
    scorecardId: { type: 'string', minLength: 1 },
    agent: { type: 'string', minLength: 1, description: 'agent id or external id' },
    callIds: { type: 'array', minItems: 1, items: { type: 'string', format: 'uuid' } },
    limit: { type: 'integer', minimum: 1, maximum: MAX_RESCORE, default: MAX_RESCORE },
  },
};

@ApiTags('evaluation')
@Roles('admin', 'qa_lead', 'compliance', 'trainer')
@Controller('v1/evaluation')
export class EvaluationController {
  constructor(
    private readonly query: EvaluationQueryService,
    private readonly evaluations: EvaluationRepository,
    private readonly scorecards: ScorecardRepository,
    private readonly campaigns: CampaignRepository,
    private readonly rollups: RollupRepository,
    private readonly queues: JobQueues,
    private readonly callAccess: CallAccess,
    private readonly audit: AuditRepository,
    private readonly agentPage: AgentPageRepository,
  ) {}

  @Roles('admin', 'qa_lead', 'compliance', 'trainer', 'agent')
  @Get('agents/:agent')
  @ApiOperation({ summary: "An agent's scorecard: the four dimensions and QA score over a period, with a day or week trend" })
  async agent(@Param('agent') agent: string, @Query() q: Record<string, unknown>, @CurrentPrincipal() principal: Principal) {
    if (principal.role === 'agent') {
      const requested = await this.rollups.findAgent(agent);
      if (!requested || requested.agentId !== principal.agentId) throw new ForbiddenError('an agent sees only their own scorecard', ['admin', 'qa_lead', 'compliance', 'trainer']);
    }
    return this.query.agentScorecard(agent, parsePeriod(q), parseGranularity(q.granularity), text(q.campaign));
  }

  @Roles('admin', 'qa_lead', 'compliance', 'trainer', 'agent')
  @Get('agents/:agent/calls')
  @ApiOperation({ summary: "An agent's worst and best scored calls over a period, and the disputes and rulings on their evaluations" })
  async agentCalls(@Param('agent') agentRef: string, @Query() q: Record<string, unknown>, @CurrentPrincipal() principal: Principal) {
    const agent = await this.rollups.findAgent(agentRef);
    if (principal.role === 'agent' && (!agent || agent.agentId !== principal.agentId)) {
      throw new ForbiddenError('an agent sees only their own calls', ['admin', 'qa_lead', 'compliance', 'trainer']);
    }
    if (!agent) throw new NotFoundError('agent', agentRef);
    const period = parsePeriod(q);
    const limit = parseNumber(q.limit, 'query.limit', 5, (n) => Number.isInteger(n) && n >= 1 && n <= 50, 'must be a whole number from 1 to 50');
    const [worst, best, disputes] = await Promise.all([
      this.agentPage.scoredCalls(agent.agentId, period.from, period.to, 'asc', limit),
      this.agentPage.scoredCalls(agent.agentId, period.from, period.to, 'desc', limit),
      this.agentPage.disputes(agent.agentId, 50),
    ]);
    return { agent: { id: agent.agentId, externalId: agent.externalId, name: agent.name }, worst, best, disputes };
  }

  @Get('campaigns/:campaign')
  @ApiOperation({ summary: "A campaign's four dimensions and QA score over a period, with a day or week trend" })
  async campaign(@Param('campaign') campaign: string, @Query() q: Record<string, unknown>) {
    return this.query.campaignScorecard(campaign, parsePeriod(q), parseGranularity(q.granularity));
  }

  @Get('teams')
  @ApiOperation({ summary: 'Every team with its four dimensions over a period' })
  async teams(@Query() q: Record<string, unknown>) {
    return this.query.teams(parsePeriod(q), text(q.campaign));
  }

  @Get('teams/:team')
  @ApiOperation({ summary: 'Drill-down: the team, its groups and their agents, each with the four dimensions and judged figures; ?campaign= narrows to one campaign' })
  async team(@Param('team') team: string, @Query() q: Record<string, unknown>) {
    return this.query.teamDrillDown(team, parsePeriod(q), text(q.campaign));
  }

  @Get('teams/:team/trend')
  @ApiOperation({ summary: "A team's four dimensions and judged figures over a period, with a day or week trend" })
  async teamTrend(@Param('team') team: string, @Query() q: Record<string, unknown>) {
    return this.query.levelTrend('team', team, parsePeriod(q), parseGranularity(q.granularity));
  }

  @Get('groups/:group')
  @ApiOperation({ summary: "A group's four dimensions and judged figures over a period, with a day or week trend" })
  async group(@Param('group') group: string, @Query() q: Record<string, unknown>) {
    return this.query.levelTrend('group', group, parsePeriod(q), parseGranularity(q.granularity));
  }

  @Get('rankings')
  @ApiOperation({ summary: 'Top and bottom share of agents, groups or teams by a metric; below the minimum sample left out; Wilson intervals for rates' })
  async rankings(@Query() q: Record<string, unknown>) {
    return this.query.ranking({
      metric: parseMetric(q.metric),
      level: parseLevel(q.level),
      period: parsePeriod(q),
      minSample: parseNumber(q.minSample, 'query.minSample', 20, (n) => Number.isInteger(n) && n >= 0, 'must be a whole number >= 0'),
      fraction: parseNumber(q.fraction, 'query.fraction', 0.2, (n) => n > 0 && n <= 0.5, 'must be above 0 and at most 0.5'),
      teamRef: text(q.team),
      campaignRef: text(q.campaign),
    });
  }

  @Roles('admin', 'qa_lead', 'compliance', 'trainer', 'agent')
  @Get('calls/:callId')
  @ApiOperation({ summary: "A call's evaluation: score, auto-fail and every criterion's result with its finding ids" })
  async call(@Param('callId', new ParseUUIDPipe({ errorHttpStatusCode: 400 })) callId: string, @CurrentPrincipal() principal: Principal) {
    await this.callAccess.assertMaySee(principal, callId);
    const evaluation = await this.evaluations.find(callId);
    if (!evaluation) throw new NotFoundError('evaluation of call', callId);
    return evaluation;
  }

  @Roles('admin', 'qa_lead')
  @Post('rescore')
  @HttpCode(202)
  @ApiOperation({ summary: 'Re-score finished calls (by campaign, scorecard, agent or ids) as one bulk job; poll progressUrl; rollups follow' })
  @ApiJsonBodySchema(RESCORE_BODY)
  async rescore(@Body() body: unknown, @Actor() actor: string) {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new RequestValidationError(['body: must be a JSON object']);
    const input = body as Record<string, unknown>;
    const problems: string[] = [];
    for (const key of Object.keys(input)) {
      if (!['campaign', 'scorecardId', 'agent', 'callIds', 'limit'].includes(key)) problems.push(`${key}: not a known field`);
    }
    const str = (key: string) => {
      const v = input[key];
      if (v === undefined) return undefined;
      if (typeof v !== 'string' || v.trim() === '') problems.push(`${key}: must be a non-empty string`);
      return typeof v === 'string' ? v : undefined;
    };
    const campaignRef = str('campaign');
    const scorecardId = str('scorecardId');
    const agentRef = str('agent');
    const callIds = input.callIds;
    if (callIds !== undefined && (!Array.isArray(callIds) || callIds.length === 0 || !callIds.every((c) => isUuid(c)))) {
      problems.push('callIds: must be a non-empty array of call ids (UUIDs)');
    }
    const limit = input.limit === undefined ? MAX_RESCORE : input.limit;
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_RESCORE) problems.push(`limit: must be a whole number from 1 to ${MAX_RESCORE}`);
    if (problems.length) throw new RequestValidationError(problems);

    const campaign = campaignRef ? await this.campaigns.find(campaignRef) : null;
    if (campaignRef && !campaign) throw new NotFoundError('campaign', campaignRef);
    if (scorecardId && !(await this.scorecards.findById(scorecardId))) throw new NotFoundError('scorecard', scorecardId);
    const agent = agentRef ? await this.rollups.findAgent(agentRef) : null;
    if (agentRef && !agent) throw new NotFoundError('agent', agentRef);

    const jobId = await this.queues.enqueueBulkRescore({
      campaignId: campaign?.id,
      scorecardId,
      agentId: agent?.agentId,
      callIds: callIds as string[] | undefined,
      limit: limit as number,
    });
    await this.audit.append({ actor, action: 'evaluation.rescore_requested', entityType: 'scorecard', entityId: scorecardId ?? null, details: { campaign: campaignRef ?? null, agent: agentRef ?? null, jobId } });
    return { jobId, status: 'queued' as const, progressUrl: `/v1/evaluation/rescore/${jobId}` };
  }

  @Roles('admin', 'qa_lead')
  @Get('rescore/:jobId')
  @ApiOperation({ summary: 'A bulk re-score: its state and how many of its calls are queued so far' })
  async rescoreProgress(@Param('jobId') jobId: string) {
    if (!/^[0-9]{1,15}$/.test(jobId)) throw new RequestValidationError(['jobId: must be the id a re-score request returned']);
    const job = await this.queues.bulkJob(jobId);
    if (!job) throw new NotFoundError('re-score job', jobId);
    return { jobId, state: job.state, total: job.progress?.total ?? null, queued: job.progress?.queued ?? 0, failedReason: job.failedReason };
  }
}
