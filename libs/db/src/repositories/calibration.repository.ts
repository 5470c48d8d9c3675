import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service.js';
import { AuditRepository } from './audit.repository.js';

export type MissedFindingSource = 'rule' | 'metadata' | 'llm';

export interface NewMissedFinding {
  callId: string;
  source: MissedFindingSource;
  ruleId: string;
  quote: string;
  segmentIndex: number | null;
  startSeconds: number | null;
  endSeconds: number | null;
  note: string | null;
}

export interface MissedFindingRecord extends NewMissedFinding {
  id: string;
  createdBy: string;
  createdAt: Date;
}

export interface CalibrationScope {
  /** call start, inclusive */
  from: Date;
  /** call start, exclusive */
  to: Date;
  campaignId?: string;
}

/** What the calibration report reads: the reviewed calls of a period, their findings with decisions, and the misses. */
export interface CalibrationRows {
  reviewedCallIds: string[];
  findings: { callId: string; ruleId: string; source: string; reviewState: 'pending' | 'confirmed' | 'dismissed' }[];
  missed: { callId: string; ruleId: string; source: string }[];
}

/** Findings reviewers say the machine missed, and the reviewed-call data calibration is computed from. */
@Injectable()
export class CalibrationRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditRepository,
  ) {}

  /** Records a missed finding on the call and audits it; null when there is no such call. */
  async addMissed(input: NewMissedFinding, actor: string): Promise<MissedFindingRecord | null> {
    return this.prisma.client.$transaction(async (tx) => {
      const call = await tx.call.findUnique({ where: { id: input.callId }, select: { id: true } });
      if (!call) return null;
      const row = await tx.missedFinding.create({ data: { ...input, createdBy: actor } });
      await this.audit.appendWithin(tx, {
        actor,
        action: 'finding.missed_added',
        entityType: 'call',
        entityId: input.callId,
        details: { callId: input.callId, missedFindingId: row.id, source: input.source, ruleId: input.ruleId, quote: input.quote, ...(input.note !== null ? { note: input.note } : {}) },
      });
      return row;
    });
  }

  async listMissed(callId: string): Promise<MissedFindingRecord[]> {
    return this.prisma.client.missedFinding.findMany({ where: { callId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  }

  async rows(scope: CalibrationScope): Promise<CalibrationRows> {
    const callWhere = { startedAt: { gte: scope.from, lt: scope.to }, ...(scope.campaignId ? { campaignId: scope.campaignId } : {}) };
    const reviewed = await this.prisma.client.call.findMany({
      where: { ...callWhere, OR: [{ findings: { some: { reviewState: { in: ['confirmed', 'dismissed'] } } } }, { missedFindings: { some: {} } }] },
      select: { id: true },
    });
    const ids = reviewed.map((c) => c.id);
    if (ids.length === 0) return { reviewedCallIds: [], findings: [], missed: [] };
    const [findings, missed] = await Promise.all([
      this.prisma.client.finding.findMany({ where: { callId: { in: ids } }, select: { callId: true, ruleId: true, source: true, reviewState: true } }),
      this.prisma.client.missedFinding.findMany({ where: { callId: { in: ids } }, select: { callId: true, ruleId: true, source: true } }),
    ]);
    return { reviewedCallIds: ids, findings, missed };
  }
}
