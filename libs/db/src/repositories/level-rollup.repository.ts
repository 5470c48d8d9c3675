import { Injectable } from '@nestjs/common';
import { COUNTER_NAMES, countersFrom, type CallOutcomeCounters, type CounterName } from '#libs/evaluation-model';
import { Prisma } from '../generated/prisma/client.js';
import { batchedReads, lowerCase } from '../group-commit.js';
import { PrismaService } from '../prisma.service.js';
import { isUuid } from '#libs/domain';
import { ACTIVITY_COLUMNS, ACTIVITY_FROM, activityOf, type ActivityRow } from './call-activity.sql.js';
import type { AgentCallActivity, AgentDayCounters, AgentTotals } from './rollup.repository.js';

/** The levels above an agent that thresholds are judged at. */
export type RollupLevel = 'group' | 'team' | 'campaign';

// Column names are constants from the evaluation model, never user input.
const SUM_COLUMNS = Prisma.raw(COUNTER_NAMES.map((c) => `sum(r."${c}")::float8 AS "${c}"`).join(', '));
const SUM_JSON = Prisma.raw(COUNTER_NAMES.map((c) => `coalesce(sum((c.counters->>'${c}')::float8), 0) AS "${c}"`).join(', '));

function rowCounters(row: Record<string, unknown>): CallOutcomeCounters {
  const partial: Partial<Record<CounterName, number>> = {};
  for (const k of COUNTER_NAMES) partial[k] = Number(row[k] ?? 0);
  return countersFrom(partial);
}

function agentsOf(level: 'group' | 'team', id: string): Prisma.Sql {
  return level === 'group'
    ? Prisma.sql`SELECT a.id FROM "Agent" a WHERE a."groupId" = ${id}::uuid`
    : Prisma.sql`SELECT a.id FROM "Agent" a JOIN "Group" g ON g.id = a."groupId" WHERE g."teamId" = ${id}::uuid`;
}

/** Aggregates of a group, team or campaign per day, read from the per-agent and per-campaign daily rollups. */
@Injectable()
export class LevelRollupRepository {
  // every call's rollup asks: one query for concurrent jobs (see batchedReads), the group joined
  private readonly agentLevels = batchedReads<string, { groupId: string | null; teamId: string | null }>(async (agentIds) => {
    const rows = await this.prisma.sql.query<{ agentId: string; groupId: string | null; teamId: string | null }[]>`
      SELECT a.id::text AS "agentId", a."groupId"::text AS "groupId", g."teamId"::text AS "teamId" FROM "Agent" a LEFT JOIN "Group" g ON g.id = a."groupId"
      WHERE a.id IN (SELECT jsonb_array_elements_text(${JSON.stringify(agentIds)}::jsonb)::uuid)`;
    return new Map(rows.map(({ agentId, ...levels }) => [agentId, levels]));
  }, lowerCase);

  constructor(private readonly prisma: PrismaService) {}

  /** The group and team an agent belongs to (null when it has none). */
  async levelsOfAgent(agentId: string): Promise<{ groupId: string | null; teamId: string | null }> {
    return (await this.agentLevels.submit(agentId)) ?? { groupId: null, teamId: null };
  }

  async findGroup(ref: string): Promise<{ id: string; name: string } | null> {
    return this.prisma.client.group.findFirst({ where: isUuid(ref) ? { OR: [{ id: ref }, { name: ref }] } : { name: ref }, select: { id: true, name: true } });
  }

  /** Display names of alert subjects by kind and id (unknown ids are left out). */
  async names(refs: { kind: string; id: string }[]): Promise<Map<string, { name: string; externalId?: string }>> {
    const ids = (kind: string) => [...new Set(refs.filter((r) => r.kind === kind && isUuid(r.id)).map((r) => r.id))];
    const [agents, groups, teams, campaigns] = await Promise.all([
      this.prisma.client.agent.findMany({ where: { id: { in: ids('agent') } }, select: { id: true, name: true, externalId: true } }),
      this.prisma.client.group.findMany({ where: { id: { in: ids('group') } }, select: { id: true, name: true } }),
      this.prisma.client.team.findMany({ where: { id: { in: ids('team') } }, select: { id: true, name: true } }),
      this.prisma.client.campaign.findMany({ where: { id: { in: ids('campaign') } }, select: { id: true, name: true, externalId: true } }),
    ]);
    const out = new Map<string, { name: string; externalId?: string }>();
    for (const a of agents) out.set(`agent:${a.id}`, { name: a.name, externalId: a.externalId });
    for (const g of groups) out.set(`group:${g.id}`, { name: g.name });
    for (const t of teams) out.set(`team:${t.id}`, { name: t.name });
    for (const c of campaigns) out.set(`campaign:${c.id}`, { name: c.name, externalId: c.externalId });
    return out;
  }

