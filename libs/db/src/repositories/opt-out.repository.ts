import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service.js';
import { type KeysetPage, NEWEST_FIRST, keysetBefore } from './keyset-page.js';

export type OptOutSourceName = 'import' | 'call_detected' | 'sms_unsubscribe' | 'manual';

export interface OptOutRecord {
  id: string;
  phone: string;
  source: OptOutSourceName;
  sourceCallId: string | null;
  evidence: string | null;
  effectiveAt: Date;
  removedAt: Date | null;
  createdAt: Date;
}

export interface NewOptOut {
  /** E.164 */
  phone: string;
  source: OptOutSourceName;
  effectiveAt: Date;
  sourceCallId?: string;
  evidence?: string;
}

export interface OptOutListFilter {
  /** only entries not removed (default true) */
  activeOnly?: boolean;
  source?: OptOutSourceName;
  phone?: string;
}

export interface StopRequestRecord {
  callId: string;
  callStartedAt: Date;
  evidence?: string;
}

/** The opt-out (do-not-call) registry, and the dial history of a number that the metadata checks read. */
@Injectable()
export class OptOutRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Adds a number unless it is already opted out (an entry in force), so a repeated request adds nothing; a stop
   * request detected in a call is also recorded at most once per call, however often the call is re-checked.
   * `created` says whether a row was written; `record` is this call's entry or the entry in force.
   */
  async add(entry: NewOptOut): Promise<{ record: OptOutRecord; created: boolean }> {
    if (entry.sourceCallId) {
      const existing = await this.prisma.client.optOut.findUnique({
        where: { phone_sourceCallId: { phone: entry.phone, sourceCallId: entry.sourceCallId } },
      });
      if (existing) return { record: existing, created: false };
      const inForce = await this.prisma.client.optOut.findFirst({
        where: { phone: entry.phone, removedAt: null, effectiveAt: { lte: entry.effectiveAt } },
        orderBy: { effectiveAt: 'asc' },
      });
      if (inForce) return { record: inForce, created: false };
      try {
        return { record: await this.prisma.client.optOut.create({ data: toData(entry) }), created: true };
      } catch (error) {
        // A concurrent retry of the same call won the unique (phone, sourceCallId) race.
        const winner = await this.prisma.client.optOut.findUnique({
          where: { phone_sourceCallId: { phone: entry.phone, sourceCallId: entry.sourceCallId } },
        });
        if (winner) return { record: winner, created: false };
        throw error;
      }
    }
    const active = await this.prisma.client.optOut.findFirst({
      where: { phone: entry.phone, removedAt: null },
      orderBy: { effectiveAt: 'asc' },
    });
    if (active) return { record: active, created: false };
    return { record: await this.prisma.client.optOut.create({ data: toData(entry) }), created: true };
  }

  /** Bulk add (CSV import); numbers already opted out are skipped. */
  async addMany(entries: NewOptOut[]): Promise<{ created: number; alreadyOptedOut: number }> {
    const phones = [...new Set(entries.map((e) => e.phone))];
    const active = await this.prisma.client.optOut.findMany({
      where: { phone: { in: phones }, removedAt: null },
      select: { phone: true },
    });
    const seen = new Set(active.map((row) => row.phone));
    const fresh: NewOptOut[] = [];
    for (const entry of entries) {
      if (seen.has(entry.phone)) continue;
      seen.add(entry.phone);
      fresh.push(entry);
    }
    if (fresh.length > 0) await this.prisma.client.optOut.createMany({ data: fresh.map(toData) });
    return { created: fresh.length, alreadyOptedOut: entries.length - fresh.length };
  }

  /** Ends every entry in force for the number at `at`; returns how many were ended. */
  async remove(phone: string, at: Date): Promise<number> {
    const result = await this.prisma.client.optOut.updateMany({ where: { phone, removedAt: null }, data: { removedAt: at } });
    return result.count;
  }

  /** Every entry of the number, removed ones included, oldest first. */
  async findByPhone(phone: string): Promise<OptOutRecord[]> {
    return this.prisma.client.optOut.findMany({ where: { phone }, orderBy: [{ effectiveAt: 'asc' }, { id: 'asc' }] });
  }

  /** Newest first, keyset-paginated by (createdAt, id). */
  async list(filter: OptOutListFilter, page: KeysetPage): Promise<OptOutRecord[]> {
    return this.prisma.client.optOut.findMany({
      where: {
        ...(filter.activeOnly === false ? {} : { removedAt: null }),
        ...(filter.source ? { source: filter.source } : {}),
        ...(filter.phone ? { phone: filter.phone } : {}),
        ...keysetBefore(page.cursor),
      },
      orderBy: NEWEST_FIRST,
      take: page.limit,
    });
  }

  /** Outbound calls to the number that started in [from, to). */
  async outboundCallsBetween(phone: string, from: Date, to: Date): Promise<{ id: string; startedAt: Date }[]> {
    return this.prisma.client.call.findMany({
      where: { customerPhone: phone, direction: 'outbound', startedAt: { gte: from, lt: to } },
      select: { id: true, startedAt: true },
      orderBy: { startedAt: 'asc' },
    });
  }

  /** Customer stop requests (rule findings of the family) in calls to the number that started before `before`. */
  async stopRequestsBefore(phone: string, before: Date, family = 'opt_out_request'): Promise<StopRequestRecord[]> {
    // one query with the join (through the ORM, the calls' start times were a second query, even for no findings)
    const rows = await this.prisma.client.$queryRaw<{ callId: string; startedAt: Date; evidenceText: string | null }[]>`
      SELECT f."callId", c."startedAt", f."evidenceText" FROM "Finding" f JOIN "Call" c ON c.id = f."callId"
      WHERE f.family = ${family} AND f.source = 'rule' AND c."customerPhone" = ${phone} AND c."startedAt" < ${before}::timestamp
      ORDER BY c."startedAt" LIMIT 50`;
    return rows.map((row) => ({
      callId: row.callId,
      callStartedAt: row.startedAt,
      ...(row.evidenceText ? { evidence: row.evidenceText } : {}),
    }));
  }
}

function toData(entry: NewOptOut) {
  return {
    phone: entry.phone,
    source: entry.source,
    effectiveAt: entry.effectiveAt,
    sourceCallId: entry.sourceCallId ?? null,
    evidence: entry.evidence ?? null,
  };
}
