import { Injectable } from '@nestjs/common';
import { batchedReads } from '../group-commit.js';
import { PrismaService } from '../prisma.service.js';
import { UTC_ISO_TEXT } from './utc-text.sql.js';
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

export interface PhoneHistory {
  optOuts: OptOutRecord[];
  nearbyCalls: { id: string; startedAt: Date }[];
  earlierStopRequests: StopRequestRecord[];
}

type HistoryRow = {
  key: unknown;
  optOuts: (Omit<OptOutRecord, 'effectiveAt' | 'removedAt' | 'createdAt'> & { effectiveAt: string; removedAt: string | null; createdAt: string })[];
  nearbyCalls: { id: string; startedAt: string }[];
  stopRequests: { callId: string; startedAt: string; evidenceText: string | null }[];
};

/** The opt-out (do-not-call) registry, and the dial history of a number that the metadata checks read. */
@Injectable()
export class OptOutRepository {
  // keyed [phone, at, windowMs, family]; times are stored in UTC, read back as ISO text
  private readonly histories = batchedReads<string, PhoneHistory>(async (keys) => {
    const rows = await this.prisma.sql.query<HistoryRow[]>`
      SELECT k.value AS key,
        (SELECT COALESCE(json_agg(json_build_object('id', o.id, 'phone', o.phone, 'source', o.source, 'sourceCallId', o."sourceCallId", 'evidence', o.evidence,
            'effectiveAt', to_char(o."effectiveAt", ${UTC_ISO_TEXT}), 'removedAt', to_char(o."removedAt", ${UTC_ISO_TEXT}), 'createdAt', to_char(o."createdAt", ${UTC_ISO_TEXT}))
            ORDER BY o."effectiveAt", o.id), '[]'::json)
          FROM "OptOut" o WHERE o.phone = k.value->>0) AS "optOuts",
        (SELECT COALESCE(json_agg(json_build_object('id', c.id, 'startedAt', to_char(c."startedAt", ${UTC_ISO_TEXT})) ORDER BY c."startedAt"), '[]'::json)
          FROM "Call" c WHERE c."customerPhone" = k.value->>0 AND c.direction = 'outbound'
            AND c."startedAt" >= k.moment - k.span AND c."startedAt" < k.moment + k.span) AS "nearbyCalls",
        (SELECT COALESCE(json_agg(s), '[]'::json) FROM (
          SELECT f."callId", to_char(c."startedAt", ${UTC_ISO_TEXT}) AS "startedAt", f."evidenceText" FROM "Finding" f JOIN "Call" c ON c.id = f."callId"
          WHERE f.family = k.value->>3 AND f.source = 'rule' AND c."customerPhone" = k.value->>0 AND c."startedAt" < k.moment
          ORDER BY c."startedAt" LIMIT 50) s) AS "stopRequests"
      FROM (SELECT value, (value->>1)::timestamptz AT TIME ZONE 'UTC' AS moment, make_interval(secs => (value->>2)::float8 / 1000) AS span
        FROM jsonb_array_elements(${`[${keys.join(',')}]`}::jsonb)) k`;
    return new Map(
      rows.map((row) => [
        // the key as submitted: the jsonb array comes back parsed
        JSON.stringify(row.key),
        {
          optOuts: row.optOuts.map((o) => ({ ...o, effectiveAt: new Date(o.effectiveAt), removedAt: o.removedAt ? new Date(o.removedAt) : null, createdAt: new Date(o.createdAt) })),
          nearbyCalls: row.nearbyCalls.map((c) => ({ id: c.id, startedAt: new Date(c.startedAt) })),
          earlierStopRequests: row.stopRequests.map((r) => ({ callId: r.callId, callStartedAt: new Date(r.startedAt), ...(r.evidenceText ? { evidence: r.evidenceText } : {}) })),
        },
      ]),
    );
  });

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

  /**
   * What a call's metadata checks read about its number, in one query: its opt-out entries, the outbound calls to it
   * that started within `windowMs` of `at`, and the customer stop requests (rule findings of `family`) in calls to it
   * before `at`. Concurrent jobs' reads go in one query (see batchedReads).
   */
  async phoneHistory(phone: string, at: Date, windowMs: number, family: string): Promise<PhoneHistory> {
    return (await this.histories.submit(JSON.stringify([phone, at.toISOString(), windowMs, family]))) ?? { optOuts: [], nearbyCalls: [], earlierStopRequests: [] };
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
