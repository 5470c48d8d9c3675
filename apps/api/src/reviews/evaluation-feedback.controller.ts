import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { type EvaluationFeedbackKind, ReviewRepository } from '#libs/db';
import { NotFoundError } from '../common/not-found.error.js';
import { RequestValidationError } from '../common/request-validation.error.js';
import { validateDto } from '../common/validate-dto.js';
import { Actor } from '../audit/actor.decorator.js';
import { CallAccess } from '../auth/call-access.service.js';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { EvaluationFeedbackDto } from './evaluation-feedback.dto.js';
import { Roles } from '../auth/roles.decorator.js';
import { ApiJsonBody } from '../common/openapi.js';

const uuid = new ParseUUIDPipe({ errorHttpStatusCode: 400 });

const PROBLEMS = {
  'dispute-open': 'the evaluation has an open dispute; a QA lead must rule on it first',
  'no-open-dispute': 'the evaluation has no open dispute to rule on',
} as const;

/** An agent acknowledges or disputes a call's evaluation; a QA lead rules on a dispute. Every step is kept and audited. */
@ApiTags('review')
@Controller('v1/calls/:id/evaluation')
export class EvaluationFeedbackController {
  constructor(
    private readonly reviews: ReviewRepository,
    private readonly callAccess: CallAccess,
  ) {}

  @Roles('agent', 'admin')
  @Post('acknowledge')
  @HttpCode(200)
  @ApiOperation({ summary: 'The agent acknowledges the evaluation (optional reason)' })
  @ApiJsonBody(EvaluationFeedbackDto)
  async acknowledge(@Param('id', uuid) id: string, @Body() body: unknown, @Actor() actor: string, @CurrentPrincipal() principal: Principal) {
    await this.callAccess.assertMaySee(principal, id);
    const dto = await validateDto(EvaluationFeedbackDto, body ?? {}, '');
    if (dto.decision) throw new RequestValidationError(['decision: only a ruling takes a decision']);
    return this.record(id, 'acknowledged', actor, dto.reason?.trim() || null, null);
  }

  @Roles('agent', 'admin')
  @Post('dispute')
  @HttpCode(200)
  @ApiOperation({ summary: 'The agent disputes the evaluation (reason required); it stays open until a ruling' })
  @ApiJsonBody(EvaluationFeedbackDto)
  async dispute(@Param('id', uuid) id: string, @Body() body: unknown, @Actor() actor: string, @CurrentPrincipal() principal: Principal) {
    await this.callAccess.assertMaySee(principal, id);
    const dto = await validateDto(EvaluationFeedbackDto, body ?? {}, '');
    if (dto.decision) throw new RequestValidationError(['decision: only a ruling takes a decision']);
    const reason = dto.reason?.trim();
    if (!reason) throw new RequestValidationError(['reason: is required to dispute an evaluation']);
    return this.record(id, 'disputed', actor, reason, null);
  }

  @Roles('qa_lead', 'admin')
  @Post('ruling')
  @HttpCode(200)
  @ApiOperation({
    summary: 'A QA lead rules on the open dispute: upheld (the evaluation stands) or overturned (reason required)',
    description: 'An overturned ruling is recorded; correcting the evaluation is done by reviewing its findings.',
  })
  @ApiJsonBody(EvaluationFeedbackDto)
  async ruling(@Param('id', uuid) id: string, @Body() body: unknown, @Actor() actor: string) {
    const dto = await validateDto(EvaluationFeedbackDto, body ?? {}, '');
    const problems: string[] = [];
    if (!dto.decision) problems.push('decision: is required (upheld or overturned)');
    const reason = dto.reason?.trim();
    if (!reason) problems.push('reason: is required for a ruling');
    if (problems.length > 0 || !dto.decision || !reason) throw new RequestValidationError(problems);
    return this.record(id, 'ruling', actor, reason, dto.decision);
  }

  @Roles('admin', 'qa_lead', 'compliance', 'agent')
  @Get('history')
  @ApiOperation({ summary: 'Acknowledgements, disputes and rulings of the evaluation, oldest first, with its current state' })
  async history(@Param('id', uuid) id: string, @CurrentPrincipal() principal: Principal) {
    await this.callAccess.assertExistsAndMaySee(principal, id);
    const items = await this.reviews.evaluationHistory(id);
    return { callId: id, state: stateOf(items), items };
  }

  private async record(id: string, kind: EvaluationFeedbackKind, actor: string, reason: string | null, ruling: 'upheld' | 'overturned' | null) {
    const result = await this.reviews.evaluationFeedback(id, { kind, actor, reason, ruling });
    if (!result.ok) {
      if (result.problem === 'no-evaluation') throw new NotFoundError('evaluation of call', id);
      throw new RequestValidationError([`evaluation: ${PROBLEMS[result.problem]}`], 422);
    }
    const items = await this.reviews.evaluationHistory(id);
    return { callId: id, state: stateOf(items), entry: result.entry };
  }
}

function stateOf(items: { kind: EvaluationFeedbackKind; ruling: 'upheld' | 'overturned' | null }[]): string {
  const last = items.at(-1);
  if (!last) return 'none';
  if (last.kind === 'ruling') return last.ruling ?? 'ruled';
  return last.kind;
}
