import { Injectable } from '@nestjs/common';
import type { JsonValue } from '#libs/audit';
import type { FindingEvidence, NormalisedTranscript, TranscriptSegment } from '#libs/domain';
import type { InputJsonValue } from '../generated/prisma/internal/prismaNamespace.js';
import { PrismaService } from '../prisma.service.js';

export type RuleBacktestRunStatus = 'running' | 'completed' | 'cancelled' | 'failed';

export interface RuleBacktestRunRecord {
  id: string;
  packKey: string;
  status: RuleBacktestRunStatus;
  processed: number;
  limit: number;
  request: unknown;
  result: unknown;
  error: string | null;
  requestedBy: string;
  cancelRequestedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What a backtest reads of one call: its transcript and its findings a person reviewed. */
export interface BacktestCallInput {
  transcript: NormalisedTranscript;
  reviewed: { ruleId: string; family?: string; reviewState: 'confirmed' | 'dismissed'; evidence: FindingEvidence }[];
}

/** Background backtests of drafts: progress, cancellation and the finished report. */
@Injectable()
export class RuleBacktestRunRepository {
  constructor(private readonly prisma: PrismaService) {}

  async start(packKey: string, limit: number, request: JsonValue, requestedBy: string): Promise<RuleBacktestRunRecord> {
    return this.prisma.client.ruleBacktestRun.create({ data: { packKey, limit, request: request as InputJsonValue, requestedBy } });
  }

  async find(id: string): Promise<RuleBacktestRunRecord | null> {
    return this.prisma.client.ruleBacktestRun.findUnique({ where: { id } });
  }

  /** Records progress; returns false when a cancel was asked for (the run should stop). */
  async progress(id: string, processed: number): Promise<boolean> {
    const row = await this.prisma.client.ruleBacktestRun.update({ where: { id }, data: { processed }, select: { cancelRequestedAt: true } });
    return row.cancelRequestedAt === null;
  }

  /** Asks a running backtest to stop; false when it is no longer running. */
  async requestCancel(id: string): Promise<boolean> {
    const updated = await this.prisma.client.ruleBacktestRun.updateMany({ where: { id, status: 'running' }, data: { cancelRequestedAt: new Date() } });
    return updated.count === 1;
  }

  async finish(id: string, status: Exclude<RuleBacktestRunStatus, 'running'>, outcome: { result?: JsonValue; error?: string; processed?: number }): Promise<void> {
    await this.prisma.client.ruleBacktestRun.update({
      where: { id },
      data: {
        status,
        ...(outcome.result !== undefined ? { result: outcome.result as InputJsonValue } : {}),
        ...(outcome.error !== undefined ? { error: outcome.error } : {}),
        ...(outcome.processed !== undefined ? { processed: outcome.processed } : {}),
      },
    });
  }

  /** Transcripts and reviewed findings of a page of calls in two queries (calls without a transcript are absent). */
  async backtestInputs(callIds: readonly string[]): Promise<Map<string, BacktestCallInput>> {
    const ids = [...callIds];
    const [transcripts, findings] = await Promise.all([
      this.prisma.client.transcript.findMany({ where: { callId: { in: ids } }, select: { callId: true, provider: true, language: true, rolesSource: true, segments: true } }),
      this.prisma.client.finding.findMany({
        where: { callId: { in: ids }, reviewState: { in: ['confirmed', 'dismissed'] } },
        select: { callId: true, ruleId: true, family: true, reviewState: true, evidenceText: true, segmentIndex: true, charStart: true, charEnd: true, startSeconds: true, endSeconds: true },
      }),
    ]);
    const out = new Map<string, BacktestCallInput>();
    for (const t of transcripts) {
      out.set(t.callId, {
        transcript: { provider: t.provider, language: t.language ?? undefined, rolesSource: t.rolesSource, segments: t.segments as unknown as TranscriptSegment[] },
        reviewed: [],
      });
    }
    for (const f of findings) {
      const evidence: FindingEvidence = {};
      if (f.evidenceText !== null) evidence.text = f.evidenceText;
      if (f.segmentIndex !== null) evidence.segmentIndex = f.segmentIndex;
      if (f.charStart !== null) evidence.charStart = f.charStart;
      if (f.charEnd !== null) evidence.charEnd = f.charEnd;
      if (f.startSeconds !== null) evidence.startSeconds = f.startSeconds;
      if (f.endSeconds !== null) evidence.endSeconds = f.endSeconds;
      out.get(f.callId)?.reviewed.push({ ruleId: f.ruleId, ...(f.family ? { family: f.family } : {}), reviewState: f.reviewState as 'confirmed' | 'dismissed', evidence });
    }
    return out;
  }

  /** Runs left 'running' by a process that stopped (no progress since `before`) are marked failed. */
  async failStale(before: Date): Promise<number> {
    const updated = await this.prisma.client.ruleBacktestRun.updateMany({
      where: { status: 'running', updatedAt: { lt: before } },
      data: { status: 'failed', error: 'the process running it stopped; start it again' },
    });
    return updated.count;
  }
}
