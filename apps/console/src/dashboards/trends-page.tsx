import { Group, Select, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { QueryState } from '../components/query-state.js';
import { TrendChart } from './charts.js';
import { downloadCsv } from './csv.js';
import { DashboardHeader } from './dashboard-nav.js';
import { METRICS, useTeams, useTrend, type Metric, type TrendLevel } from './dashboards-api.js';
import { FigureCell } from './figure.js';
import { CsvButton, ScopeBar, useDashboardUrl } from './scope-bar.js';

const LEVELS: TrendLevel[] = ['team', 'group', 'agent', 'campaign'];

/** Any figure of a team, group, agent or campaign per day or week, with its threshold line; the table under it is the chart's data. */
export default function TrendsPage() {
  const { t } = useTranslation();
  const { filters, setFilter, scope } = useDashboardUrl(['level', 'id', 'metric', 'granularity'] as const);
  const level: TrendLevel = LEVELS.includes(filters.level as TrendLevel) ? (filters.level as TrendLevel) : 'team';
  const metric: Metric = METRICS.includes(filters.metric as Metric) ? (filters.metric as Metric) : 'qaScoreMean';
  const granularity = filters.granularity === 'week' ? 'week' : 'day';
  const teams = useTeams(scope);
  // with no subject chosen, the first team is shown
  const id = filters.id || (level === 'team' ? (teams.data?.teams[0]?.id ?? '') : level === 'campaign' ? scope.campaign : '');
  const trend = useTrend(level, id, scope, granularity);
  const figure = trend.data?.figures[metric];
  const points = (trend.data?.trend.buckets ?? []).map((b) => ({ period: b.period, value: b.figures[metric]?.value ?? null, sample: b.figures[metric]?.sample ?? 0, figure: b.figures[metric] }));
  return (
    <Stack gap="sm">
      <DashboardHeader title={t('dash.views.trends')} />
      <ScopeBar scope={scope} onChange={setFilter} answered={trend.data?.period} />
      <Group gap="sm" align="flex-end">
        <Select label={t('dash.levelPicker')} size="xs" w={140} value={level} allowDeselect={false} onChange={(v) => setFilter('level', v ?? 'team')} data={LEVELS.map((l) => ({ value: l, label: t(`dash.level.${l}`) }))} />
        {level === 'team' ? (
          <Select label={t('dash.level.team')} size="xs" w={200} value={id || null} onChange={(v) => setFilter('id', v ?? '')} data={(teams.data?.teams ?? []).map((team) => ({ value: team.id, label: team.name }))} />
        ) : (
          <Text size="sm" c="dimmed">
            {id || t('dash.pickFromDrillDown')}
          </Text>
        )}
        <Select label={t('dash.metricPicker')} size="xs" w={240} value={metric} allowDeselect={false} searchable onChange={(v) => setFilter('metric', v ?? '')} data={METRICS.map((m) => ({ value: m, label: t(`dash.metric.${m}`) }))} />
        <SegmentedControl size="xs" value={granularity} onChange={(v) => setFilter('granularity', v)} data={[{ value: 'day', label: t('dash.day') }, { value: 'week', label: t('dash.week') }]} aria-label={t('dash.granularity')} />
        <CsvButton onClick={() => void downloadCsv(`earshot-trend-${level}-${metric}-${granularity}.csv`, points.map((p) => ({ period: p.period, [metric]: p.value, sample: p.sample, state: p.figure?.state ?? '' })))} />
      </Group>
      <QueryState error={trend.error} pending={trend.isPending && trend.fetchStatus !== 'idle'} />
      {trend.data && (
        <>
          <Group gap="xs">
            <Text size="sm" fw={600}>
              {t(`dash.metric.${metric}`)}
            </Text>
            <FigureCell metric={metric} figure={figure} />
          </Group>
          {points.length === 0 ? (
            <Text c="dimmed">{t('dash.empty')}</Text>
          ) : (
            <TrendChart metric={metric} points={points} alertAt={figure?.alertAt ?? null} target={figure?.target ?? null} labels={{ alert: t('dash.alertLine'), target: t('dash.targetLine'), value: t(`dash.metric.${metric}`) }} />
          )}
          <Table withTableBorder striped data-testid="trend-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t(granularity === 'week' ? 'dash.weekOf' : 'dash.day')}</Table.Th>
                <Table.Th>{t(`dash.metric.${metric}`)}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {points.map((p) => (
                <Table.Tr key={p.period}>
                  <Table.Td>{p.period}</Table.Td>
                  <Table.Td>
                    <FigureCell metric={metric} figure={p.figure} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Stack>
  );
}
