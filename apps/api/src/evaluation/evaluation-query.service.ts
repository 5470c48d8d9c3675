import { Injectable } from '@nestjs/common';
import { CampaignRepository, RollupRepository, type AgentDirectoryEntry } from '#libs/db';
import {
  bucketTrend,
  dimensionsFrom,
  emptyCounters,
  mergeCounters,
  rankEntities,
  type CallOutcomeCounters,
  type EvaluationMetric,
  type RankedEntry,
  type TrendGranularity,
} from '#libs/evaluation-model';
import { NotFoundError } from '../common/not-found.error.js';
import type { Period, RankingLevel } from './evaluation-query.params.js';

function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function periodView(period: Period) {
  return { from: day(period.from), to: day(new Date(period.to.getTime() - 86_400_000)) };
}

function view(counters: CallOutcomeCounters) {
  return { calls: counters.calls, dimensions: dimensionsFrom(counters) };
}

function add(map: Map<string, CallOutcomeCounters>, key: string, counters: CallOutcomeCounters): void {
  map.set(key, mergeCounters(map.get(key) ?? emptyCounters(), counters));
}

/** Reads of the evaluation model: every answer is built from the per-agent daily aggregates, never from calls. */
@Injectable()
export class EvaluationQueryService {
  constructor(
    private readonly rollups: RollupRepository,
    private readonly campaigns: CampaignRepository,
  ) {}

  async agentScorecard(agentRef: string, period: Period, granularity: TrendGranularity) {
    const agent = await this.rollups.findAgent(agentRef);
    if (!agent) throw new NotFoundError('agent', agentRef);
    const days = await this.rollups.agentDays(agent.agentId, period.from, period.to);
    const total = days.reduce((sum, d) => mergeCounters(sum, d.counters), emptyCounters());
    return {
      agent: { id: agent.agentId, externalId: agent.externalId, name: agent.name, group: agent.groupName, team: agent.teamName },
      period: periodView(period),
      ...view(total),
      trend: { granularity, buckets: bucketTrend(days, granularity).map((b) => ({ period: b.period, ...view(b.counters) })) },
    };
  }

  async campaignScorecard(campaignRef: string, period: Period, granularity: TrendGranularity) {
    const campaign = await this.campaigns.find(campaignRef);
    if (!campaign) throw new NotFoundError('campaign', campaignRef);
    const days = await this.rollups.campaignDays(campaign.id, period.from, period.to);
    const total = days.reduce((sum, d) => mergeCounters(sum, d.counters), emptyCounters());
    return {
      campaign,
      period: periodView(period),
      ...view(total),
      trend: { granularity, buckets: bucketTrend(days, granularity).map((b) => ({ period: b.period, ...view(b.counters) })) },
    };
  }

  async teams(period: Period) {
    const [teams, directory, totals] = await Promise.all([this.rollups.listTeams(), this.rollups.directory(), this.rollups.totalsByAgent(period.from, period.to)]);
    const teamOf = new Map(directory.map((a) => [a.agentId, a.teamId]));
    const byTeam = new Map<string, CallOutcomeCounters>();
    for (const t of totals) {
      const teamId = teamOf.get(t.agentId);
      if (teamId) add(byTeam, teamId, t.counters);
    }
    return { period: periodView(period), teams: teams.map((t) => ({ id: t.id, name: t.name, ...view(byTeam.get(t.id) ?? emptyCounters()) })) };
  }

  /** team -> groups -> agents, each with its four dimensions. */
  async teamDrillDown(teamRef: string, period: Period) {
    const team = await this.rollups.findTeam(teamRef);
    if (!team) throw new NotFoundError('team', teamRef);
    const [directory, totals] = await Promise.all([
      this.rollups.directory({ teamId: team.id }),
      this.rollups.totalsByAgent(period.from, period.to, { teamId: team.id }),
    ]);
    const byAgent = new Map(totals.map((t) => [t.agentId, t.counters]));
    const groups = new Map<string, { id: string; name: string; counters: CallOutcomeCounters; agents: AgentDirectoryEntry[] }>();
    let teamTotal = emptyCounters();
    for (const agent of directory) {
      const counters = byAgent.get(agent.agentId) ?? emptyCounters();
      teamTotal = mergeCounters(teamTotal, counters);
      const groupId = agent.groupId ?? '';
      const group = groups.get(groupId) ?? { id: groupId, name: agent.groupName ?? '', counters: emptyCounters(), agents: [] };
      group.counters = mergeCounters(group.counters, counters);
      group.agents.push(agent);
      groups.set(groupId, group);
    }
    return {
      team: { id: team.id, name: team.name },
      period: periodView(period),
      ...view(teamTotal),
      groups: [...groups.values()]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((g) => ({
          id: g.id,
          name: g.name,
          ...view(g.counters),
          agents: g.agents.map((a) => ({ id: a.agentId, externalId: a.externalId, name: a.name, ...view(byAgent.get(a.agentId) ?? emptyCounters()) })),
        })),
    };
  }

  async ranking(options: { metric: EvaluationMetric; level: RankingLevel; period: Period; minSample: number; fraction: number; teamRef?: string }) {
    const team = options.teamRef ? await this.rollups.findTeam(options.teamRef) : null;
    if (options.teamRef && !team) throw new NotFoundError('team', options.teamRef);
    const scope = team ? { teamId: team.id } : {};
    const [directory, totals] = await Promise.all([this.rollups.directory(scope), this.rollups.totalsByAgent(options.period.from, options.period.to, scope)]);
    const byAgent = new Map(totals.map((t) => [t.agentId, t.counters]));
    const names = new Map<string, { name: string; externalId?: string }>();
    const entities = new Map<string, CallOutcomeCounters>();
    for (const a of directory) {
      const counters = byAgent.get(a.agentId) ?? emptyCounters();
      if (options.level === 'agent') {
        names.set(a.agentId, { name: a.name, externalId: a.externalId });
        add(entities, a.agentId, counters);
      } else {
        const id = options.level === 'group' ? a.groupId : a.teamId;
        if (!id) continue;
        names.set(id, { name: (options.level === 'group' ? a.groupName : a.teamName) ?? id });
        add(entities, id, counters);
      }
    }
    const ranking = rankEntities(
      [...entities.entries()].map(([id, counters]) => ({ id, counters })),
      options.metric,
      { minSample: options.minSample, fraction: options.fraction },
    );
    const label = (e: { id: string }) => ({ ...names.get(e.id) });
    const entry = (e: RankedEntry) => ({ ...e, ...label(e) });
    return {
      metric: ranking.metric,
      level: options.level,
      period: periodView(options.period),
      minSample: options.minSample,
      fraction: options.fraction,
      higherIsBetter: ranking.higherIsBetter,
      eligible: ranking.eligible,
      top: ranking.top.map(entry),
      bottom: ranking.bottom.map(entry),
      excluded: ranking.excluded.map((e) => ({ ...e, ...label(e) })),
    };
  }
}
