import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AlertRepository, AuditRepository, LevelRollupRepository, RollupRepository, WebhookDeliveryRepository, type StoredAlert } from '#libs/db';
import { Actor } from '../audit/actor.decorator.js';
import { DEFAULT_THRESHOLDS, thresholdValuesFrom, validateThresholds } from '#libs/evaluation-model';
import { NotFoundError } from '../common/not-found.error.js';
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
    private readonly levels: LevelRollupRepository,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly rollups: RollupRepository,
  ) {}

  /**
   * The value each alert's figure has now, for its subject and day (null when it cannot be read back, e.g. the
   * activity minutes). At most 100 distinct subject-days are read per answer.
   */
  private async currentValues(items: StoredAlert[]): Promise<Map<string, number | null>> {
    const subjects = [...new Set(items.filter((a) => a.period && /^\d{4}-\d{2}-\d{2}$/.test(a.period)).map((a) => `${a.entityKind}|${a.entityId}|${a.period}`))].slice(0, 100);
    const values = new Map<string, Record<string, { value: number | null }>>();
    await Promise.all(
      subjects.map(async (subject) => {
        const [kind, id, period] = subject.split('|') as [string, string, string];
        const from = new Date(`${period}T00:00:00Z`);
        const to = new Date(from.getTime() + 86_400_000);
        const days =
          kind === 'agent' ? await this.rollups.agentDays(id, from, to) : kind === 'group' || kind === 'team' || kind === 'campaign' ? await this.levels.levelDays(kind, id, from, to) : [];
        if (days[0]) values.set(subject, thresholdValuesFrom(days[0].counters));
      }),
    );
    return new Map(items.map((a) => [a.id, values.get(`${a.entityKind}|${a.entityId}|${a.period}`)?.[a.metric]?.value ?? null]));
  }

  /** Each alert with its subject's name and its webhook delivery (status, attempts, last error), so a failed one shows. */
  private async present(items: StoredAlert[]) {
    const [names, deliveries, current] = await Promise.all([
      this.levels.names(items.map((a) => ({ kind: a.entityKind, id: a.entityId }))),
      this.deliveries.findByEventIds(items.map((a) => `alert.${a.id}`)),
      this.currentValues(items),
    ]);
    const byEvent = new Map(deliveries.map((d) => [d.eventId, d]));
    return items.map((a) => {
      const d = byEvent.get(`alert.${a.id}`);
      return {
        ...a,
        currentValue: current.get(a.id) ?? null,
        entity: { kind: a.entityKind, id: a.entityId, ...names.get(`${a.entityKind}:${a.entityId}`) },
        delivery: d ? { status: d.status, attempts: d.attempts, lastStatusCode: d.lastStatusCode, lastError: d.lastError, deliveredAt: d.deliveredAt } : null,
      };
    });
  }

  @Post('alerts/:id/acknowledge')
  @HttpCode(200)
  @ApiOperation({ summary: 'Acknowledge an alert (it stays open until its value clears); the first acknowledgement stands' })
  async acknowledge(@Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 400 })) id: string, @Actor() actor: string) {
    const alert = await this.alerts.acknowledge(id, actor);
    if (!alert) throw new NotFoundError('alert', id);
    await this.audit.append({ actor, action: 'alert.acknowledged', entityType: 'alert', entityId: id, details: { thresholdId: alert.thresholdId } });
    const [item] = await this.present([alert]);
    return item;
  }

  @Get('alerts')
  @ApiOperation({ summary: 'Threshold alerts, newest first; one per crossing' })
  async list(@Query() q: Record<string, unknown>) {
    const problems: string[] = [];
    if (q.status !== undefined && q.status !== 'open' && q.status !== 'cleared') problems.push('query.status: must be open or cleared');
    if (q.entityKind !== undefined && !['agent', 'group', 'team', 'campaign'].includes(String(q.entityKind))) {
      problems.push('query.entityKind: must be agent, group, team or campaign');
    }
    if (q.acknowledged !== undefined && q.acknowledged !== 'true' && q.acknowledged !== 'false') problems.push('query.acknowledged: must be true or false');
    if (problems.length) throw new RequestValidationError(problems);
    const limit = parseNumber(q.limit, 'query.limit', 100, (n) => Number.isInteger(n) && n >= 1 && n <= 1000, 'must be a whole number from 1 to 1000');
    const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
    const items = await this.alerts.list(
      {
        status: q.status as 'open' | 'cleared' | undefined,
        entityKind: text(q.entityKind),
        entityId: text(q.entityId),
        thresholdId: text(q.thresholdId),
        acknowledged: q.acknowledged === undefined ? undefined : q.acknowledged === 'true',
      },
      limit,
    );
    return { items: await this.present(items) };
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