  /** Days of a group, team or campaign in [from, to), oldest first. */
  async levelDays(level: RollupLevel, id: string, from: Date, to: Date): Promise<AgentDayCounters[]> {
    const rows =
      level === 'campaign'
        ? await this.prisma.sql.query<Record<string, unknown>[]>`
            SELECT r.day AS day, ${SUM_COLUMNS} FROM "CampaignDailyRollup" r
            WHERE r."campaignId" = ${id}::uuid AND r.day >= ${from}::date AND r.day < ${to}::date GROUP BY r.day ORDER BY r.day`
        : await this.prisma.sql.query<Record<string, unknown>[]>`
            SELECT r.day AS day, ${SUM_COLUMNS} FROM "AgentDailyRollup" r
            WHERE r."agentId" IN (${agentsOf(level, id)}) AND r.day >= ${from}::date AND r.day < ${to}::date GROUP BY r.day ORDER BY r.day`;
    return rows.map((row) => ({ day: row.day as Date, counters: rowCounters(row) }));
  }

  /**
   * The latest calls (at most `limit`) of a group, team or campaign started in [from, to), with whether each was
   * effective. The activity threshold looks only at the streak since the last effective call, so the tail suffices
   * and a team's busy day is not read whole on every rollup.
   */
  async levelActivity(level: RollupLevel, id: string, from: Date, to: Date, limit = 500): Promise<AgentCallActivity[]> {
    const who = level === 'campaign' ? Prisma.sql`c."campaignId" = ${id}::uuid` : Prisma.sql`c."agentId" IN (${agentsOf(level, id)})`;
    const rows = await this.prisma.sql.query<ActivityRow[]>`
      SELECT ${ACTIVITY_COLUMNS} ${ACTIVITY_FROM}
      WHERE ${who} AND c."startedAt" >= ${from} AND c."startedAt" < ${to}
      ORDER BY c."startedAt" DESC LIMIT ${limit}`;
    return rows.map(activityOf);
  }

  /** Sums per agent over [from, to) of one campaign's calls only (from the per-call contributions). */
  async totalsByAgentInCampaign(campaignId: string, from: Date, to: Date, scope: { teamId?: string } = {}): Promise<AgentTotals[]> {
    const teamFilter = scope.teamId ? Prisma.sql`AND c."agentId" IN (${agentsOf('team', scope.teamId)})` : Prisma.empty;
    const rows = await this.prisma.sql.query<Record<string, unknown>[]>`
      SELECT c."agentId"::text AS "agentId", ${SUM_JSON}
      FROM "CallRollupContribution" c
      WHERE c."campaignId" = ${campaignId}::uuid AND c.day >= ${from}::date AND c.day < ${to}::date ${teamFilter}
      GROUP BY c."agentId"`;
    return rows.map((row) => ({ agentId: String(row.agentId), counters: rowCounters(row) }));
  }

  /** An agent's days in [from, to) of one campaign's calls only. */
  async agentDaysInCampaign(agentId: string, campaignId: string, from: Date, to: Date): Promise<AgentDayCounters[]> {
    const rows = await this.prisma.sql.query<Record<string, unknown>[]>`
      SELECT c.day AS day, ${SUM_JSON} FROM "CallRollupContribution" c
      WHERE c."agentId" = ${agentId}::uuid AND c."campaignId" = ${campaignId}::uuid AND c.day >= ${from}::date AND c.day < ${to}::date
      GROUP BY c.day ORDER BY c.day`;
    return rows.map((row) => ({ day: row.day as Date, counters: rowCounters(row) }));
  }
}
