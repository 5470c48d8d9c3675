import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ReviewRepository } from '#libs/db';
import { RequestValidationError } from '../common/request-validation.error.js';
import { Roles } from '../auth/roles.decorator.js';
import { isStorableInstant, parseApiDateTime } from '../common/is-api-date-time.js';

const DEFAULT_PERIOD_DAYS = 30;

@ApiTags('review')
@Roles('admin', 'qa_lead', 'compliance')
@Controller('v1/rules')
export class RulePrecisionController {
  constructor(private readonly reviews: ReviewRepository) {}

  @Get('precision')
  @ApiOperation({
    summary: 'Per-rule precision from reviews: confirmed / reviewed, over findings raised in [from, to)',
    description: 'Each finding counts by its latest decision; pending findings are not counted. Noisiest rules first. Default period: the last 30 days.',
  })
  @ApiQuery({ name: 'from', required: false, description: 'ISO 8601' })
  @ApiQuery({ name: 'to', required: false, description: 'ISO 8601, exclusive' })
  @ApiOkResponse({ description: '{ from, to, rules: [{ ruleId, confirmed, dismissed, reviewed, precision }] }' })
  async precision(@Query('from') rawFrom?: string, @Query('to') rawTo?: string) {
    const to = parseDate(rawTo, 'to') ?? new Date();
    const from = parseDate(rawFrom, 'from') ?? new Date(to.getTime() - DEFAULT_PERIOD_DAYS * 86_400_000);
    if (from >= to) throw new RequestValidationError(['query.from: must be before query.to']);
    if (!isStorableInstant(from)) throw new RequestValidationError(['query.from: the period must lie within the years 0001 to 9999']);
    return { from: from.toISOString(), to: to.toISOString(), rules: await this.reviews.precision(from, to) };
  }
}

function parseDate(raw: string | undefined, field: string): Date | undefined {
  if (raw === undefined || raw === '') return undefined;
  const date = typeof raw === 'string' ? parseApiDateTime(raw, { offset: 'optional' }) : null;
  if (!date) throw new RequestValidationError([`query.${field}: must be an ISO 8601 date or date-time, years 0001 to 9999`]);
  return date;
}
