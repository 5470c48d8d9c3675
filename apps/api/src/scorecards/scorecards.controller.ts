import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditRepository, CampaignRepository, ScorecardRepository, type CampaignRef, type StoredScorecard } from '#libs/db';
import { DEFAULT_SCORECARD, validateScorecard } from '#libs/scoring';
import { NotFoundError } from '../common/not-found.error.js';
import { RequestValidationError } from '../common/request-validation.error.js';
import { Actor } from '../audit/actor.decorator.js';
import { Roles } from '../auth/roles.decorator.js';
import { ApiJsonBodySchema, REQUEST_SCHEMAS } from '../common/openapi.js';

function present(card: StoredScorecard, campaign?: CampaignRef) {
  return {
    id: card.id,
    name: card.name,
    version: card.version,
    criteria: card.criteria,
    campaignId: card.ownerCampaignId,
    current: campaign ? campaign.scorecardId === card.id : undefined,
    createdAt: card.createdAt,
  };
}

@ApiTags('scorecards')
@Roles('admin', 'qa_lead', 'compliance', 'trainer')
@Controller('v1')
export class ScorecardsController {
  constructor(
    private readonly scorecards: ScorecardRepository,
    private readonly campaigns: CampaignRepository,
    private readonly audit: AuditRepository,
  ) {}

  @Roles('admin', 'qa_lead')
  @Post('campaigns/:campaign/scorecards')
  @HttpCode(201)
  @ApiOperation({
    summary: "Write a new version of a campaign's scorecard; it becomes the campaign's current scorecard",
    description: 'Body { name, criteria }. The version is assigned (1 + the highest of that name). Calls scored from then on use it; POST /v1/evaluation/rescore re-scores earlier ones.',
  })
  @ApiJsonBodySchema(REQUEST_SCHEMAS.scorecard())
  async create(@Param('campaign') campaignRef: string, @Body() body: unknown, @Actor() actor: string) {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new RequestValidationError(['body: must be a JSON object with name and criteria']);
    const { version, ...rest } = body as Record<string, unknown>;
    if (version !== undefined) throw new RequestValidationError(['version: assigned by the server; leave it out']);
    // Validate with a placeholder version; the real one is assigned when stored.
    const checked = validateScorecard({ ...rest, version: 1 });
    if (!checked.ok) throw new RequestValidationError(checked.issues.map((i) => `${i.path || 'body'}: ${i.message}`));
    const campaign = await this.campaigns.find(campaignRef);
    if (!campaign) throw new NotFoundError('campaign', campaignRef);
    const stored = await this.scorecards.createVersion(campaign.id, checked.scorecard.name, JSON.parse(JSON.stringify(checked.scorecard.criteria)));
    await this.audit.append({
      actor,
      action: 'scorecard.created',
      entityType: 'scorecard',
      entityId: stored.id,
      details: { campaign: campaign.externalId, name: checked.scorecard.name, criteria: JSON.parse(JSON.stringify(checked.scorecard.criteria)) },
    });
    return present(stored, { ...campaign, scorecardId: stored.id });
  }

  @Get('campaigns/:campaign/scorecards')
  @ApiOperation({ summary: "A campaign's scorecard versions, newest first; `current` marks the one in use (none: the built-in default)" })
  async list(@Param('campaign') campaignRef: string) {
    const campaign = await this.campaigns.find(campaignRef);
    if (!campaign) throw new NotFoundError('campaign', campaignRef);
    const items = await this.scorecards.listForCampaign(campaign);
    return {
      campaign: { id: campaign.id, externalId: campaign.externalId },
      current: campaign.scorecardId ? { id: campaign.scorecardId } : { default: DEFAULT_SCORECARD.name, version: DEFAULT_SCORECARD.version },
      items: items.map((c) => present(c, campaign)),
    };
  }

  @Get('scorecards/default')
  @ApiOperation({ summary: 'The built-in scorecard used by campaigns without one' })
  default() {
    return DEFAULT_SCORECARD;
  }

  @Get('scorecards/:id')
  async get(@Param('id') id: string) {
    const card = await this.scorecards.findById(id);
    if (!card) throw new NotFoundError('scorecard', id);
    return present(card);
  }
}
