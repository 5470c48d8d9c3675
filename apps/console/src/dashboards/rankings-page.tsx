import { Group, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { QueryState } from '../components/query-state.js';
import { RankingChart } from './charts.js';
import { downloadCsv } from './csv.js';
import { DashboardHeader } from './dashboard-nav.js';
import { METRICS, useRanking, type Metric, type RankedEntryView } from './dashboards-api.js';
import { useFigureFormat } from './figure.js';
import { CsvButton, ScopeBar, useDashboardUrl } from './scope-bar.js';

const label = (e: { name?: string; externalId?: string; id: string }) => (e.externalId ? `${e.name ?? ''} (${e.externalId})` : (e.name ?? e.id));

/** Top and bottom 20% by a figure with confidence intervals as error bars; who is below the minimum sample is listed, not ranked. */
export default function RankingsPage() {
  const { t } = useTranslation();
  const { filters, setFilter, scope } = useDashboardUrl(['metric', 'level', 'minSample'] as const);
  const metric: Metric = METRICS.includes(filters.metric as Metric) ? (filters.metric as Metric) : 'qaScoreMean';
  const level = ['agent', 'group', 'team'].includes(filters.level) ? filters.level : 'agent';
  const minSample = /^\d+$/.test(filters.minSample) ? filters.minSample : '20';
  const ranking = useRanking({ metric, level, minSample, team: '' }, scope);
  const show = useFigureFormat();
  const rowsFor = (list: RankedEntryView[], side: string) => list.map((e) => ({ side, rank: e.rank, name: label(e), value: e.value, low: e.ci?.low ?? null, high: e.ci?.high ?? null, sample: e.sample }));
  const exportCsv = () => ranking.data && downloadCsv(`earshot-ranking-${level}-${metric}.csv`, [...rowsFor(ranking.data.top, 'top'), ...rowsFor(ranking.data.bottom, 'bottom')]);

  const side = (title: string, list: RankedEntryView[], colour: string, testId: string) => (
    <Stack gap="xs" data-testid={testId}>
      <Title order={3} size="h5">
        {title}
      </Title>
      {list.length === 0 ? (
        <Text c="dimmed" size="sm">
          {t('dash.notEnoughRanked')}
        </Text>
      ) : (
        <>
          <RankingChart metric={metric} colour={colour} bars={list.map((e) => ({ name: label(e), value: e.value, low: e.ci?.low ?? null, high: e.ci?.high ?? null }))} />
          <Table withTableBorder>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>#</Table.Th>
                <Table.Th>{t(`dash.level.${level}`)}</Table.Th>
                <Table.Th>{t(`dash.metric.${metric}`)}</Table.Th>
                <Table.Th>{t('dash.interval')}</Table.Th>
                <Table.Th>{t('dash.sampleHeader')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td>{e.rank}</Table.Td>
                  <Table.Td>{label(e)}</Table.Td>
                  <Table.Td>{show(metric, e.value)}</Table.Td>
                  <Table.Td>{e.ci ? `${show(metric, e.ci.low)} – ${show(metric, e.ci.high)}` : '—'}</Table.Td>
                  <Table.Td>{e.sample}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Stack>
  );

  return (
    <Stack gap="sm">
      <DashboardHeader title={t('dash.views.rankings')} />
      <ScopeBar scope={scope} onChange={setFilter} answered={ranking.data?.period} />
      <Group gap="sm" align="flex-end">
        <Select label={t('dash.metricPicker')} size="xs" w={240} value={metric} allowDeselect={false} searchable onChange={(v) => setFilter('metric', v ?? '')} data={METRICS.map((m) => ({ value: m, label: t(`dash.metric.${m}`) }))} />
        <Select label={t('dash.levelPicker')} size="xs" w={140} value={level} allowDeselect={false} onChange={(v) => setFilter('level', v ?? '')} data={['agent', 'group', 'team'].map((l) => ({ value: l, label: t(`dash.level.${l}`) }))} />
        <TextInput key={minSample} label={t('dash.minSample')} size="xs" w={120} type="number" min={0} defaultValue={minSample} onBlur={(e) => setFilter('minSample', e.currentTarget.value)} />
        <CsvButton onClick={() => void exportCsv()} />
      </Group>
      <QueryState error={ranking.error} pending={ranking.isPending} />
      {ranking.data && (
        <>
          <Text size="sm" c="dimmed" data-testid="ranking-summary">
            {t('dash.rankingSummary', { eligible: ranking.data.eligible, excluded: ranking.data.excluded.length, minSample: ranking.data.minSample })}
          </Text>
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            {side(t('dash.top'), ranking.data.top, '#2b8a3e', 'ranking-top')}
            {side(t('dash.bottom'), ranking.data.bottom, '#c92a2a', 'ranking-bottom')}
          </SimpleGrid>
          {ranking.data.excluded.length > 0 && (
            <Text size="sm" data-testid="ranking-excluded">
              {t('dash.excludedList', { names: ranking.data.excluded.map((e) => `${label(e)} (${t(`dash.reason.${e.reason}`)}, n=${e.sample})`).join(', ') })}
            </Text>
          )}
        </>
      )}
    </Stack>
  );
}
