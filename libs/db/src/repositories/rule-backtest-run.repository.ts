import { Injectable } from '@nestjs/common';
import type { JsonValue } from '#libs/audit';
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

  /** Runs left 'running' by a process that stopped (no progress since `before`) are marked failed. */
  async failStale(before: Date): Promise<number> {
    const updated = await this.prisma.client.ruleBacktestRun.updateMany({
      where: { status: 'running', updatedAt: { lt: before } },
      data: { status: 'failed', error: 'the process running it stopped; start it again' },
    });
    return updated.count;
  }
}
