import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { AlertRepository, CampaignRepository, LevelRollupRepository, RollupRepository, type AgentDirectoryEntry, type AgentTotals } from '#libs/db';
import {
  bucketTrend,
  dimensionsFrom,
  emptyCounters,
  figureStates,
  thresholdsInForce,
  mergeCounters,
  rankEntities,
  type CallOutcomeCounters,
  type EntityKind,
  type EvaluationMetric,
  type RankedEntry,
  type ThresholdRule,
  type TrendGranularity,
} from '#libs/evaluation-model';
import { NotFoundError } from '../common/not-found.error.js';
import type { Period, RankingLevel } from './evaluation-query.params.js';

function day(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/**
 * Every answer says in which zone its days were cut: the campaign's when the answer is about one campaign (its calls
 * were rolled up into days there), else the organisation's (campaigns with a zone of their own keep theirs).
 */
function periodView(period: Period, timeZone: string) {
  return { from: day(period.from), to: day(new Date(period.to.getTime() - 86_400_000)), timeZone };
}

/** The counters as the four dimensions, plus every figure judged against the thresholds for this kind of entity. */
function view(counters: CallOutcomeCounters, kind?: EntityKind, rules?: readonly ThresholdRule[]) {
  return { calls: counters.calls, dimensions: dimensionsFrom(counters), ...(kind && rules ? { figures: figureStates(counters, kind, rules) } : {}) };
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
    private readonly levels: LevelRollupRepository,
    private readonly alerts: AlertRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The zone days were cut in for an answer about `campaign` (or about everything when none). */
  private zone(campaign?: { timeZone: string | null } | null): string {
    return campaign?.timeZone ?? this.config.evaluation.timeZone;
  }

  private async rules(): Promise<readonly ThresholdRule[]> {
    return thresholdsInForce(await this.alerts.thresholdRules()).rules;
  }

  /** A campaign reference resolved to its id and zone (404 when unknown); undefined when none was asked for. */
  private async campaign(ref: string | undefined): Promise<{ id: string; timeZone: string | null } | undefined> {
    if (!ref) return undefined;
    const campaign = await this.campaigns.find(ref);
    if (!campaign) throw new NotFoundError('campaign', ref);
    return campaign;
  }

  /** Per-agent totals of the period, of one campaign's calls when one is given. */
  private totals(period: Period, scope: { teamId?: string }, campaignId: string | undefined): Promise<AgentTotals[]> {
    return campaignId ? this.levels.totalsByAgentInCampaign(campaignId, period.from, period.to, scope) : this.rollups.totalsByAgent(period.from, period.to, scope);
  }

  /** A group's or team's days with a trend, for the trend charts. */
  async levelTrend(level: 'group' | 'team', ref: string, period: Period, granularity: TrendGranularity) {
    const entity = level === 'team' ? await this.rollups.findTeam(ref) : await this.levels.findGroup(ref);
    if (!entity) throw new NotFoundError(level, ref);
    const [days, rules] = await Promise.all([this.levels.levelDays(level, entity.id, period.from, period.to), this.rules()]);
    const total = days.reduce((sum, d) => mergeCounters(sum, d.counters), emptyCounters());
    return {
      [level]: entity,
      period: periodView(period, this.zone()),
      ...view(total, level, rules),
      trend: { granularity, buckets: bucketTrend(days, granularity).map((b) => ({ period: b.period, ...view(b.counters, level, rules) })) },
    };
  }

  async agentScorecard(agentRef: string, period: Period, granularity: TrendGranularity, campaignRef?: string) {
    const agent = await this.rollups.findAgent(agentRef);
    if (!agent) throw new NotFoundError('agent', agentRef);
    const campaign = await this.campaign(campaignRef);
    const campaignId = campaign?.id;
    const [days, rules] = await Promise.all([
      campaignId ? this.levels.agentDaysInCampaign(agent.agentId, campaignId, period.from, period.to) : this.rollups.agentDays(agent.agentId, period.from, period.to),
      this.rules(),
    ]);
    const total = days.reduce((sum, d) => mergeCounters(sum, d.counters), emptyCounters());
    return {
      agent: { id: agent.agentId, externalId: agent.externalId, name: agent.name, group: agent.groupName, groupId: agent.groupId, team: agent.teamName, teamId: agent.teamId },
      period: periodView(period, this.zone(campaign)),
      campaign: campaignRef ?? null,
      ...view(total, 'agent', rules),
      trend: { granularity, buckets: bucketTrend(days, granularity).map((b) => ({ period: b.period, ...view(b.counters, 'agent', rules) })) },
    };
  }

  async campaignScorecard(campaignRef: string, period: Period, granularity: TrendGranularity) {
    const campaign = await this.campaigns.find(campaignRef);
    if (!campaign) throw new NotFoundError('campaign', campaignRef);
    const [days, rules] = await Promise.all([this.rollups.campaignDays(campaign.id, period.from, period.to), this.rules()]);
    const total = days.reduce((sum, d) => mergeCounters(sum, d.counters), emptyCounters());
    return {
      campaign,
      period: periodView(period, this.zone(campaign)),
      ...view(total, 'campaign', rules),
      trend: { granularity, buckets: bucketTrend(days, granularity).map((b) => ({ period: b.period, ...view(b.counters, 'campaign', rules) })) },
    };
  }

  async teams(period: Period, campaignRef?: string) {
    const campaign = await this.campaign(campaignRef);
    const campaignId = campaign?.id;
    const [teams, directory, totals, rules] = await Promise.all([this.rollups.listTeams(), this.rollups.directory(), this.totals(period, {}, campaignId), this.rules()]);
    const teamOf = new Map(directory.map((a) => [a.agentId, a.teamId]));
    const byTeam = new Map<string, CallOutcomeCounters>();
    for (const t of totals) {
      const teamId = teamOf.get(t.agentId);
      if (teamId) add(byTeam, teamId, t.counters);
    }
    return {
      period: periodView(period, this.zone(campaign)),
      campaign: campaignRef ?? null,
      teams: teams.map((t) => ({ id: t.id, name: t.name, ...view(byTeam.get(t.id) ?? emptyCounters(), 'team', rules) })),
    };
  }

  /** team -> groups -> agents, each with its four dimensions. */
  async teamDrillDown(teamRef: string, period: Period, campaignRef?: string) {
    const team = await this.rollups.findTeam(teamRef);
    if (!team) throw new NotFoundError('team', teamRef);
    const campaign = await this.campaign(campaignRef);
    const campaignId = campaign?.id;
    const [directory, totals, rules] = await Promise.all([this.rollups.directory({ teamId: team.id }), this.totals(period, { teamId: team.id }, campaignId), this.rules()]);
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
      period: periodView(period, this.zone(campaign)),
      campaign: campaignRef ?? null,
      ...view(teamTotal, 'team', rules),
      groups: [...groups.values()]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((g) => ({
          id: g.id,
          name: g.name,
          ...view(g.counters, 'group', rules),
          agents: g.agents.map((a) => ({ id: a.agentId, externalId: a.externalId, name: a.name, ...view(byAgent.get(a.agentId) ?? emptyCounters(), 'agent', rules) })),
        })),
    };
  }

  async ranking(options: { metric: EvaluationMetric; level: RankingLevel; period: Period; minSample: number; fraction: number; teamRef?: string; campaignRef?: string }) {
    const team = options.teamRef ? await this.rollups.findTeam(options.teamRef) : null;
    if (options.teamRef && !team) throw new NotFoundError('team', options.teamRef);
    const scope = team ? { teamId: team.id } : {};
    const campaign = await this.campaign(options.campaignRef);
    const campaignId = campaign?.id;
    const [directory, totals] = await Promise.all([this.rollups.directory(scope), this.totals(options.period, scope, campaignId)]);
    const byAgent = new Map(totals.map((t) => [t.agentId, t.counters]));
    const names = new Map<string, { name: string; externalId?: string }>();
    const entities = new Map<string, CallOutcomeCounters>();
    // equal results are listed by what a reader knows them by: the agent's external id, a group's or team's name
    const tieKeys = new Map<string, string>();
    for (const a of directory) {
      const counters = byAgent.get(a.agentId) ?? emptyCounters();
      if (options.level === 'agent') {
        names.set(a.agentId, { name: a.name, externalId: a.externalId });
        tieKeys.set(a.agentId, a.externalId);
        add(entities, a.agentId, counters);
      } else {
        const id = options.level === 'group' ? a.groupId : a.teamId;
        if (!id) continue;
        names.set(id, { name: (options.level === 'group' ? a.groupName : a.teamName) ?? id });
        tieKeys.set(id, (options.level === 'group' ? a.groupName : a.teamName) ?? id);
        add(entities, id, counters);
      }
    }
    const ranking = rankEntities(
      [...entities.entries()].map(([id, counters]) => ({ id, tieKey: tieKeys.get(id), counters })),
      options.metric,
      { minSample: options.minSample, fraction: options.fraction },
    );
    const label = (e: { id: string }) => ({ ...names.get(e.id) });
    const entry = (e: RankedEntry) => ({ ...e, ...label(e) });
    return {
      metric: ranking.metric,
      level: options.level,
      period: periodView(options.period, this.zone(campaign)),
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
