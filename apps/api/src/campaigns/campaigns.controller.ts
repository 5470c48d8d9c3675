import type { CampaignSummaryView } from '#libs/api-contract';
import { Body, Controller, Get, Param, Put, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { isTimeZone } from '#libs/compliance';
import { CampaignRepository } from '#libs/db';
import { NotFoundError } from '../common/not-found.error.js';
import { RequestValidationError } from '../common/request-validation.error.js';
import { validateDto } from '../common/validate-dto.js';
import { CampaignSettingsDto } from './campaign-settings.dto.js';
import { Roles } from '../auth/roles.decorator.js';
import { ApiAnswerSchema } from '../common/openapi.js';

@ApiTags('campaigns')
@Roles('admin', 'qa_lead', 'compliance', 'trainer')
@Controller('v1/campaigns')
export class CampaignsController {
  constructor(private readonly campaigns: CampaignRepository) {}

  @Get()
  @ApiOperation({ summary: 'Every campaign with its settings' })
  @ApiAnswerSchema({ type: 'object', required: ['items'], properties: { items: { type: 'array', items: { $ref: '#/components/schemas/CampaignSummaryView' } } } })
  async list() {
    return { items: await this.campaigns.list() } satisfies { items: CampaignSummaryView[] };
  }

  @Get(':campaign')
  @ApiOperation({ summary: 'A campaign by id or external id' })
  async get(@Param('campaign') ref: string) {
    const campaign = await this.campaigns.find(ref);
    if (!campaign) throw new NotFoundError('campaign', ref);
    return campaign;
  }

  @Roles('admin')
  @Put(':campaign')
  @ApiOperation({
    summary: "Create a campaign under the dialer's external id, or change its settings",
    description:
      '201 when created, 200 when changed. Calls analysed from then on use the new settings; retentionDays takes effect at the next retention sweep.',
  })
  @ApiBody({ type: CampaignSettingsDto })
  async save(@Param('campaign') externalId: string, @Body() body: unknown, @Res({ passthrough: true }) response: Response) {
    if (externalId.length > 200) throw new RequestValidationError(['campaign: at most 200 characters']);
    const settings = await validateDto(CampaignSettingsDto, body, 'body');
    if (settings.timeZone && !isTimeZone(settings.timeZone)) throw new RequestValidationError([`body.timeZone: unknown IANA time zone "${settings.timeZone}"`]);
    const { campaign, created } = await this.campaigns.save(externalId, { ...settings });
    response.status(created ? 201 : 200);
    return campaign;
  }
}
