import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type RulePack, RulePackValidationError, validateRulePack } from '#libs/rules';
import { RequestValidationError } from '../common/request-validation.error.js';
import { validateDto } from '../common/validate-dto.js';
import { BacktestDto } from './backtest.dto.js';
import { RuleBacktestService } from './rule-backtest.service.js';
import { Roles } from '../auth/roles.decorator.js';
import { ApiJsonBody } from '../common/openapi.js';

const DAY_MS = 24 * 3600 * 1000;

@ApiTags('rules')
@Roles('admin', 'qa_lead', 'compliance')
@Controller('v1/rules')
export class RulesController {
  constructor(private readonly backtests: RuleBacktestService) {}

  @Post('backtest')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Run a draft rule or pack over stored calls: hits per rule, example evidence, precision against reviewed findings',
    description: 'Reads transcripts and reviews only; no finding is written.',
  })
  @ApiJsonBody(BacktestDto)
  async backtest(@Body() body: unknown) {
    const dto = await validateDto(BacktestDto, body, 'body');
    if ((dto.pack === undefined) === (dto.rule === undefined)) {
      throw new RequestValidationError(['body.pack: give exactly one of pack or rule']);
    }
    const pack = draftPack(dto);
    const filter = dto.filter ?? {};
    if (filter.lastDays !== undefined && filter.from !== undefined) {
      throw new RequestValidationError(['body.filter.lastDays: give lastDays or from, not both']);
    }
    const from = filter.lastDays !== undefined ? new Date(Date.now() - filter.lastDays * DAY_MS) : filter.from ? new Date(filter.from) : undefined;
    const report = await this.backtests.run(
      pack,
      {
        filter: { from, to: filter.to ? new Date(filter.to) : undefined, agentExternalId: filter.agent, campaignExternalId: filter.campaign },
        callIds: filter.callIds,
        limit: filter.limit ?? 500,
      },
      dto.examplesPerRule ?? 3,
    );
    return { pack: { id: pack.id, version: pack.version }, ...report };
  }
}

function draftPack(dto: BacktestDto): RulePack {
  const field = 'body.pack';
  const raw = dto.pack ?? { id: 'draft', version: '0.0.0', language: 'any', rules: [dto.rule] };
  try {
    return validateRulePack(raw);
  } catch (error) {
    if (error instanceof RulePackValidationError) {
      throw new RequestValidationError(error.issues.map((issue) => (dto.pack ? `${field}.${issue}` : ruleIssue(issue))));
    }
    throw error;
  }
}

/** A one-rule pack's issue ("rules.0.match.regex: ...") in the terms of the request ("body.rule.match.regex: ..."). */
function ruleIssue(issue: string): string {
  if (issue.startsWith('rules.0.')) return `body.rule.${issue.slice('rules.0.'.length)}`;
  if (issue.startsWith('rules.0:')) return `body.rule${issue.slice('rules.0'.length)}`;
  return `body.rule: ${issue}`;
}
