import { Button, Group, Paper, Popover, Stack, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Page, QueueCountsView, QueueItemView } from '#libs/api-contract';
import { api, queryString } from '../api.js';
import { ReviewStateBadge, SeverityBadge, ToneBadge } from '../components/badges.js';
import { DismissDialog } from '../components/dismiss-dialog.js';
import { FilterBar, type FilterField } from '../components/filter-bar.js';
import { Pager } from '../components/pager.js';
import { QueryState } from '../components/query-state.js';
import { useFormat } from '../format.js';
import { useReadyMark } from '../perf-marks.js';
import { rememberQueue, useAssign, useReview } from '../review.js';
import { useSession } from '../session.js';
import { periodParams, useUrlFilters } from '../url-filters.js';
import { useCampaigns } from '../campaigns.js';

const FILTERS = ['campaign', 'team', 'agent', 'family', 'ruleId', 'severity', 'status', 'from', 'to', 'limit'] as const;

export function QueuePage() {
  const { t } = useTranslation();
  const format = useFormat();
  const navigate = useNavigate();
  const { me } = useSession();
  const url = useUrlFilters(FILTERS);
  const { filters } = url;
  // a review queue opens on what is still to review; status=all shows every decision too
  const status = filters.status === 'all' ? undefined : filters.status || 'pending';
  const apiFilters = {
    campaign: filters.campaign,
    team: filters.team,
    agent: filters.agent,
    family: filters.family,
    ruleId: filters.ruleId,
    severity: filters.severity,
    status,
    ...periodParams(filters.from, filters.to),
  };
  const page = useQuery({
    queryKey: ['queue', 'page', apiFilters, url.cursor, filters.limit],
    queryFn: ({ signal }) => api<Page<QueueItemView>>(`/v1/findings${queryString({ ...apiFilters, cursor: url.cursor, limit: filters.limit })}`, { signal }),
    placeholderData: keepPreviousData,
  });
  // the findings first: counts and the campaign list follow once the page is on screen, so they do not compete with it
  const counts = useQuery({
    queryKey: ['queue', 'counts', apiFilters],
    queryFn: ({ signal }) => api<QueueCountsView>(`/v1/findings/counts${queryString(apiFilters)}`, { signal }),
    enabled: page.data !== undefined,
  });
  const campaigns = useCampaigns(page.data !== undefined);

  const items = useMemo(() => page.data?.items ?? [], [page.data]);
  useReadyMark('earshot:queue-rendered', items.length > 0);
  // the selection belongs to the page it was made on: a new page starts at its first finding
  const [selection, setSelection] = useState<{ page: unknown; index: number }>({ page: null, index: 0 });
  const selected = selection.page === page.data ? selection.index : 0;
  const setSelected = (next: (index: number) => number) => setSelection({ page: page.data, index: next(selected) });
  useEffect(() => {
    if (items.length > 0) rememberQueue({ search: url.search, findings: items.map((item) => ({ id: item.id, callId: item.callId })) });
  }, [items, url.search]);

  const review = useReview();
  const assign = useAssign();
  const [dismissing, setDismissing] = useState<QueueItemView | null>(null);
  const current = items[selected];
  const open = (item: QueueItemView | undefined) => item && navigate(`/calls/${item.callId}?finding=${item.id}`);
  useHotkeys([
    ['j', () => setSelected((i) => Math.min(i + 1, items.length - 1))],
    ['k', () => setSelected((i) => Math.max(i - 1, 0))],
    ['Enter', () => open(current)],
    ['c', () => current && review.mutate({ findingId: current.id, decision: 'confirmed', expectedState: current.reviewState })],
    ['d', () => current && setDismissing(current)],
  ]);

  const fields: FilterField[] = [
    { key: 'campaign', label: t('queue.campaign'), kind: 'select', options: (campaigns.data?.items ?? []).map((c) => ({ value: c.externalId, label: c.name || c.externalId })) },
    { key: 'team', label: t('queue.team'), kind: 'text' },
    { key: 'agent', label: t('queue.agent'), kind: 'text' },
    { key: 'family', label: t('queue.family'), kind: 'text' },
    { key: 'ruleId', label: t('queue.rule'), kind: 'text' },
    { key: 'severity', label: t('queue.severity'), kind: 'select', options: ['critical', 'major', 'minor'].map((value) => ({ value, label: t(`severity.${value}`) })) },
    {
      key: 'status',
      label: t('queue.state'),
      kind: 'select',
      options: [...['pending', 'confirmed', 'dismissed'].map((value) => ({ value, label: t(`reviewState.${value}`) })), { value: 'all', label: t('common.all') }],
    },
    { key: 'from', label: t('common.from'), kind: 'date' },
    { key: 'to', label: t('common.to'), kind: 'date' },
  ];

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t('queue.title')}</Title>
        {counts.data && (
          <Group gap="xs" data-testid="queue-counts">
            <Text fw={600}>{t('queue.count', { total: counts.data.total })}</Text>
            {(['critical', 'major', 'minor'] as const).map((severity) => (
              <ToneBadge key={severity} tone="gray" data-testid={`count-${severity}`}>
                {t(`severity.${severity}`)} {counts.data.bySeverity[severity]}
              </ToneBadge>
            ))}
          </Group>
        )}
      </Group>
      <Paper withBorder p="sm">
        <FilterBar fields={fields} values={{ ...filters, status: filters.status || 'pending' }} onChange={(key, value) => url.setFilter(key as (typeof FILTERS)[number], value)} onClear={url.clear} />
      </Paper>
      <QueryState error={page.error} pending={page.isPending} />
      {page.data && items.length === 0 && <Text c="dimmed">{t('queue.empty')}</Text>}
      {items.length > 0 && (
        <Table highlightOnHover verticalSpacing="xs" data-testid="queue-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th style={{ whiteSpace: 'nowrap' }}>{t('queue.severity')}</Table.Th>
              <Table.Th>{t('queue.finding')}</Table.Th>
              <Table.Th>{t('queue.evidence')}</Table.Th>
              <Table.Th>{t('queue.call')}</Table.Th>
              <Table.Th style={{ whiteSpace: 'nowrap' }}>{t('queue.raised')}</Table.Th>
              <Table.Th style={{ whiteSpace: 'nowrap' }}>{t('queue.state')}</Table.Th>
              <Table.Th>{t('queue.assignedTo')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {items.map((item, index) => (
              <Table.Tr key={item.id} className="queue-row" data-selected={index === selected} data-finding-id={item.id} onClick={() => setSelected(() => index)} onDoubleClick={() => open(item)}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <SeverityBadge severity={item.severity} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm" fw={600} title={item.ruleId}>
                    {format.family(item.family, item.ruleId)}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {item.description}
                  </Text>
                </Table.Td>
                <Table.Td maw={360}>
                  <Text size="sm" lineClamp={2}>
                    {item.evidenceText ?? '—'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Button variant="subtle" size="compact-sm" onClick={() => open(item)}>
                    {item.call.externalId ?? item.callId.slice(0, 8)}
                  </Button>
                  <Text size="xs" c="dimmed">
                    {[item.call.agent, item.call.team, item.call.campaign].filter(Boolean).join(' · ')}
                  </Text>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Tooltip label={format.dateTime(item.createdAt)}>
                    <Text size="sm">{format.age(item.createdAt)}</Text>
                  </Tooltip>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <ReviewStateBadge state={item.reviewState} />
                </Table.Td>
                <Table.Td>
                  <AssignCell item={item} myEmail={me?.kind === 'user' ? me.email : null} onAssign={(reviewer) => assign.mutate({ findingId: item.id, reviewer })} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Pager page={url.pageNumber} hasPrevious={url.hasPrevious} nextCursor={page.data?.nextCursor} onPrevious={url.previousPage} onNext={url.nextPage} />
      <DismissDialog
        opened={dismissing !== null}
        busy={review.isPending}
        onClose={() => setDismissing(null)}
        onSubmit={(reason) => {
          if (dismissing) review.mutate({ findingId: dismissing.id, decision: 'dismissed', reason, expectedState: dismissing.reviewState }, { onSettled: () => setDismissing(null) });
        }}
      />
    </Stack>
  );
}

function AssignCell({ item, myEmail, onAssign }: { item: QueueItemView; myEmail: string | null; onAssign: (reviewer: string) => void }) {
  const { t } = useTranslation();
  const [reviewer, setReviewer] = useState('');
  return (
    <Stack gap={2} align="flex-start">
      <Text size="sm" c={item.assignedTo ? undefined : 'dimmed'} style={{ whiteSpace: 'nowrap' }}>
        {item.assignedTo ?? t('queue.unassigned')}
      </Text>
      <Group gap={4} wrap="nowrap">
        {myEmail && item.assignedTo !== myEmail && (
          <Button variant="light" size="compact-xs" onClick={() => onAssign(myEmail)}>
            {t('queue.assignToMe')}
          </Button>
        )}
        <Popover trapFocus position="bottom-end" withArrow>
          <Popover.Target>
            <Button variant="subtle" size="compact-xs">
              {t('queue.assignTo')}
            </Button>
          </Popover.Target>
          <Popover.Dropdown>
            <form
              onSubmit={(event) => {
                event.preventDefault();
                if (reviewer.trim()) onAssign(reviewer.trim());
              }}
            >
              <Group gap="xs" align="flex-end">
                <TextInput label={t('queue.assignee')} size="xs" type="email" value={reviewer} onChange={(e) => setReviewer(e.currentTarget.value)} />
                <Button type="submit" size="xs">
                  {t('queue.assign')}
                </Button>
              </Group>
            </form>
          </Popover.Dropdown>
        </Popover>
      </Group>
    </Stack>
  );
}
