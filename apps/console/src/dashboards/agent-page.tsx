import { Anchor, Card, Group, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { QueueItemView } from '#libs/api-contract';
import { api, queryString } from '../api.js';
import { ToneBadge } from '../components/badges.js';
import { QueryState } from '../components/query-state.js';
import { useFormat } from '../format.js';
import { TrendChart } from './charts.js';
import { downloadCsv } from './csv.js';
import { DashboardHeader } from './dashboard-nav.js';
import { DIMENSIONS, METRICS, useAgentCalls, useAgentScorecard, type AgentCallsView, type Dimension, type Metric } from './dashboards-api.js';
import { FigureCell } from './figure.js';
import { CsvButton, ScopeBar, useDashboardUrl } from './scope-bar.js';

/** One agent: the scorecard of every figure, a trend, the worst and best calls, open findings and disputes. */
export default function AgentPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const ref = useParams().agent ?? '';
  const { filters, setFilter, scope } = useDashboardUrl(['metric', 'granularity'] as const);
  const metric: Metric = METRICS.includes(filters.metric as Metric) ? (filters.metric as Metric) : 'qaScoreMean';
  const granularity = filters.granularity === 'week' ? 'week' : 'day';
  const card = useAgentScorecard(ref, scope, granularity);
  const calls = useAgentCalls(ref, scope);
  const findings = useQuery({
    queryKey: ['dash', 'agent-findings', ref, scope],
    queryFn: () => api<{ items: QueueItemView[] }>(`/v1/findings${queryString({ agent: ref, status: 'pending', limit: 20, campaign: scope.campaign })}`),
  });
  const agent = card.data?.agent;
  const points = (card.data?.trend.buckets ?? []).map((b) => ({ period: b.period, value: b.figures[metric]?.value ?? null, sample: b.figures[metric]?.sample ?? 0 }));
  const figure = card.data?.figures[metric];

  const callTable = (title: string, list: AgentCallsView['worst'], testId: string) => (
    <Stack gap={4} data-testid={testId}>
      <Title order={3} size="h5">
        {title}
      </Title>
      {list.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('common.none')}
        </Text>
      ) : (
        <Table withTableBorder>
          <Table.Tbody>
            {list.map((c) => (
              <Table.Tr key={c.callId}>
                <Table.Td>
                  <Anchor component={Link} to={`/calls/${c.callId}`} size="sm">
                    {c.externalId ?? c.callId.slice(0, 8)}
                  </Anchor>
                </Table.Td>
                <Table.Td>{format.dateTime(c.startedAt)}</Table.Td>
                <Table.Td>
                  {format.number(c.score, 0)}{' '}
                  {c.autoFailed && (
                    <ToneBadge size="xs" tone="red">
                      {t('dash.autoFailed')}
                    </ToneBadge>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );

  return (
    <Stack gap="sm">
      <DashboardHeader title={agent ? t('dash.agentTitle', { name: agent.name, id: agent.externalId }) : t('dash.agentPage')} />
      {agent && (
        <Text size="sm" c="dimmed">
          {agent.teamId ? (
            <Anchor component={Link} to={`/dashboards?team=${agent.teamId}`} size="sm" underline="always">
              {agent.team}
            </Anchor>
          ) : null}
          {agent.group ? ` › ${agent.group}` : ''}
        </Text>
      )}
      <ScopeBar scope={scope} onChange={setFilter} answered={card.data?.period} />
      <QueryState error={card.error} pending={card.isPending} />
      {card.data && (
        <>
          <Group justify="space-between">
            <Title order={3} size="h4">
              {t('dash.scorecard')} · {t('dash.callsCount', { count: card.data.calls })}
            </Title>
            <CsvButton
              onClick={() =>
                void downloadCsv(
                  `earshot-agent-${agent?.externalId ?? ref}.csv`,
                  METRICS.map((m) => ({ metric: m, value: card.data.figures[m]?.value ?? null, sample: card.data.figures[m]?.sample ?? 0, state: card.data.figures[m]?.state ?? '' })),
                )
              }
            />
          </Group>
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} data-testid="scorecard">
            {(Object.keys(DIMENSIONS) as Dimension[]).map((d) => (
              <Card key={d} withBorder padding="sm">
                <Text fw={600} size="sm" mb={4}>
                  {t(`dash.dimension.${d}`)}
                </Text>
                {DIMENSIONS[d].map((m) => (
                  <Group key={m} justify="space-between" gap={4} wrap="nowrap">
                    <Anchor size="xs" component="button" type="button" onClick={() => setFilter('metric', m)} fw={m === metric ? 700 : 400}>
                      {t(`dash.metric.${m}`)}
                    </Anchor>
                    <FigureCell metric={m} figure={card.data.figures[m]} />
                  </Group>
                ))}
              </Card>
            ))}
          </SimpleGrid>
          <Group gap="sm" align="flex-end">
            <Select label={t('dash.metricPicker')} size="xs" w={240} value={metric} allowDeselect={false} searchable onChange={(v) => setFilter('metric', v ?? '')} data={METRICS.map((m) => ({ value: m, label: t(`dash.metric.${m}`) }))} />
            <Select label={t('dash.granularity')} size="xs" w={120} value={granularity} allowDeselect={false} onChange={(v) => setFilter('granularity', v ?? '')} data={[{ value: 'day', label: t('dash.day') }, { value: 'week', label: t('dash.week') }]} />
          </Group>
          {points.length === 0 ? (
            <Text c="dimmed">{t('dash.empty')}</Text>
          ) : (
            <TrendChart metric={metric} points={points} alertAt={figure?.alertAt ?? null} target={figure?.target ?? null} labels={{ alert: t('dash.alertLine'), target: t('dash.targetLine'), value: t(`dash.metric.${metric}`) }} />
          )}
        </>
      )}
      <QueryState error={calls.error} pending={calls.isPending} />
      {calls.data && (
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          {callTable(t('dash.worstCalls'), calls.data.worst, 'worst-calls')}
          {callTable(t('dash.bestCalls'), calls.data.best, 'best-calls')}
        </SimpleGrid>
      )}
      <Title order={3} size="h5">
        {t('dash.openFindings')}
      </Title>
      <QueryState error={findings.error} pending={findings.isPending} />
      {findings.data && (
        <Table withTableBorder data-testid="open-findings">
          <Table.Tbody>
            {findings.data.items.length === 0 && (
              <Table.Tr>
                <Table.Td c="dimmed">{t('common.none')}</Table.Td>
              </Table.Tr>
            )}
            {findings.data.items.map((f) => (
              <Table.Tr key={f.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/calls/${f.callId}`} size="sm">
                    {f.call.externalId ?? f.callId.slice(0, 8)}
                  </Anchor>
                </Table.Td>
                <Table.Td>{format.family(f.family, f.ruleId)}</Table.Td>
                <Table.Td>{t(`severity.${f.severity}`, { defaultValue: f.severity })}</Table.Td>
                <Table.Td>{format.dateTime(f.call.startedAt)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Title order={3} size="h5">
        {t('dash.disputes')}
      </Title>
      {calls.data && (
        <Table withTableBorder data-testid="disputes">
          <Table.Tbody>
            {calls.data.disputes.length === 0 && (
              <Table.Tr>
                <Table.Td c="dimmed">{t('common.none')}</Table.Td>
              </Table.Tr>
            )}
            {calls.data.disputes.map((d) => (
              <Table.Tr key={`${d.callId}:${d.at}`}>
                <Table.Td>
                  <Anchor component={Link} to={`/calls/${d.callId}`} size="sm">
                    {d.externalId ?? d.callId.slice(0, 8)}
                  </Anchor>
                </Table.Td>
                <Table.Td>{t(`dash.feedback.${d.kind}`, { defaultValue: d.kind })}</Table.Td>
                <Table.Td>{d.ruling ? t(`dash.ruling.${d.ruling}`, { defaultValue: d.ruling }) : ''}</Table.Td>
                <Table.Td>{d.reason}</Table.Td>
                <Table.Td>{format.dateTime(d.at)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
