import { useQuery } from '@tanstack/react-query';
import { api, queryString } from '../api.js';

export type FigureStateName = 'good' | 'warning' | 'alert' | 'below_min_sample' | 'no_data' | 'unjudged';

export interface FigureView {
  value: number | null;
  sample: number;
  minSample: number;
  state: FigureStateName;
  alertAt: number | null;
  target: number | null;
}

/** The evaluation metrics the API judges (libs/evaluation-model EVALUATION_METRICS), grouped by dimension. */
export const DIMENSIONS = {
  compliance: ['violationRate', 'pendingViolationRate', 'complaintRate', 'optedOutCallRate', 'outOfHoursRate', 'dialFrequencyBreachRate', 'missingDisclosureRate'],
  efficiency: ['connectRate', 'averageHandleSeconds', 'effectiveCallRate'],
  conversion: ['intentRate', 'saleFromIntentRate', 'conversionRate'],
  experience: ['csatMean', 'earlyHangUpRate', 'talkRatioAdherence', 'interruptionsPerCall', 'deadAirPerCall'],
  qa: ['qaScoreMean', 'autoFailRate'],
} as const;
export type Dimension = keyof typeof DIMENSIONS;
export type Metric = (typeof DIMENSIONS)[Dimension][number];
export const METRICS: Metric[] = Object.values(DIMENSIONS).flat();
export const RATE_METRICS = new Set<string>(METRICS.filter((m) => m.endsWith('Rate') || m === 'talkRatioAdherence'));

export interface Judged {
  calls: number;
  figures: Record<Metric, FigureView>;
  dimensions: { compliance: { callsWithCritical: number; confirmedCriticalFindings: number; optedOutCalls: number; outOfHoursCalls: number; dialFrequencyBreaches: number; missingDisclosureCalls: number; complaints: number }; conversion: { connectedCalls: number; intentCalls: number; sales: number; intentSales: number } };
}

export interface PeriodView {
  from: string;
  to: string;
  timeZone: string;
}

export interface TeamsView {
  period: PeriodView;
  teams: ({ id: string; name: string } & Judged)[];
}

export interface AgentRow extends Judged {
  id: string;
  externalId: string;
  name: string;
}

export interface DrillDownView extends Judged {
  team: { id: string; name: string };
  period: PeriodView;
  groups: ({ id: string; name: string; agents: AgentRow[] } & Judged)[];
}

export interface TrendView extends Judged {
  period: PeriodView;
  trend: { granularity: 'day' | 'week'; buckets: ({ period: string } & Judged)[] };
}

export interface AgentScorecardView extends TrendView {
  agent: { id: string; externalId: string; name: string; group: string | null; groupId: string | null; team: string | null; teamId: string | null };
}

export interface RankedEntryView {
  id: string;
  name?: string;
  externalId?: string;
  value: number;
  sample: number;
  ci: { low: number; high: number } | null;
  rank: number;
}

export interface RankingView {
  metric: Metric;
  higherIsBetter: boolean;
  eligible: number;
  minSample: number;
  period: PeriodView;
  top: RankedEntryView[];
  bottom: RankedEntryView[];
  excluded: { id: string; name?: string; externalId?: string; value: number | null; sample: number; reason: string }[];
}

export interface AgentCallsView {
  worst: { callId: string; externalId: string | null; startedAt: string; score: number; autoFailed: boolean }[];
  best: { callId: string; externalId: string | null; startedAt: string; score: number; autoFailed: boolean }[];
  disputes: { callId: string; externalId: string | null; kind: string; actor: string; reason: string | null; ruling: string | null; score: number | null; at: string }[];
}

export interface AlertView {
  id: string;
  thresholdId: string;
  severity: string;
  entityKind: 'agent' | 'group' | 'team' | 'campaign';
  entityId: string;
  entity: { kind: string; id: string; name?: string; externalId?: string };
  period: string | null;
  metric: string;
  value: number;
  /** the figure's value now, for the same subject and day */
  currentValue: number | null;
  sample: number | null;
  op: string;
  threshold: number;
  message: string;
  status: 'open' | 'cleared';
  raisedAt: string;
  clearedAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  delivery: { status: string; attempts: number; lastStatusCode: number | null; lastError: string | null } | null;
}

/** The shared filters of every dashboard: period (inclusive days) and campaign. */
export interface DashboardScope {
  from: string;
  to: string;
  campaign: string;
}

const scopeQuery = (scope: DashboardScope, extra: Record<string, string | number | undefined> = {}) => queryString({ from: scope.from, to: scope.to, campaign: scope.campaign, ...extra });

export function useTeams(scope: DashboardScope) {
  return useQuery({ queryKey: ['dash', 'teams', scope], queryFn: () => api<TeamsView>(`/v1/evaluation/teams${scopeQuery(scope)}`) });
}

export function useDrillDown(team: string, scope: DashboardScope) {
  return useQuery({ queryKey: ['dash', 'team', team, scope], queryFn: () => api<DrillDownView>(`/v1/evaluation/teams/${encodeURIComponent(team)}${scopeQuery(scope)}`), enabled: team !== '' });
}

export type TrendLevel = 'team' | 'group' | 'agent' | 'campaign';

export function trendPath(level: TrendLevel, id: string): string {
  const ref = encodeURIComponent(id);
  return level === 'team' ? `/v1/evaluation/teams/${ref}/trend` : level === 'group' ? `/v1/evaluation/groups/${ref}` : level === 'agent' ? `/v1/evaluation/agents/${ref}` : `/v1/evaluation/campaigns/${ref}`;
}

export function useTrend(level: TrendLevel, id: string, scope: DashboardScope, granularity: string) {
  // a campaign's own trend takes no campaign filter; an agent's can be narrowed to one
  const campaign = level === 'agent' ? scope.campaign : '';
  return useQuery({
    queryKey: ['dash', 'trend', level, id, scope, granularity],
    queryFn: () => api<TrendView>(`${trendPath(level, id)}${queryString({ from: scope.from, to: scope.to, campaign, granularity })}`),
    enabled: id !== '',
  });
}

export function useAgentScorecard(agent: string, scope: DashboardScope, granularity: string) {
  return useQuery({ queryKey: ['dash', 'agent', agent, scope, granularity], queryFn: () => api<AgentScorecardView>(`/v1/evaluation/agents/${encodeURIComponent(agent)}${scopeQuery(scope, { granularity })}`) });
}

export function useAgentCalls(agent: string, scope: DashboardScope) {
  return useQuery({ queryKey: ['dash', 'agent-calls', agent, scope], queryFn: () => api<AgentCallsView>(`/v1/evaluation/agents/${encodeURIComponent(agent)}/calls${queryString({ from: scope.from, to: scope.to })}`) });
}

export function useRanking(params: { metric: string; level: string; minSample: string; team: string }, scope: DashboardScope) {
  return useQuery({
    queryKey: ['dash', 'ranking', params, scope],
    queryFn: () => api<RankingView>(`/v1/evaluation/rankings${scopeQuery(scope, { metric: params.metric, level: params.level, minSample: params.minSample, team: params.team })}`),
  });
}
