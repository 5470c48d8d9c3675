import { Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../prisma.service.js';
import { AuditRepository } from './audit.repository.js';

export type ReviewDecision = 'confirmed' | 'dismissed';
export type FindingReviewState = 'pending' | 'confirmed' | 'dismissed';

export interface ReviewQueueFilter {
  reviewState?: FindingReviewState;
  severity?: 'critical' | 'major' | 'minor';
  ruleId?: string;
  family?: string;
  source?: 'rule' | 'metadata' | 'llm';
  agentExternalId?: string;
  groupName?: string;
  teamName?: string;
  campaignExternalId?: string;
  assignedTo?: string;
  /** call start, inclusive */
  from?: Date;
  /** call start, exclusive */
  to?: Date;
}

export interface ReviewQueueItem {
  id: string;
  callId: string;
  source: string;
  ruleId: string;
  ruleVersion: string;
  family: string | null;
  severity: string;
  dimension: string;
  description: string;
  evidenceText: string | null;
  startSeconds: number | null;
  endSeconds: number | null;
  hasClip: boolean;
  reviewState: FindingReviewState;
  reviewedBy: string | null;
  reviewedAt: Date | null;
  reviewReason: string | null;
  assignedTo: string | null;
  assignedAt: Date | null;
  createdAt: Date;
  call: { externalId: string | null; startedAt: Date; agent: string | null; group: string | null; team: string | null; campaign: string | null };
}

export interface ReviewQueueCounts {
  total: number;
  bySeverity: Record<'critical' | 'major' | 'minor', number>;
  byState: Record<FindingReviewState, number>;
  /** findings with a rule family, by family (the family filter ignored), most first */
  byFamily: Record<string, number>;
}

/** The decision someone else made after the reviewer loaded the finding. */
export interface ReviewConflict {
  conflict: { reviewState: FindingReviewState; reviewedBy: string | null; reviewedAt: Date | null; reviewReason: string | null };
}

export interface FindingReviewEntry {
  action: 'assigned' | 'confirmed' | 'dismissed';
  actor: string;
  reviewer: string | null;
  reason: string | null;
  at: Date;
}

export interface RulePrecision {
  ruleId: string;
  confirmed: number;
  dismissed: number;
  reviewed: number;
  /** confirmed / reviewed; null when nothing was reviewed */
  precision: number | null;
}

export type EvaluationFeedbackKind = 'acknowledged' | 'disputed' | 'ruling';
export type EvaluationRulingDecision = 'upheld' | 'overturned';

export interface EvaluationFeedbackEntry {
  kind: EvaluationFeedbackKind;
  actor: string;
  reason: string | null;
  ruling: EvaluationRulingDecision | null;
  score: number | null;
  autoFailed: boolean | null;
  at: Date;
}

export type EvaluationFeedbackResult =
  | { ok: true; entry: EvaluationFeedbackEntry }
  | { ok: false; problem: 'no-evaluation' | 'dispute-open' | 'no-open-dispute' };

/** The review queue, review decisions with their history, per-rule precision, and evaluation disputes. */
@Injectable()
export class ReviewRepository {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditRepository,
  ) {}

  /** Critical first, then oldest first; `after` is the id of the last finding of the previous page. */
  async queue(filter: ReviewQueueFilter, limit: number, after?: string): Promise<ReviewQueueItem[]> {
    const rows = await this.prisma.client.finding.findMany({
      where: queueWhere(filter),
      // Postgres orders an enum by declaration: critical, major, minor.
      orderBy: [{ severity: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }],
      ...(after ? { cursor: { id: after }, skip: 1 } : {}),
      take: limit,
      include: { call: { select: { externalId: true, startedAt: true, agent: { select: { externalId: true, group: { select: { name: true, team: { select: { name: true } } } } } }, campaign: { select: { externalId: true } } } } },
    });
    return rows.map((row) => ({
      id: row.id,
      callId: row.callId,
      source: row.source,
      ruleId: row.ruleId,
      ruleVersion: row.ruleVersion,
      family: row.family,
      severity: row.severity,
      dimension: row.dimension,
      description: row.description,
      evidenceText: row.evidenceText,
      startSeconds: row.startSeconds,
      endSeconds: row.endSeconds,
      hasClip: row.clipKey !== null,
      reviewState: row.reviewState,
      reviewedBy: row.reviewedBy,
      reviewedAt: row.reviewedAt,
      reviewReason: row.reviewReason,
      assignedTo: row.assignedTo,
      assignedAt: row.assignedAt,
      createdAt: row.createdAt,
      call: {
        externalId: row.call.externalId,
        startedAt: row.call.startedAt,
        agent: row.call.agent?.externalId ?? null,
        group: row.call.agent?.group?.name ?? null,
        team: row.call.agent?.group?.team.name ?? null,
        campaign: row.call.campaign?.externalId ?? null,
      },
    }));
  }

  /** How many findings match the filter, by severity and by review state (each ignoring its own filter). */
  async queueCounts(filter: ReviewQueueFilter): Promise<ReviewQueueCounts> {
    const [severities, states, families] = await Promise.all([
      this.prisma.client.finding.groupBy({ by: ['severity'], where: queueWhere(filter), _count: { _all: true } }),
      this.prisma.client.finding.groupBy({ by: ['reviewState'], where: queueWhere({ ...filter, reviewState: undefined }), _count: { _all: true } }),
      this.prisma.client.finding.groupBy({ by: ['family'], where: { ...queueWhere({ ...filter, family: undefined }), family: { not: null } }, _count: { _all: true } }),
    ]);
    const byFamily: Record<string, number> = {};
    for (const row of families.sort((a, b) => b._count._all - a._count._all)) if (row.family) byFamily[row.family] = row._count._all;
    const bySeverity = { critical: 0, major: 0, minor: 0 };
    for (const row of severities) bySeverity[row.severity] = row._count._all;
    const byState = { pending: 0, confirmed: 0, dismissed: 0 };
    for (const row of states) byState[row.reviewState] = row._count._all;
    return { total: bySeverity.critical + bySeverity.major + bySeverity.minor, bySeverity, byState, byFamily };
  }

  async findingExists(id: string): Promise<boolean> {
    return (await this.prisma.client.finding.count({ where: { id } })) > 0;
  }

  /** Assigns the finding to a reviewer, kept in its history and audited; null when there is no such finding. */
  async assign(findingId: string, reviewer: string, actor: string): Promise<{ callId: string } | null> {
    return this.prisma.client.$transaction(async (tx) => {
      const finding = await lockFinding(tx, findingId);
      if (!finding) return null;
      const at = new Date();
      await tx.finding.update({ where: { id: findingId }, data: { assignedTo: reviewer, assignedAt: at } });
      await tx.findingReview.create({ data: { findingId, callId: finding.callId, action: 'assigned', actor, reviewer, at } });
      await this.audit.appendWithin(tx, { actor, action: 'finding.assigned', entityType: 'finding', entityId: findingId, details: { callId: finding.callId, reviewer } });
      return { callId: finding.callId };
    });
  }

  /**
   * Records a decision on the finding (the latest one wins, every one is kept) and audits it; null when there is
   * no such finding. With `expectedState`, a finding whose state has changed since the reviewer saw it is left
   * alone and the decision that changed it comes back instead.
   */
  async decide(
    findingId: string,
    decision: ReviewDecision,
    reason: string | null,
    actor: string,
    expectedState?: FindingReviewState,
  ): Promise<{ callId: string; previous: FindingReviewState } | ReviewConflict | null> {
    return this.prisma.client.$transaction(async (tx) => {
      const finding = await lockFinding(tx, findingId);
      if (!finding) return null;
      if (expectedState !== undefined && finding.reviewState !== expectedState) {
        const current = await tx.finding.findUniqueOrThrow({ where: { id: findingId }, select: { reviewState: true, reviewedBy: true, reviewedAt: true, reviewReason: true } });
        return { conflict: current };
      }
      const at = new Date();
      await tx.finding.update({ where: { id: findingId }, data: { reviewState: decision, reviewedBy: actor, reviewedAt: at, reviewReason: reason } });
      await tx.findingReview.create({ data: { findingId, callId: finding.callId, action: decision, actor, reason, at } });
      await this.audit.appendWithin(tx, {
        actor,
        action: `finding.${decision}`,
        entityType: 'finding',
        entityId: findingId,
        details: { callId: finding.callId, previous: finding.reviewState, ...(reason !== null ? { reason } : {}) },
      });
      return { callId: finding.callId, previous: finding.reviewState };
    });
  }

  async history(findingId: string): Promise<FindingReviewEntry[]> {
    const rows = await this.prisma.client.findingReview.findMany({ where: { findingId }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
    return rows.map((r) => ({ action: r.action, actor: r.actor, reviewer: r.reviewer, reason: r.reason, at: r.at }));
  }

  /** Confirmed / reviewed per rule over findings raised in [from, to), by each finding's current decision. */
  async precision(from: Date, to: Date): Promise<RulePrecision[]> {
    const groups = await this.prisma.client.finding.groupBy({
      by: ['ruleId', 'reviewState'],
      where: { reviewState: { in: ['confirmed', 'dismissed'] }, createdAt: { gte: from, lt: to } },
      _count: { _all: true },
    });
    const byRule = new Map<string, RulePrecision>();
    for (const group of groups) {
      const entry = byRule.get(group.ruleId) ?? { ruleId: group.ruleId, confirmed: 0, dismissed: 0, reviewed: 0, precision: null };
      if (group.reviewState === 'confirmed') entry.confirmed += group._count._all;
      else entry.dismissed += group._count._all;
      entry.reviewed = entry.confirmed + entry.dismissed;
      entry.precision = entry.reviewed > 0 ? entry.confirmed / entry.reviewed : null;
      byRule.set(group.ruleId, entry);
    }
    return [...byRule.values()].sort((a, b) => (a.precision ?? 1) - (b.precision ?? 1) || a.ruleId.localeCompare(b.ruleId));
  }

  /**
   * Appends an acknowledgement, a dispute or a ruling to the call's evaluation history, audited. A dispute
   * stays open until a ruling; nothing else may be written while it is open, and a ruling needs one.
   */
  async evaluationFeedback(
    callId: string,
    input: { kind: EvaluationFeedbackKind; actor: string; reason: string | null; ruling: EvaluationRulingDecision | null },
  ): Promise<EvaluationFeedbackResult> {
    return this.prisma.client.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<{ score: number; autoFailed: boolean }[]>`
        SELECT "score", "autoFailed" FROM "Evaluation" WHERE "callId" = ${callId}::uuid FOR UPDATE`;
      const evaluation = locked[0];
      if (!evaluation) return { ok: false, problem: 'no-evaluation' } as const;
      const last = await tx.evaluationFeedback.findFirst({ where: { callId, kind: { in: ['disputed', 'ruling'] } }, orderBy: [{ at: 'desc' }, { id: 'desc' }] });
      const disputeOpen = last?.kind === 'disputed';
      if (input.kind === 'ruling' && !disputeOpen) return { ok: false, problem: 'no-open-dispute' } as const;
      if (input.kind !== 'ruling' && disputeOpen) return { ok: false, problem: 'dispute-open' } as const;
      const row = await tx.evaluationFeedback.create({
        data: { callId, kind: input.kind, actor: input.actor, reason: input.reason, ruling: input.ruling, score: evaluation.score, autoFailed: evaluation.autoFailed },
      });
      await this.audit.appendWithin(tx, {
        actor: input.actor,
        action: input.kind === 'ruling' ? 'evaluation.ruling' : `evaluation.${input.kind}`,
        entityType: 'call',
        entityId: callId,
        details: { score: evaluation.score, autoFailed: evaluation.autoFailed, ...(input.reason !== null ? { reason: input.reason } : {}), ...(input.ruling ? { ruling: input.ruling } : {}) },
      });
      return { ok: true, entry: toFeedback(row) } as const;
    });
  }

  async evaluationHistory(callId: string): Promise<EvaluationFeedbackEntry[]> {
    const rows = await this.prisma.client.evaluationFeedback.findMany({ where: { callId }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
    return rows.map(toFeedback);
  }
}

function queueWhere(filter: ReviewQueueFilter): Prisma.FindingWhereInput {
  const agent: Prisma.AgentWhereInput = {
    ...(filter.agentExternalId ? { externalId: filter.agentExternalId } : {}),
    ...(filter.groupName || filter.teamName
      ? {
          group: {
            ...(filter.groupName ? { name: filter.groupName } : {}),
            ...(filter.teamName ? { team: { name: filter.teamName } } : {}),
          },
        }
      : {}),
  };
  const call: Prisma.CallWhereInput = {
    ...(Object.keys(agent).length > 0 ? { agent } : {}),
    ...(filter.campaignExternalId ? { campaign: { externalId: filter.campaignExternalId } } : {}),
    ...(filter.from || filter.to ? { startedAt: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } } : {}),
  };
  return {
    ...(filter.reviewState ? { reviewState: filter.reviewState } : {}),
    ...(filter.severity ? { severity: filter.severity } : {}),
    ...(filter.ruleId ? { ruleId: filter.ruleId } : {}),
    ...(filter.family ? { family: filter.family } : {}),
    ...(filter.source ? { source: filter.source } : {}),
    ...(filter.assignedTo ? { assignedTo: filter.assignedTo } : {}),
    ...(Object.keys(call).length > 0 ? { call } : {}),
  };
}

async function lockFinding(tx: Prisma.TransactionClient, id: string): Promise<{ callId: string; reviewState: FindingReviewState } | null> {
  const rows = await tx.$queryRaw<{ callId: string; reviewState: FindingReviewState }[]>`
    SELECT "callId"::text AS "callId", "reviewState"::text AS "reviewState" FROM "Finding" WHERE "id" = ${id}::uuid FOR UPDATE`;
  return rows[0] ?? null;
}

/** Only the entry's own fields: the row carries ids the API does not show. */
function toFeedback(row: EvaluationFeedbackEntry): EvaluationFeedbackEntry {
  return { kind: row.kind, actor: row.actor, reason: row.reason, ruling: row.ruling, score: row.score, autoFailed: row.autoFailed, at: row.at };
}
