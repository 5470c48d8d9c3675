import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { LibraryRepository } from '#libs/db';
import { decodePageCursor, encodePageCursor } from '#libs/db';
import { Roles } from '../auth/roles.decorator.js';
import { RequestValidationError } from '../common/request-validation.error.js';
import { validateDto } from '../common/validate-dto.js';
import { monthOf, normaliseTopic } from './library-content.js';
import { ExamplesQuery, SearchItemsQuery } from './library.dto.js';
import { presentExample, presentItem } from './library.presenter.js';

@ApiTags('library')
@Roles('admin', 'qa_lead', 'trainer')
@Controller('v1/library')
export class LibrarySearchController {
  constructor(private readonly library: LibraryRepository) {}

  @Get('items')
  @ApiOperation({ summary: 'Items across collections by topic, label and collection; newest first, cursor-paginated' })
  @ApiOkResponse({ description: '{ items, nextCursor }' })
  async items(@Query() raw: Record<string, unknown>) {
    const query = await validateDto(SearchItemsQuery, raw, 'query');
    const limit = query.limit ?? 50;
    const topic = query.topic === undefined ? undefined : normaliseTopic(query.topic);
    const rows = await this.library.searchItems(
      { topic: topic || undefined, label: query.label, collectionId: query.collection },
      { limit: limit + 1, cursor: query.cursor ? decodePageCursor(query.cursor) : undefined },
    );
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { items: page.map(presentItem), nextCursor: rows.length > limit && last ? encodePageCursor(last) : null };
  }

  @Get('examples')
  @ApiOperation({
    summary: 'Pull examples: evaluated calls by score, e.g. the worst calls for a criterion this month or the best of a campaign',
    description:
      'criterion: only calls whose evaluation failed it, each with its findings (and their time spans, to add as items). ' +
      'from/to: call start period, default the current calendar month (UTC). order: worst (lowest score first; the default with a criterion) or best.',
  })
  @ApiOkResponse({ description: '{ from, to, order, items: [{ callId, startedAt, agent, campaign, score, autoFailed, scorecard, criterion }] }' })
  async examples(@Query() raw: Record<string, unknown>) {
    const query = await validateDto(ExamplesQuery, raw, 'query');
    const month = monthOf(new Date());
    const from = query.from ? new Date(query.from) : month.from;
    const to = query.to ? new Date(query.to) : month.to;
    if (!(to > from)) throw new RequestValidationError([`query.to: must be after from (${from.toISOString()})`]);
    const order = query.order ?? (query.criterion ? 'worst' : 'best');
    const items = await this.library.pullExamples({
      criterionId: query.criterion,
      campaignExternalId: query.campaign,
      agentExternalId: query.agent,
      from,
      to,
      order,
      limit: query.limit ?? 20,
    });
    return { from: from.toISOString(), to: to.toISOString(), order, items: items.map(presentExample) };
  }
}
