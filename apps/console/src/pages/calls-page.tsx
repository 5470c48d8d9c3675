import { Paper, Stack, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { CallListItemView, Page } from '#libs/api-contract';
import { api, queryString } from '../api.js';
import { StatusBadge, ToneBadge } from '../components/badges.js';
import { FilterBar, type FilterField } from '../components/filter-bar.js';
import { Pager } from '../components/pager.js';
import { QueryState } from '../components/query-state.js';
import { useFormat } from '../format.js';
import { useSession } from '../session.js';
import { periodParams, useUrlFilters } from '../url-filters.js';
import { useCampaigns } from '../campaigns.js';

const FILTERS = ['q', 'agent', 'team', 'campaign', 'status', 'minScore', 'maxScore', 'hasCritical', 'from', 'to', 'limit'] as const;

export default function CallsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const navigate = useNavigate();
  const { me } = useSession();
  const url = useUrlFilters(FILTERS);
  const { filters } = url;
  const apiFilters = {
    ...filters,
    ...periodParams(filters.from, filters.to),
  };
  const calls = useQuery({
    queryKey: ['calls', apiFilters, url.cursor],
    queryFn: ({ signal }) => api<Page<CallListItemView>>(`/v1/calls${queryString({ ...apiFilters, cursor: url.cursor })}`, { signal }),
    placeholderData: keepPreviousData,
  });
  // agents and machines may not list campaigns; the filter is then free text
  const mayListCampaigns = me !== null && ['admin', 'qa_lead', 'compliance', 'trainer'].includes(me.role);
  const campaigns = useCampaigns(mayListCampaigns);

  const fields: FilterField[] = [
    { key: 'q', label: t('calls.search'), kind: 'text' },
    { key: 'agent', label: t('queue.agent'), kind: 'text' },
    { key: 'team', label: t('queue.team'), kind: 'text' },
    mayListCampaigns
      ? { key: 'campaign', label: t('queue.campaign'), kind: 'select', options: (campaigns.data?.items ?? []).map((c) => ({ value: c.externalId, label: c.name || c.externalId })) }
      : { key: 'campaign', label: t('queue.campaign'), kind: 'text' },
    { key: 'status', label: t('calls.status'), kind: 'select', options: ['queued', 'processing', 'completed', 'failed'].map((value) => ({ value, label: t(`status.${value}`) })) },
    { key: 'minScore', label: t('calls.minScore'), kind: 'number' },
    { key: 'maxScore', label: t('calls.maxScore'), kind: 'number' },
    {
      key: 'hasCritical',
      label: t('calls.hasCritical'),
      kind: 'select',
      options: [
        { value: 'true', label: t('calls.withCritical') },
        { value: 'false', label: t('calls.withoutCritical') },
      ],
    },
    { key: 'from', label: t('common.from'), kind: 'date' },
    { key: 'to', label: t('common.to'), kind: 'date' },
  ];
  const items = calls.data?.items ?? [];

  return (
    <Stack>
      <Title order={2}>{t('calls.title')}</Title>
      <Paper withBorder p="sm">
        <FilterBar fields={fields} values={filters} onChange={(key, value) => url.setFilter(key as (typeof FILTERS)[number], value)} onClear={url.clear} />
      </Paper>
      <QueryState error={calls.error} pending={calls.isPending} />
      {calls.data && items.length === 0 && <Text c="dimmed">{t('calls.empty')}</Text>}
      {items.length > 0 && (
        <Table highlightOnHover verticalSpacing="xs" data-testid="calls-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('queue.call')}</Table.Th>
              <Table.Th>{t('calls.started')}</Table.Th>
              <Table.Th>{t('queue.agent')}</Table.Th>
              <Table.Th>{t('queue.campaign')}</Table.Th>
              <Table.Th>{t('calls.duration')}</Table.Th>
              <Table.Th>{t('calls.status')}</Table.Th>
              <Table.Th>{t('calls.score')}</Table.Th>
              <Table.Th>{t('calls.critical')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((call) => (
              <Table.Tr key={call.id} className="queue-row" data-call-id={call.id} onClick={() => navigate(`/calls/${call.id}`)}>
                <Table.Td>
                  <Text size="sm" fw={600} component="a" href={`/calls/${call.id}`} onClick={(event) => event.preventDefault()} c="indigo.9">
                    {call.externalId ?? call.id.slice(0, 8)}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {call.customerPhone}
                  </Text>
                </Table.Td>
                <Table.Td>{format.dateTime(call.startedAt, call.timeZone)}</Table.Td>
                <Table.Td>{call.agent ?? '—'}</Table.Td>
                <Table.Td>{call.campaign ?? '—'}</Table.Td>
                <Table.Td>{format.duration(call.durationSeconds)}</Table.Td>
                <Table.Td>
                  <StatusBadge status={call.status} />
                </Table.Td>
                <Table.Td>
                  {call.score === null ? '—' : format.number(call.score)}
                  {call.autoFailed ? ' ✕' : ''}
                </Table.Td>
                <Table.Td>{call.criticalFindings > 0 ? <ToneBadge tone="red" filled>
                      {call.criticalFindings}
                    </ToneBadge> : '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Pager page={url.pageNumber} hasPrevious={url.hasPrevious} nextCursor={calls.data?.nextCursor} onPrevious={url.previousPage} onNext={url.nextPage} />
    </Stack>
  );
}
