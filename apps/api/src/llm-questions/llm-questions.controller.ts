import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CampaignRepository } from '#libs/db';
import { QuestionCatalogService } from '#libs/llm-checks';
import { Actor } from '../audit/actor.decorator.js';
import { Roles } from '../auth/roles.decorator.js';
import { NotFoundError } from '../common/not-found.error.js';
import { ApiAnswerSchema, ApiJsonBody, ApiJsonBodySchema } from '../common/openapi.js';
import { RequestValidationError } from '../common/request-validation.error.js';
import { validateDto } from '../common/validate-dto.js';
import {
  CampaignLlmSettingsDto,
  CreateQuestionDto,
  ForkQuestionDto,
  QuestionChangeNoteDto,
  QuestionRollbackDto,
  SaveQuestionDraftDto,
  TestQuestionDto,
} from './llm-question.dto.js';
import { CAMPAIGN_QUESTIONS, CAMPAIGN_SETTINGS, CREATE_BODY, DRAFT_BODY, PUBLISHED, QUESTION_DETAIL, QUESTION_VERSION, TEST_RESULT } from './llm-question.schemas.js';

const AUTHORS = ['admin', 'qa_lead', 'compliance'] as const;

function versionParam(value: string): number {
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1) throw new RequestValidationError(['version: must be a version number (1, 2, ...)']);
  return Number(value);
}

@ApiTags('llm-questions')
@Roles(...AUTHORS)
@Controller('v1')
export class LlmQuestionsController {
  constructor(
    private readonly catalog: QuestionCatalogService,
    private readonly campaigns: CampaignRepository,
  ) {}

  @Get('campaigns/:campaign/llm-questions')
  @ApiOperation({ summary: "A campaign's LLM questions (the shipped system ones and its own): live version, draft, whether its calls ask it, answers and discarded answers over 30 days; its settings and spend today" })
  @ApiAnswerSchema(CAMPAIGN_QUESTIONS, 200, "the campaign's questions")
  async list(@Param('campaign') ref: string) {
    const campaign = await this.campaign(ref);
    return { campaign: campaign.externalId, ...(await this.catalog.list(campaign.id)) };
  }

  @Post('campaigns/:campaign/llm-questions')
  @ApiOperation({ summary: "A new question of this campaign with its first draft (validated; 400 names each bad field, e.g. body.question.criteria.pass)" })
  @ApiJsonBodySchema(CREATE_BODY)
  @ApiAnswerSchema(QUESTION_DETAIL, 201, 'the question')
  async create(@Param('campaign') ref: string, @Body() body: unknown, @Actor() actor: string) {
    const dto = await validateDto(CreateQuestionDto, body, 'body');
    const campaign = await this.campaign(ref);
    return this.catalog.create(campaign.id, dto.key, dto.question, actor);
  }

  @Put('campaigns/:campaign/llm-settings')
  @ApiOperation({ summary: "Which questions the campaign's calls skip (system or its own) and its daily LLM cost ceiling in USD; audited" })
  @ApiJsonBody(CampaignLlmSettingsDto)
  @ApiAnswerSchema(CAMPAIGN_SETTINGS, 200, 'the settings now')
  async setSettings(@Param('campaign') ref: string, @Body() body: unknown, @Actor() actor: string) {
    const dto = await validateDto(CampaignLlmSettingsDto, body, 'body');
    const campaign = await this.campaign(ref);
    const settings = await this.catalog.setSettings(campaign.id, { disabledQuestions: dto.disabledQuestions, dailyCostCeilingUsd: dto.dailyCostCeilingUsd }, actor);
    return { campaign: campaign.externalId, settings };
  }

  @Get('llm-questions/:key')
  @ApiOperation({ summary: 'A question: live content, draft (with its field diff against the live version), whether the draft was tried, version history' })
  @ApiAnswerSchema(QUESTION_DETAIL, 200, 'the question')
  async get(@Param('key') key: string) {
    return this.catalog.get(key);
  }

  @Get('llm-questions/:key/versions/:version')
  @ApiOperation({ summary: 'One published version, immutable' })
  @ApiAnswerSchema(QUESTION_VERSION, 200, 'the version')
  async version(@Param('key') key: string, @Param('version') version: string) {
    return this.catalog.version(key, versionParam(version));
  }

  @Post('llm-questions/:key/fork')
  @ApiOperation({ summary: "A campaign's own editable copy of a question version (shipped questions included), as a draft" })
  @ApiJsonBody(ForkQuestionDto)
  @ApiAnswerSchema(QUESTION_DETAIL, 201, 'the new question')
  async fork(@Param('key') key: string, @Body() body: unknown, @Actor() actor: string) {
    const dto = await validateDto(ForkQuestionDto, body, 'body');
    const campaign = await this.campaign(dto.campaign);
    return this.catalog.fork(key, campaign.id, dto.key, dto.version, actor);
  }

  @Put('llm-questions/:key/draft')
  @ApiOperation({ summary: 'Replace the draft; validated first, 400 naming each field (body.question.text.en); audited with the field diff' })
  @ApiJsonBodySchema(DRAFT_BODY)
  @ApiAnswerSchema(QUESTION_DETAIL, 200, 'the question')
  async saveDraft(@Param('key') key: string, @Body() body: unknown, @Actor() actor: string) {
    const dto = await validateDto(SaveQuestionDraftDto, body, 'body');
    return this.catalog.saveDraft(key, dto.question, actor);
  }

  @Post('llm-questions/:key/test')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Ask the LLM the draft (or a version) over a pasted transcript: the answer, its verified quotes or why it was discarded, tokens and cost',
    description: 'Nothing is cached or recorded on a call; a test of the draft as it stands is remembered (publish requires one). 503 when the LLM is not configured or failed.',
  })
  @ApiJsonBody(TestQuestionDto)
  @ApiAnswerSchema(TEST_RESULT, 200, 'the answer')
  async test(@Param('key') key: string, @Body() body: unknown, @Actor() actor: string) {
    const dto = await validateDto(TestQuestionDto, body, 'body');
    return this.catalog.test(key, { text: dto.text, ...(dto.language ? { language: dto.language } : {}), ...(dto.version ? { version: dto.version } : {}) }, actor);
  }

  @Post('llm-questions/:key/publish')
  @HttpCode(200)
  @ApiOperation({ summary: 'Publish the tried draft as the next immutable version and make it live; the note is required and audited with the field diff' })
  @ApiJsonBody(QuestionChangeNoteDto)
  @ApiAnswerSchema(PUBLISHED, 200, 'the version now live and what changed')
  async publish(@Param('key') key: string, @Body() body: unknown, @Actor() actor: string) {
    const dto = await validateDto(QuestionChangeNoteDto, body, 'body');
    return this.catalog.publish(key, dto.note.trim(), actor);
  }

  @Post('llm-questions/:key/rollback')
  @HttpCode(200)
  @ApiOperation({ summary: 'Make an earlier published version live again; the note is required and audited with the field diff' })
  @ApiJsonBody(QuestionRollbackDto)
  @ApiAnswerSchema(PUBLISHED, 200, 'the version now live and what changed')
  async rollback(@Param('key') key: string, @Body() body: unknown, @Actor() actor: string) {
    const dto = await validateDto(QuestionRollbackDto, body, 'body');
    return this.catalog.rollback(key, dto.version, dto.note.trim(), actor);
  }

  private async campaign(ref: string) {
    const campaign = await this.campaigns.find(ref);
    if (!campaign) throw new NotFoundError('campaign', ref);
    return campaign;
  }
}
