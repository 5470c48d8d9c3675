import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { GroupCommit } from '../group-commit.js';
import { PrismaService } from '../prisma.service.js';
import { batchedUpserts } from './upsert-rows.js';

export interface EvaluatedCriterion {
  criterionId: string;
  label: string;
  critical: boolean;
  result: 'pass' | 'fail' | 'na';
  weight: number;
  /** the findings behind the result, so a reviewer sees why */
  findingIds: string[];
  observed: number | boolean | string | null;
}

export interface CallEvaluationRecord {
  callId: string;
  /** null: the built-in default scorecard */
  scorecardId: string | null;
  scorecardName: string;
  scorecardVersion: number;
  score: number;
  autoFailed: boolean;
  applicableWeight: number;
  criteria: EvaluatedCriterion[];
  updatedAt: Date;
}

export interface RescoreFilter {
  campaignId?: string;
  scorecardId?: string;
  callIds?: string[];
  agentId?: string;
}

/** Per-call evaluations with every criterion's result and evidence; and the call sets a re-score covers. */
@Injectable()
export class EvaluationRepository {
  // every call's score stage writes one: concurrent jobs' evaluations go as one upsert (see GroupCommit)
  private readonly saves: GroupCommit<Record<string, unknown>>;

  constructor(private readonly prisma: PrismaService) {
    this.saves = batchedUpserts(prisma.sql, 'Evaluation', 'callId', ['id']);
  }

  save(record: Omit<CallEvaluationRecord, 'updatedAt'>): Promise<void> {
    // applicableWeight is derivable from the criteria, so it is not stored twice.
    return this.saves.submit({
      id: randomUUID(),
      callId: record.callId,
      scorecardName: record.scorecardName,
      scorecardVersion: record.scorecardVersion,
      score: record.score,
      autoFailed: record.autoFailed,
      criteria: record.criteria,
      scorecardId: record.scorecardId,
    });
  }

  async find(callId: string): Promise<CallEvaluationRecord | null> {
    const row = await this.prisma.client.evaluation.findUnique({ where: { callId } });
    if (!row) return null;
    const criteria = (row.criteria as unknown as Partial<EvaluatedCriterion>[]).map((c) => ({
      criterionId: c.criterionId ?? '',
      label: c.label ?? c.criterionId ?? '',
      critical: c.critical ?? false,
      result: c.result ?? 'na',
      weight: c.weight ?? 0,
      findingIds: c.findingIds ?? [],
      observed: c.observed ?? null,
    }));
    return {
      callId: row.callId,
      scorecardId: row.scorecardId,
      scorecardName: row.scorecardName,
      scorecardVersion: row.scorecardVersion,
      score: row.score,
      autoFailed: row.autoFailed,
      applicableWeight: criteria.filter((c) => c.result !== 'na').reduce((sum, c) => sum + c.weight, 0),
      criteria,
      updatedAt: row.updatedAt,
    };
  }

  /** Ids of finished calls matching the filter (all of them when it is empty), oldest first, at most `limit`. */
  async callsToRescore(filter: RescoreFilter, limit: number): Promise<string[]> {
    const campaignIds = filter.scorecardId
      ? (await this.prisma.client.campaign.findMany({ where: { scorecardId: filter.scorecardId }, select: { id: true } })).map((c) => c.id)
      : undefined;
    const rows = await this.prisma.client.call.findMany({
      where: {
        status: 'completed',
        ...(filter.campaignId ? { campaignId: filter.campaignId } : {}),
        ...(campaignIds ? { campaignId: { in: campaignIds } } : {}),
        ...(filter.callIds ? { id: { in: filter.callIds } } : {}),
        ...(filter.agentId ? { agentId: filter.agentId } : {}),
      },
      select: { id: true },
      orderBy: { createdAt: 'asc' },
      take: limit,
    });
    return rows.map((r) => r.id);
  }
}
