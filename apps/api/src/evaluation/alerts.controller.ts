import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AlertRepository, AuditRepository } from '#libs/db';
import { Actor } from '../audit/actor.decorator.js';
import { DEFAULT_THRESHOLDS, validateThresholds } from '#libs/evaluation-model';
import { RequestValidationError } from '../common/request-validation.error.js';
import { parseNumber } from './evaluation-query.params.js';
import { Roles } from '../auth/roles.decorator.js';
import { ApiJsonBodySchema, REQUEST_SCHEMAS } from '../common/openapi.js';

@ApiTags('alerts')
@Roles('admin', 'qa_lead', 'compliance')
@Controller('v1')
export class AlertsController {
  constructor(
    private readonly alerts: AlertRepository,
    private readonly audit: AuditRepository,
  ) {}

  @Get('alerts')
  @ApiOperation({ summary: 'Threshold alerts, newest first; one per crossing' })
  async list(@Query() q: Record<string, unknown>) {
    const problems: string[] = [];
    if (q.status !== undefined && q.status !== 'open' && q.status !== 'cleared') problems.push('query.status: must be open or cleared');
    if (q.entityKind !== undefined && !['agent', 'group', 'team', 'campaign'].includes(String(q.entityKind))) {
      problems.push('query.entityKind: must be agent, group, team or campaign');
    }
    if (problems.length) throw new RequestValidationError(problems);
    const limit = parseNumber(q.limit, 'query.limit', 100, (n) => Number.isInteger(n) && n >= 1 && n <= 1000, 'must be a whole number from 1 to 1000');
    const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
    const items = await this.alerts.list(
      {
        status: q.status as 'open' | 'cleared' | undefined,
        entityKind: text(q.entityKind),
        entityId: text(q.entityId),
        thresholdId: text(q.thresholdId),
      },
      limit,
    );
    return { items };
  }

  @Get('thresholds')
  @ApiOperation({ summary: 'The thresholds in force (the defaults until some are configured)' })
  async thresholds() {
    const stored = await this.alerts.thresholdRules();
    const parsed = stored === null ? null : validateThresholds(stored);
    return { configured: parsed?.ok === true, thresholds: parsed?.ok ? parsed.thresholds : DEFAULT_THRESHOLDS };
  }

  @Roles('admin', 'qa_lead')
  @Put('thresholds')
  @ApiOperation({ summary: 'Replace the thresholds; judged as results arrive from then on' })
  @ApiJsonBodySchema(REQUEST_SCHEMAS.thresholds())
  async replace(@Body() body: unknown, @Actor() actor: string) {
    const input = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>).thresholds : undefined;
    if (!Array.isArray(input)) throw new RequestValidationError(['thresholds: must be an array of threshold rules']);
    const parsed = validateThresholds(input);
    if (!parsed.ok) throw new RequestValidationError(parsed.issues.map((i) => `thresholds.${i.path}: ${i.message}`));
    await this.alerts.saveThresholdRules(JSON.parse(JSON.stringify(parsed.thresholds)));
    await this.audit.append({ actor, action: 'thresholds.replaced', entityType: 'thresholds', entityId: null, details: { thresholds: JSON.parse(JSON.stringify(parsed.thresholds)) } });
    return { configured: true, thresholds: parsed.thresholds };
  }
}
