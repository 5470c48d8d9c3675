import { Anchor, Button, Chip, Group, Paper, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { QueueCountsView, QueueItemView } from '#libs/api-contract';
import { api, queryString } from '../api.js';
import { ToneBadge } from '../components/badges.js';
import { FilterBar } from '../components/filter-bar.js';
import { QueryState } from '../components/query-state.js';
import { useFormat } from '../format.js';
import { periodParams, useUrlFilters } from '../url-filters.js';
import { PagedTable } from '../desk/paged-table.js';

const FILTERS = ['family', 'status', 'campaign', 'from', 'to'] as const;
const STATE_TONE = { pending: 'orange', confirmed: 'red', dismissed: 'gray' } as const;

/** Critical findings by rule family: counts as chips, the findings of the chosen family below, each with its call's evidence and hold. */
export function CriticalTab() {
  const { t } = useTranslation('desk');
  const { t: tc } = useTranslation();
  const format = useFormat();
  const url = useUrlFilters(FILTERS);
  const { family, ...rest } = url.filters;
  const params = { severity: 'critical', status: rest.status || undefined, campaign: rest.campaign || undefined, ...periodParams(rest.from, rest.to) };
  const counts = useQuery({
    queryKey: ['critical-counts', params],
    queryFn: () => api<QueueCountsView>(`/v1/findings/counts${queryString(params)}`),
  });
  const families = Object.entries(counts.data?.byFamily ?? {});
  return (
    <Stack>
      <Paper withBorder p="sm">
        <FilterBar
          fields={[
            { key: 'status', label: t('critical.reviewState'), kind: 'select', options: ['pending', 'confirmed', 'dismissed'].map((value) => ({ value, label: tc(`reviewState.${value}`) })) },
            { key: 'campaign', label: t('critical.campaign'), kind: 'text' },
            { key: 'from', label: tc('common.from'), kind: 'date' },
            { key: 'to', label: tc('common.to'), kind: 'date' },
          ]}
          values={url.filters}
          onChange={(key, value) => url.setFilter(key as (typeof FILTERS)[number], value)}
          onClear={url.clear}
        />
      </Paper>
      <QueryState error={counts.error} pending={counts.isPending} />
      {counts.data && (
        <Group gap="xs" data-testid="critical-families">
          <Chip checked={!family} onChange={() => url.setFilter('family', '')} size="sm">
            {t('critical.allFamilies', { count: counts.data.bySeverity.critical })}
          </Chip>
          {families.map(([name, count]) => (
            <Chip key={name} checked={family === name} onChange={() => url.setFilter('family', family === name ? '' : name)} size="sm">
              {format.family(name, name)} · {count}
            </Chip>
          ))}
          {families.length === 0 && <Text c="dimmed">{t('critical.none')}</Text>}
        </Group>
      )}
      <PagedTable<QueueItemView>
        path="/v1/findings"
        params={{ ...params, family: family || undefined }}
        paging={url}
        pageSize={200}
        csvName="critical-findings"
        testId="critical-table"
        rowKey={(row) => row.id}
        columns={[
          {
            header: t('critical.call'),
            cell: (row) => (
              <Anchor component={Link} to={`/calls/${row.callId}`} size="sm" fw={600}>
                {row.call.externalId ?? row.callId.slice(0, 8)}
              </Anchor>
            ),
            csv: (row) => row.call.externalId ?? row.callId,
          },
          { header: t('critical.started'), cell: (row) => format.dateTime(row.call.startedAt), csv: (row) => row.call.startedAt },
          { header: t('critical.family'), cell: (row) => format.family(row.family, row.ruleId), csv: (row) => row.family ?? row.ruleId },
          { header: t('critical.agent'), cell: (row) => row.call.agent ?? '—', csv: (row) => row.call.agent },
          { header: t('critical.campaign'), cell: (row) => row.call.campaign ?? '—', csv: (row) => row.call.campaign },
          { header: t('critical.evidence'), cell: (row) => <Text size="xs" lineClamp={2}>{row.evidenceText ?? row.description}</Text>, csv: (row) => row.evidenceText },
          { header: t('critical.reviewState'), cell: (row) => <ToneBadge tone={STATE_TONE[row.reviewState]}>{tc(`reviewState.${row.reviewState}`)}</ToneBadge>, csv: (row) => row.reviewState },
          {
            header: t('table.actions'),
            cell: (row) => (
              <Group gap={4} wrap="nowrap">
                <Button component="a" href={`/v1/calls/${row.callId}/evidence-bundle`} download size="compact-xs" variant="default">
                  {t('evidence.download')}
                </Button>
                <Button component={Link} to={`/compliance/calls/${row.callId}`} size="compact-xs" variant="light">
                  {t('hold.manage')}
                </Button>
              </Group>
            ),
          },
        ]}
      />
    </Stack>
  );
}
