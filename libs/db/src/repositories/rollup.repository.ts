import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service.js';

export interface CallRollupDelta {
  connected: boolean;
  effective: boolean;
  earlyHangUp: boolean;
  hasCritical: boolean;
  findings: number;
  handleSeconds: number;
  score: number | null;
}

export interface AgentDay {
  agentId: string;
  day: Date;
  calls: number;
  connectedCalls: number;
  effectiveCalls: number;
  earlyHangUps: number;
  callsWithCritical: number;
  findings: number;
  handleSeconds: number;
  scoreSum: number;
  scoredCalls: number;
}

/** Incremental per-agent, per-day aggregates. */
@Injectable()
export class RollupRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Adds a call to its agent's day exactly once: a repeated rollup of the same call changes nothing. */
  async addCallOnce(callId: string, agentId: string, day: Date, delta: CallRollupDelta): Promise<boolean> {
    return this.prisma.client.$transaction(async (tx) => {
      const claimed = await tx.call.updateMany({ where: { id: callId, rolledUpAt: null }, data: { rolledUpAt: new Date() } });
      if (claimed.count === 0) return false;
      const increments = {
        calls: 1,
        connectedCalls: delta.connected ? 1 : 0,
        effectiveCalls: delta.effective ? 1 : 0,
        earlyHangUps: delta.earlyHangUp ? 1 : 0,
        callsWithCritical: delta.hasCritical ? 1 : 0,
        findings: delta.findings,
        handleSeconds: delta.handleSeconds,
        scoreSum: delta.score ?? 0,
        scoredCalls: delta.score === null ? 0 : 1,
      };
      await tx.agentDailyRollup.upsert({
        where: { agentId_day: { agentId, day } },
        create: { agentId, day, ...increments },
        update: Object.fromEntries(Object.entries(increments).map(([key, value]) => [key, { increment: value }])),
      });
      return true;
    });
  }

  async listForAgent(agentId: string, from: Date, to: Date): Promise<AgentDay[]> {
    return this.prisma.client.agentDailyRollup.findMany({
      where: { agentId, day: { gte: from, lt: to } },
      orderBy: { day: 'asc' },
      select: {
        agentId: true,
        day: true,
        calls: true,
        connectedCalls: true,
        effectiveCalls: true,
        earlyHangUps: true,
        callsWithCritical: true,
        findings: true,
        handleSeconds: true,
        scoreSum: true,
        scoredCalls: true,
      },
    });
  }
}
