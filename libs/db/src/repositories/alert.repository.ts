import { Injectable } from '@nestjs/common';
import type { EntityKind, OpenAlert, ThresholdAlert } from '#libs/evaluation-model';
import type { InputJsonValue } from '../generated/prisma/internal/prismaNamespace.js';
import { batchedReads } from '../group-commit.js';
import { PrismaService } from '../prisma.service.js';

export interface StoredAlert {
  id: string;
  thresholdId: string;
  severity: string;
  entityKind: string;
  entityId: string;
  period: string | null;
  metric: string;
  value: number;
  sample: number | null;
  op: string;
  threshold: number;
  message: string;
  status: 'open' | 'cleared';
  raisedAt: Date;
  clearedAt: Date | null;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
}

export interface AlertFilter {
  status?: 'open' | 'cleared';
  entityKind?: string;
  entityId?: string;
  thresholdId?: string;
  acknowledged?: boolean;
}

const SETTINGS_ID = 'default';

function present(row: StoredAlert & { openKey: string | null }): StoredAlert {
  const { openKey: _key, ...alert } = row;
  return alert;
}

/** Threshold alerts (one open alert per crossing, enforced by a unique key) and the threshold configuration. */
@Injectable()
export class AlertRepository {
  private readonly settings = batchedReads<string, unknown>(async () => {
    const row = await this.prisma.client.thresholdSettings.findUnique({ where: { id: SETTINGS_ID } });
    return new Map(row ? [[SETTINGS_ID, row.rules as unknown]] : []);
  });

  // every call's rollup asks for its agent day's: one query for concurrent jobs (see batchedReads), keyed [kind, id, period]
  private readonly open = batchedReads<string, OpenAlert[]>(async (keys) => {
    const rows = await this.prisma.sql.query<{ key: unknown; thresholdId: string; entityKind: EntityKind; entityId: string; period: string | null; value: number }[]>`
      SELECT k.key, a."thresholdId", a."entityKind", a."entityId", a.period, a.value
      FROM (SELECT value AS key, value->>0 AS kind, value->>1 AS id, value->>2 AS period FROM jsonb_array_elements(${`[${keys.join(',')}]`}::jsonb)) k
      JOIN "Alert" a ON a."entityKind" = k.kind AND a."entityId" = k.id AND a.period IS NOT DISTINCT FROM k.period
      WHERE a.status = 'open'`;
    const byKey = new Map<string, OpenAlert[]>();
    for (const row of rows) {
      // the key as submitted: the jsonb array comes back parsed
      const key = JSON.stringify(row.key);
      const alert = { thresholdId: row.thresholdId, entity: { kind: row.entityKind, id: row.entityId }, period: row.period, raisedValue: Number(row.value) };
      byKey.set(key, [...(byKey.get(key) ?? []), alert]);
    }
    return byKey;
  });

  constructor(private readonly prisma: PrismaService) {}

  /** Open alerts of one entity in one period, as the threshold evaluator's state. */
  async openFor(entityKind: EntityKind, entityId: string, period: string | null): Promise<OpenAlert[]> {
    return (await this.open.submit(JSON.stringify([entityKind, entityId, period]))) ?? [];
  }

  /** Stores the alert unless one with its key is open already; returns it only when this call created it. */
  async raise(alert: ThresholdAlert): Promise<StoredAlert | null> {
    const created = await this.prisma.client.alert.createMany({
      data: [
        {
          thresholdId: alert.thresholdId,
          severity: alert.severity,
          entityKind: alert.entity.kind,
          entityId: alert.entity.id,
          period: alert.period,
          metric: alert.metric,
          value: alert.value,
          sample: alert.sample === null ? null : Math.round(alert.sample),
          op: alert.op,
          threshold: alert.threshold,
          message: alert.message,
          openKey: alert.key,
        },
      ],
      skipDuplicates: true,
    });
    if (created.count === 0) return null;
    const row = await this.prisma.client.alert.findUnique({ where: { openKey: alert.key } });
    return row ? present(row) : null;
  }

  async clear(key: string): Promise<void> {
    await this.prisma.client.alert.updateMany({ where: { openKey: key }, data: { status: 'cleared', openKey: null, clearedAt: new Date() } });
  }

  /** Newest first. */
  async list(filter: AlertFilter, limit: number): Promise<StoredAlert[]> {
    const { acknowledged, ...rest } = filter;
    const where = acknowledged === undefined ? rest : { ...rest, acknowledgedAt: acknowledged ? { not: null } : null };
    const rows = await this.prisma.client.alert.findMany({ where, orderBy: [{ raisedAt: 'desc' }, { id: 'asc' }], take: limit });
    return rows.map(present);
  }

  async findById(id: string): Promise<StoredAlert | null> {
    const row = await this.prisma.client.alert.findUnique({ where: { id } });
    return row ? present(row) : null;
  }

  /** Marks the alert seen; the first acknowledgement stands. Null when there is no such alert. */
  async acknowledge(id: string, actor: string): Promise<StoredAlert | null> {
    await this.prisma.client.alert.updateMany({ where: { id, acknowledgedAt: null }, data: { acknowledgedAt: new Date(), acknowledgedBy: actor } });
    return this.findById(id);
  }

  /**
   * The stored threshold rules (unvalidated JSON), or null when none were configured. Every call's rollup asks:
   * concurrent jobs share one read (see batchedReads).
   */
  async thresholdRules(): Promise<unknown> {
    return this.settings.submit(SETTINGS_ID);
  }

  async saveThresholdRules(rules: InputJsonValue): Promise<void> {
    await this.prisma.client.thresholdSettings.upsert({ where: { id: SETTINGS_ID }, create: { id: SETTINGS_ID, rules }, update: { rules } });
  }
}
