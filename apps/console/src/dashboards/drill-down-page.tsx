import { Anchor, Breadcrumbs, Group, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { QueryState } from '../components/query-state.js';
import { downloadCsv } from './csv.js';
import { DashboardHeader } from './dashboard-nav.js';
import { DIMENSIONS, useDrillDown, useTeams, type Dimension, type Judged, type Metric } from './dashboards-api.js';
import { FigureCell, useFigureFormat } from './figure.js';
import { CsvButton, ScopeBar, useDashboardUrl } from './scope-bar.js';

const DIMENSION_KEYS = Object.keys(DIMENSIONS) as Dimension[];

interface Row {
  key: string;
  level: 'team' | 'group' | 'agent';
  name: string;
  /** where the name links to */
  href?: string;
  /** the trend of this row */
  trend?: string;
  data: Judged;
}

/** Team → group → agent: every figure of the chosen dimension with its threshold state and sample; CSV of what is shown. */
export default function DrillDownPage() {
  const { t } = useTranslation();
  const { filters, setFilter, scope, search } = useDashboardUrl(['team', 'dim'] as const);
  const dimension: Dimension = DIMENSION_KEYS.includes(filters.dim as Dimension) ? (filters.dim as Dimension) : 'compliance';
  const metrics: Metric[] = dimension === 'qa' ? [...DIMENSIONS.qa] : [...DIMENSIONS[dimension], 'qaScoreMean'];
  const teams = useTeams(scope);
  const drill = useDrillDown(filters.team, scope);
  const show = useFigureFormat();
  const keep = (extra: Record<string, string>) => {
    const params = new URLSearchParams(search);
    for (const [k, v] of Object.entries(extra)) params.set(k, v);
    return params.toString();
  };

  const rows: Row[] = filters.team
    ? drill.data
      ? [
          { key: 'team', level: 'team', name: drill.data.team.name, trend: `/dashboards/trends?${keep({ level: 'team', id: drill.data.team.id })}`, data: drill.data },
          ...drill.data.groups.flatMap((g): Row[] => [
            { key: `g:${g.id}`, level: 'group', name: g.name || t('dash.noGroup'), trend: g.id ? `/dashboards/trends?${keep({ level: 'group', id: g.id })}` : undefined, data: g },
            ...g.agents.map((a): Row => ({ key: `a:${a.id}`, level: 'agent', name: `${a.name} (${a.externalId})`, href: `/dashboards/agents/${encodeURIComponent(a.externalId)}?${keep({})}`, data: a })),
          ]),
        ]
      : []
    : (teams.data?.teams ?? []).map((team) => ({ key: team.id, level: 'team', name: team.name, href: `/dashboards?${keep({ team: team.id })}`, trend: `/dashboards/trends?${keep({ level: 'team', id: team.id })}`, data: team }));

  const exportCsv = () =>
    downloadCsv(
      `earshot-${filters.team ? 'drill-down' : 'teams'}-${dimension}.csv`,
      rows.map((r) => ({
        level: r.level,
        name: r.name,
        calls: r.data.calls,
        ...Object.fromEntries(metrics.flatMap((m) => [[m, r.data.figures[m]?.value ?? null], [`${m}_sample`, r.data.figures[m]?.sample ?? 0], [`${m}_state`, r.data.figures[m]?.state ?? '']])),
      })),
    );

  const current = filters.team ? drill : teams;
  return (
    <Stack gap="sm">
      <DashboardHeader title={t('dash.title')} />
      <ScopeBar scope={scope} onChange={setFilter} answered={current.data?.period} />
      <Group justify="space-between">
        <Breadcrumbs>
          <Anchor component={Link} to={`/dashboards?${keep({ team: '' })}`} size="sm">
            {t('dash.allTeams')}
          </Anchor>
          {drill.data && filters.team && <Text size="sm">{drill.data.team.name}</Text>}
        </Breadcrumbs>
        <Group gap="sm">
          <SegmentedControl
            size="xs"
            value={dimension}
            onChange={(v) => setFilter('dim', v)}
            data={DIMENSION_KEYS.map((d) => ({ value: d, label: t(`dash.dimension.${d}`) }))}
            aria-label={t('dash.dimensionPicker')}
          />
          <CsvButton onClick={() => void exportCsv()} />
        </Group>
      </Group>
      <QueryState error={current.error} pending={current.isPending && (filters.team === '' || drill.fetchStatus !== 'idle')} />
      {current.data && rows.length === 0 && <Text c="dimmed">{t('dash.empty')}</Text>}
      {rows.length > 0 && (
        <Table.ScrollContainer minWidth={900}>
          <Table striped highlightOnHover withTableBorder data-testid="drill-down">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t(filters.team ? 'dash.level.entity' : 'dash.level.team')}</Table.Th>
                <Table.Th>{t('dash.calls')}</Table.Th>
                {metrics.map((m) => (
                  <Table.Th key={m}>{t(`dash.metric.${m}`)}</Table.Th>
                ))}
                <Table.Th>{t('dash.trend')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.key} data-level={r.level}>
                  <Table.Td pl={r.level === 'agent' ? 'xl' : r.level === 'group' ? 'md' : undefined} fw={r.level === 'agent' ? undefined : 600}>
                    {r.href ? (
                      <Anchor component={Link} to={r.href} size="sm">
                        {r.name}
                      </Anchor>
                    ) : (
                      r.name
                    )}{' '}
                    {filters.team && (
                      <Text span size="xs" c="dimmed">
                        {t(`dash.level.${r.level}`)}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{r.data.calls}</Table.Td>
                  {metrics.map((m) => (
                    <Table.Td key={m}>
                      <FigureCell metric={m} figure={r.data.figures[m]} />
                    </Table.Td>
                  ))}
                  <Table.Td>
                    {r.trend && (
                      <Anchor component={Link} to={r.trend} size="xs">
                        {t('dash.trend')}
                      </Anchor>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {dimension === 'conversion' && drill.data && filters.team && (
        <Text size="xs" c="dimmed" data-testid="funnel">
          {t('dash.funnel', {
            connected: drill.data.dimensions.conversion.connectedCalls,
            intent: drill.data.dimensions.conversion.intentCalls,
            intentSales: drill.data.dimensions.conversion.intentSales,
            sales: drill.data.dimensions.conversion.sales,
            rate: show('saleFromIntentRate', drill.data.figures.saleFromIntentRate?.value),
          })}
        </Text>
      )}
    </Stack>
  );
}
