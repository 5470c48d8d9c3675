import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type RulePack, RulePackValidationError, validateRulePack } from '#libs/rules';
import { RequestValidationError } from '../common/request-validation.error.js';
import { validateDto } from '../common/validate-dto.js';
import { BacktestDto, RuleDraftDto, TestOnTextDto } from './backtest.dto.js';
import { backtestScope } from './backtest-scope.js';
import { RuleBacktestService, RuleCatalogService, testOnText, type PastedSegment } from '#libs/rule-catalog';
import { Roles } from '../auth/roles.decorator.js';
import { ApiJsonBody } from '../common/openapi.js';

@ApiTags('rules')
@Roles('admin', 'qa_lead', 'compliance')
@Controller('v1/rules')
export class RulesController {
  constructor(
    private readonly backtests: RuleBacktestService,
    private readonly catalog: RuleCatalogService,
  ) {}

  @Post('validate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Check a draft rule or pack before saving: every problem names its field (body.rule.match.phrases.0)',
    description: 'Compiles it as the pipeline would (user regexes on the linear-time engine). 200 with the rule count, or 400 naming each field.',
  })
  @ApiJsonBody(RuleDraftDto)
  async validate(@Body() body: unknown) {
    const dto = await validateDto(RuleDraftDto, body, 'body');
    const pack = draftPack(dto, await this.catalog.trusted());
    return { ok: true, rules: pack.rules.map((r) => ({ id: r.id, version: r.version, required: r.required })) };
  }

  @Post('test')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Test a draft rule or pack on pasted text: the matches with their character spans',
    description: 'text is one agent utterance per line ("customer: ..." or "agent: ..." sets the speaker); nothing is stored.',
  })
  @ApiJsonBody(TestOnTextDto)
  async test(@Body() body: unknown) {
    const dto = await validateDto(TestOnTextDto, body, 'body');
    const trusted = await this.catalog.trusted();
    const pack = draftPack(dto, trusted);
    const segments = pastedSegments(dto.text, dto.speaker ?? 'agent');
    return { segments, matches: testOnText(pack, segments, trusted, dto.language) };
  }

  @Post('backtest')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Run a draft rule or pack over stored calls: hits per rule, example evidence, precision against reviewed findings',
    description: 'Reads transcripts and reviews only; no finding is written.',
  })
  @ApiJsonBody(BacktestDto)
  async backtest(@Body() body: unknown) {
    const dto = await validateDto(BacktestDto, body, 'body');
    const pack = draftPack(dto, await this.catalog.trusted());
    if ((dto.filter?.limit ?? 0) > 5000) throw new RequestValidationError(['body.filter.limit: at most 5000 inline; backtest a pack draft for more (it runs in the background)']);
    const report = await this.backtests.run(pack, backtestScope(dto.filter), dto.examplesPerRule ?? 3, { trusted: await this.catalog.trusted() });
    return { pack: { id: pack.id, version: pack.version }, ...report };
  }
}

function draftPack(dto: { pack?: Record<string, unknown>; rule?: Record<string, unknown> }, trusted: ReadonlySet<string>): RulePack {
  if ((dto.pack === undefined) === (dto.rule === undefined)) throw new RequestValidationError(['body.pack: give exactly one of pack or rule']);
  const field = 'body.pack';
  const raw = dto.pack ?? { id: 'draft', version: '0.0.0', language: 'any', rules: [dto.rule] };
  try {
    return validateRulePack(raw, { trustedPatterns: trusted });
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

/** Pasted text as utterances: one per line, "customer:" or "agent:" in front sets that line's speaker. */
function pastedSegments(text: string, speaker: 'agent' | 'customer'): PastedSegment[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => {
      const m = /^(agent|customer)\s*[:：]\s*(.*)$/i.exec(line);
      return m ? { speaker: (m[1] as string).toLowerCase() as 'agent' | 'customer', text: m[2] as string } : { speaker, text: line };
    });
}
