import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Page, QueueItemView, ReviewHistoryView } from '#libs/api-contract';
import { ReviewRepository, type ReviewQueueFilter, type ReviewQueueItem } from '#libs/db';
import { NotFoundError } from '../common/not-found.error.js';
import { RequestValidationError } from '../common/request-validation.error.js';
import { validateDto } from '../common/validate-dto.js';
import { Actor } from '../audit/actor.decorator.js';
import { AssignFindingDto } from './assign-finding.dto.js';
import { ReviewFindingDto } from './review-finding.dto.js';
import { ReviewQueueQuery } from './review-queue.query.js';
import { ReviewService } from './review.service.js';
import { isUuid } from '#libs/domain';
import { redactText } from '#libs/redaction';
import { Roles } from '../auth/roles.decorator.js';
import { ApiAnswer, ApiJsonBody, ApiPageAnswer } from '../common/openapi.js';

const uuid = new ParseUUIDPipe({ errorHttpStatusCode: 400 });

@ApiTags('review')
@Roles('admin', 'qa_lead', 'compliance')
@Controller('v1/findings')
export class ReviewQueueController {
  constructor(
    private readonly reviews: ReviewRepository,
    private readonly service: ReviewService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The review queue: findings with filters, critical first then oldest first, cursor pagination' })
  @ApiPageAnswer('QueueItemView')
  async list(@Query() rawQuery: Record<string, unknown>) {
    const query = await validateDto(ReviewQueueQuery, rawQuery, 'query');
    const limit = query.limit ?? 50;
    const items = await this.reviews.queue(queueFilter(query), limit + 1, query.cursor ? decodeCursor(query.cursor) : undefined);
    const page = items.slice(0, limit).map(presentQueueItem);
    const last = page.at(-1);
    return { items: page, nextCursor: items.length > limit && last ? Buffer.from(last.id).toString('base64url') : null } satisfies Page<QueueItemView>;
  }

  @Get('counts')
  @ApiOperation({ summary: 'How many findings match the queue filters, by severity, by review state and by rule family (each ignoring its own filter)' })
  @ApiAnswer('QueueCountsView')
  async counts(@Query() rawQuery: Record<string, unknown>) {
    const query = await validateDto(ReviewQueueQuery, rawQuery, 'query');
    return this.reviews.queueCounts(queueFilter(query));
  }

  @Roles('admin', 'qa_lead')
  @Post(':id/assign')
  @HttpCode(200)
  @ApiOperation({ summary: 'Assign the finding to a reviewer (kept in its history, audited)' })
  @ApiNotFoundResponse({ description: 'no finding with this id' })
  @ApiJsonBody(AssignFindingDto)
  @ApiAnswer('FindingAssignedView')
  async assign(@Param('id', uuid) id: string, @Body() body: unknown, @Actor() actor: string) {
    const dto = await validateDto(AssignFindingDto, body, '');
    const result = await this.reviews.assign(id, dto.reviewer, actor);
    if (!result) throw new NotFoundError('finding', id);
    return { findingId: id, callId: result.callId, assignedTo: dto.reviewer };
  }

  @Post(':id/review')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Confirm or dismiss the finding; the call is re-scored',
    description: 'A dismissed finding stops counting in the evaluation and the rollups once the re-score has run. Every decision is kept and audited.',
  })
  @ApiBadRequestResponse({ description: 'a bad decision, or a dismissal without a reason' })
  @ApiConflictResponse({ description: 'expectedState was given and someone decided first: their decision, unchanged' })
  @ApiNotFoundResponse({ description: 'no finding with this id' })
  @ApiJsonBody(ReviewFindingDto)
  @ApiAnswer('ReviewResultView')
  async review(@Param('id', uuid) id: string, @Body() body: unknown, @Actor() actor: string) {
    const dto = await validateDto(ReviewFindingDto, body, '');
    return this.service.decide(id, dto.decision, dto.reason?.trim() || null, actor, dto.expectedState);
  }

  @Get(':id/reviews')
  @ApiOperation({ summary: "The finding's assignments and decisions, oldest first" })
  @ApiAnswer('ReviewHistoryView')
  async history(@Param('id', uuid) id: string) {
    if (!(await this.reviews.findingExists(id))) throw new NotFoundError('finding', id);
    const items = (await this.reviews.history(id)).map((entry) => ({ ...entry, at: entry.at.toISOString() }));
    return { findingId: id, items } satisfies ReviewHistoryView;
  }
}

// the queue shows evidence as everyone sees transcripts: with card numbers, ids, emails and accounts replaced
function presentQueueItem(item: ReviewQueueItem): QueueItemView {
  return {
    ...item,
    evidenceText: item.evidenceText ? redactText(item.evidenceText).text : null,
    reviewedAt: item.reviewedAt?.toISOString() ?? null,
    assignedAt: item.assignedAt?.toISOString() ?? null,
    createdAt: item.createdAt.toISOString(),
    call: { ...item.call, startedAt: item.call.startedAt.toISOString() },
  };
}

function queueFilter(query: ReviewQueueQuery): ReviewQueueFilter {
  return {
    reviewState: query.status,
    severity: query.severity,
    ruleId: query.ruleId,
    family: query.family,
    source: query.source,
    agentExternalId: query.agent,
    groupName: query.group,
    teamName: query.team,
    campaignExternalId: query.campaign,
    assignedTo: query.assignedTo,
    from: query.from ? new Date(query.from) : undefined,
    to: query.to ? new Date(query.to) : undefined,
  };
}

function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!isUuid(id)) throw new RequestValidationError(['query.cursor: not a cursor this API returned']);
  return id;
}
