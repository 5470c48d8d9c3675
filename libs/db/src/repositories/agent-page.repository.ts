import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service.js';

export interface ScoredCall {
  callId: string;
  externalId: string | null;
  startedAt: Date;
  score: number;
  autoFailed: boolean;
}

export interface AgentDispute {
  callId: string;
  externalId: string | null;
  kind: string;
  actor: string;
  reason: string | null;
  ruling: string | null;
  score: number | null;
  at: Date;
}

/** What an agent's page shows beside the scorecard: the worst and best scored calls and the evaluation feedback. */
@Injectable()
export class AgentPageRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The agent's scored calls started in [from, to), lowest (`asc`) or highest (`desc`) score first; ties newest first. */
  async scoredCalls(agentId: string, from: Date, to: Date, order: 'asc' | 'desc', limit: number): Promise<ScoredCall[]> {
    const rows = await this.prisma.client.evaluation.findMany({
      where: { call: { agentId, startedAt: { gte: from, lt: to } } },
      orderBy: [{ score: order }, { call: { startedAt: 'desc' } }],
      take: limit,
      select: { callId: true, score: true, autoFailed: true, call: { select: { externalId: true, startedAt: true } } },
    });
    return rows.map((r) => ({ callId: r.callId, externalId: r.call.externalId, startedAt: r.call.startedAt, score: r.score, autoFailed: r.autoFailed }));
  }

  /** Disputes and rulings on the agent's calls, newest first. */
  async disputes(agentId: string, limit: number): Promise<AgentDispute[]> {
    const calls = this.prisma.client.call;
    const rows = await this.prisma.client.evaluationFeedback.findMany({
      where: { kind: { in: ['disputed', 'ruling'] }, callId: { in: (await calls.findMany({ where: { agentId }, select: { id: true }, take: 10_000 })).map((c) => c.id) } },
      orderBy: { at: 'desc' },
      take: limit,
    });
    const ids = await calls.findMany({ where: { id: { in: rows.map((r) => r.callId) } }, select: { id: true, externalId: true } });
    const external = new Map(ids.map((c) => [c.id, c.externalId]));
    return rows.map((r) => ({ callId: r.callId, externalId: external.get(r.callId) ?? null, kind: r.kind, actor: r.actor, reason: r.reason, ruling: r.ruling, score: r.score, at: r.at }));
  }
}
