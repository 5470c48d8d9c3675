import { Injectable } from '@nestjs/common';
import { batchedReads, lowerCase } from '../group-commit.js';
import { PrismaService } from '../prisma.service.js';
import { UTC_ISO_TEXT } from './utc-text.sql.js';
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
  private readonly outcomes = batchedReads<string, CallOutcomeRecord>(async (callIds) => {
    const rows = await this.prisma.sql.query<
      { callId: string; found: boolean; disposition: string | null; intentConfirmed: boolean | null; sale: boolean | null; csat: number | null; complaints: { category: string; note: string | null; receivedAt: string }[] }[]
    >`
      SELECT asked."callId", o."callId" IS NOT NULL AS found, o.disposition::text AS disposition, o."intentConfirmed", o.sale, o.csat,
        COALESCE((SELECT json_agg(json_build_object('category', c.category::text, 'note', c.note, 'receivedAt', to_char(c."receivedAt", ${UTC_ISO_TEXT})) ORDER BY c."receivedAt")
          FROM "CallComplaint" c WHERE c."callId" = asked."callId"::uuid), '[]'::json) AS complaints
      FROM (SELECT jsonb_array_elements_text(${JSON.stringify(callIds)}::jsonb) AS "callId") AS asked LEFT JOIN "CallOutcome" o ON o."callId" = asked."callId"::uuid`;
    const found = rows.filter((row) => row.found || row.complaints.length > 0);
    return new Map(
      found.map((row) => [
        row.callId,
        {
          disposition: (row.disposition as CallOutcomeRecord['disposition']) ?? null,
          intentConfirmed: row.intentConfirmed,
          sale: row.sale,
          csat: row.csat === null ? null : Number(row.csat),
          complaints: row.complaints.map((c) => ({ category: c.category as ComplaintCategoryName, note: c.note, receivedAt: new Date(c.receivedAt) })),
        },
      ]),
    );
  }, lowerCase);

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

  /** Every call's rollup asks: concurrent jobs' reads go in one query (see batchedReads), complaints included. */
  find(callId: string): Promise<CallOutcomeRecord | null> {
    return this.outcomes.submit(callId);
  }
}
