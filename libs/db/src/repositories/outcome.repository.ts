import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service.js';
import { isUuid } from '#libs/domain';

export type OutcomeDisposition = 'connected' | 'no_answer' | 'busy' | 'abandoned';
export type ComplaintCategoryName = 'unsolicited_marketing' | 'content_violation' | 'other';

export interface OutcomePatch {
  disposition?: OutcomeDisposition;
  intentConfirmed?: boolean;
  sale?: boolean;
  /** 1..5 */
  csat?: number;
  complaint?: { category: ComplaintCategoryName; note?: string; receivedAt?: Date };
}

export interface CallOutcomeRecord {
  disposition: OutcomeDisposition | 'voicemail' | null;
  intentConfirmed: boolean | null;
  sale: boolean | null;
  csat: number | null;
  complaints: { category: ComplaintCategoryName; note: string | null; receivedAt: Date }[];
}


/** Outcomes that come from outside the recording: disposition, intent, sale, CSAT, complaints. */
@Injectable()
export class OutcomeRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Maps each reference (a call id or the dialer's external id) to the call id; unknown references are absent. */
  async resolveCalls(refs: readonly string[]): Promise<Map<string, string>> {
    const unique = [...new Set(refs)];
    const ids = unique.filter((r) => isUuid(r));
    const rows = await this.prisma.client.call.findMany({
      where: { OR: [{ id: { in: ids } }, { externalId: { in: unique } }] },
      select: { id: true, externalId: true },
    });
    const found = new Map<string, string>();
    for (const row of rows) {
      found.set(row.id, row.id);
      if (row.externalId) found.set(row.externalId, row.id);
    }
    return new Map(unique.filter((r) => found.has(r)).map((r) => [r, found.get(r) as string]));
  }

  /** Applies the fields present; a complaint is added once per call and category. */
  async apply(callId: string, patch: OutcomePatch): Promise<void> {
    const data = {
      ...(patch.disposition !== undefined ? { disposition: patch.disposition } : {}),
      ...(patch.intentConfirmed !== undefined ? { intentConfirmed: patch.intentConfirmed } : {}),
      ...(patch.sale !== undefined ? { sale: patch.sale } : {}),
      ...(patch.csat !== undefined ? { csat: patch.csat } : {}),
    };
    await this.prisma.client.$transaction(async (tx) => {
      if (Object.keys(data).length > 0) await tx.callOutcome.upsert({ where: { callId }, create: { callId, ...data }, update: data });
      if (patch.complaint) {
        await tx.callComplaint.createMany({
          data: [{ callId, category: patch.complaint.category, note: patch.complaint.note ?? null, receivedAt: patch.complaint.receivedAt ?? new Date() }],
          skipDuplicates: true,
        });
      }
    });
  }

  async find(callId: string): Promise<CallOutcomeRecord | null> {
    // one query, asked by every call's rollup (through the ORM, the complaints were a second)
    const [row] = await this.prisma.client.$queryRaw<
      { found: boolean; disposition: string | null; intentConfirmed: boolean | null; sale: boolean | null; csat: number | null; complaints: { category: string; note: string | null; receivedAt: string }[] }[]
    >`
      SELECT o."callId" IS NOT NULL AS found, o.disposition::text AS disposition, o."intentConfirmed", o.sale, o.csat,
        COALESCE((SELECT json_agg(json_build_object('category', c.category::text, 'note', c.note, 'receivedAt', to_char(c."receivedAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) ORDER BY c."receivedAt")
          FROM "CallComplaint" c WHERE c."callId" = ${callId}::uuid), '[]'::json) AS complaints
      FROM (SELECT 1) AS one LEFT JOIN "CallOutcome" o ON o."callId" = ${callId}::uuid`;
    if (!row || (!row.found && row.complaints.length === 0)) return null;
    return {
      disposition: (row.disposition as CallOutcomeRecord['disposition']) ?? null,
      intentConfirmed: row.intentConfirmed,
      sale: row.sale,
      csat: row.csat === null ? null : Number(row.csat),
      complaints: row.complaints.map((c) => ({ category: c.category as ComplaintCategoryName, note: c.note, receivedAt: new Date(c.receivedAt) })),
    };
  }

}
