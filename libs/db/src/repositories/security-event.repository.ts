import { Injectable } from '@nestjs/common';
import type { JsonValue } from '#libs/audit';
import type { InputJsonValue } from '../generated/prisma/internal/prismaNamespace.js';
import { PrismaService } from '../prisma.service.js';

export interface NewSecurityEvent {
  actor: string;
  action: string;
  entityType: string;
  entityId?: string | null;
  details?: Record<string, JsonValue>;
}

export interface SecurityEventRecord {
  /** the BigInt id as a decimal string */
  id: string;
  at: Date;
  actor: string;
  action: string;
  entityType: string;
  entityId: string | null;
  details: JsonValue | null;
}

/**
 * Requests refused before anyone was authenticated (denied, rate limited): one plain insert each, no chain and no
 * lock, so a flood of them never queues behind (or in front of) the audit chain's appends.
 */
@Injectable()
export class SecurityEventRepository {
  constructor(private readonly prisma: PrismaService) {}

  async record(event: NewSecurityEvent): Promise<void> {
    await this.prisma.client.securityEvent.create({
      data: { ...event, entityId: event.entityId ?? null, details: (event.details ?? undefined) as InputJsonValue | undefined },
    });
  }

  /** Newest first; `before` is the id of the last event of the previous page. */
  async list(filter: { action?: string; from?: Date; to?: Date }, limit: number, before?: bigint): Promise<SecurityEventRecord[]> {
    const rows = await this.prisma.client.securityEvent.findMany({
      where: {
        ...(filter.action ? { action: filter.action.endsWith('.') ? { startsWith: filter.action } : filter.action } : {}),
        ...(filter.from || filter.to ? { at: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } } : {}),
        ...(before !== undefined ? { id: { lt: before } } : {}),
      },
      orderBy: { id: 'desc' },
      take: limit,
    });
    return rows.map((row) => ({ ...row, id: row.id.toString(), details: (row.details ?? null) as JsonValue | null }));
  }

  /** Deletes events older than the cutoff (they are not evidence of anything audited); returns how many. */
  async deleteBefore(cutoff: Date): Promise<number> {
    const { count } = await this.prisma.client.securityEvent.deleteMany({ where: { at: { lt: cutoff } } });
    return count;
  }
}
