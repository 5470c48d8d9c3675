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
    const [outcome, complaints] = await Promise.all([
      this.prisma.client.callOutcome.findUnique({ where: { callId } }),
      this.prisma.client.callComplaint.findMany({ where: { callId }, orderBy: { receivedAt: 'asc' } }),
    ]);
    if (!outcome && complaints.length === 0) return null;
    return {
      disposition: outcome?.disposition ?? null,
      intentConfirmed: outcome?.intentConfirmed ?? null,
      sale: outcome?.sale ?? null,
      csat: outcome?.csat ?? null,
      complaints: complaints.map((c) => ({ category: c.category, note: c.note, receivedAt: c.receivedAt })),
    };
  }
}
