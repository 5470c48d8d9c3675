import { Anchor, Button, Group, NumberInput, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../api.js';
import { ToneBadge } from '../components/badges.js';
import { QueryState } from '../components/query-state.js';
import { useFormat } from '../format.js';
import { useSession } from '../session.js';
import { useUrlFilters } from '../url-filters.js';
import { PagedTable } from '../desk/paged-table.js';
import { ErrorList } from './opt-outs-tab.js';

export interface Campaign {
  id: string;
  externalId: string;
  name: string;
  language: string | null;
  talkRatioAgentTarget: number;
  talkRatioTolerance: number;
  agentChannel: 'left' | 'right';
  vadDetector: 'energy' | 'silero';
  transcriptionModel: string | null;
  retentionDays: number | null;
  /** IANA zone cutting this campaign's dashboard days; null: the organisation's */
  timeZone: string | null;
}
interface ScheduleEntry {
  callId: string;
  externalId: string | null;
  campaign: string | null;
  startedAt: string;
  retentionDays: number | null;
  deleteAt: string | null;
  legalHold: boolean;
  legalHoldReason: string | null;
}

const FILTERS = ['campaign'] as const;

/** Retention per campaign (admins change it) and the date each stored recording will be deleted. */
export function RetentionTab() {
  const { t } = useTranslation('desk');
  const format = useFormat();
  const { me } = useSession();
  const url = useUrlFilters(FILTERS);
  const campaigns = useQuery({ queryKey: ['campaigns', 'full'], queryFn: () => api<{ items: Campaign[] }>('/v1/campaigns') });
  return (
    <Stack>
      <Paper withBorder p="sm">
        <Title order={3} size="h5" mb="xs">
          {t('retention.perCampaign')}
        </Title>
        <QueryState error={campaigns.error} pending={campaigns.isPending} />
        {campaigns.data && (
          <Table data-testid="retention-campaigns">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('retention.campaign')}</Table.Th>
                <Table.Th>{t('retention.days')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {campaigns.data.items.map((campaign) => (
                <Table.Tr key={campaign.id}>
                  <Table.Td>
                    {campaign.name || campaign.externalId} <Text span size="xs" c="dimmed">({campaign.externalId})</Text>
                  </Table.Td>
                  <Table.Td>{me?.role === 'admin' ? <RetentionEditor campaign={campaign} /> : campaign.retentionDays === null ? t('retention.forever') : t('retention.daysValue', { days: campaign.retentionDays })}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
      <Group align="flex-end">
        <Select
          label={t('retention.campaign')}
          data={(campaigns.data?.items ?? []).map((c) => ({ value: c.externalId, label: c.name || c.externalId }))}
          value={url.filters.campaign || null}
          onChange={(value) => url.setFilter('campaign', value ?? '')}
          clearable
          size="xs"
          w={220}
        />
        <Text size="xs" c="dimmed">
          {t('retention.scheduleHelp')}
        </Text>
      </Group>
      <PagedTable<ScheduleEntry>
        path="/v1/retention/schedule"
        params={url.filters}
        paging={url}
        pageSize={500}
        csvName="retention-schedule"
        testId="retention-schedule"
        rowKey={(row) => row.callId}
        columns={[
          {
            header: t('critical.call'),
            cell: (row) => (
              <Anchor component={Link} to={`/compliance/calls/${row.callId}`} size="sm" fw={600}>
                {row.externalId ?? row.callId.slice(0, 8)}
              </Anchor>
            ),
            csv: (row) => row.externalId ?? row.callId,
          },
          { header: t('retention.campaign'), cell: (row) => row.campaign ?? '—', csv: (row) => row.campaign },
          { header: t('critical.started'), cell: (row) => format.dateTime(row.startedAt), csv: (row) => row.startedAt },
          { header: t('retention.days'), cell: (row) => (row.retentionDays === null ? t('retention.forever') : row.retentionDays), csv: (row) => row.retentionDays },
          {
            header: t('retention.deleteAt'),
            cell: (row) =>
              row.legalHold ? (
                <ToneBadge tone="indigo">{t('retention.held')}</ToneBadge>
              ) : row.deleteAt ? (
                <Text size="sm" c={new Date(row.deleteAt) < new Date() ? 'red.9' : undefined}>
                  {format.dateTime(row.deleteAt)}
                </Text>
              ) : (
                t('retention.never')
              ),
            csv: (row) => (row.legalHold ? 'legal hold' : (row.deleteAt ?? 'never')),
          },
        ]}
      />
    </Stack>
  );
}

function RetentionEditor({ campaign }: { campaign: Campaign }) {
  const { t } = useTranslation('desk');
  const client = useQueryClient();
  const [days, setDays] = useState<number | string>(campaign.retentionDays ?? '');
  const save = useMutation({
    mutationFn: () => api(`/v1/campaigns/${encodeURIComponent(campaign.externalId)}`, { method: 'PUT', body: { retentionDays: days === '' ? null : Number(days) } }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['campaigns'] });
      void client.invalidateQueries({ queryKey: ['/v1/retention/schedule'] });
    },
  });
  return (
    <Stack gap={4}>
      <Group gap="xs" wrap="nowrap">
        <NumberInput aria-label={t('retention.daysFor', { campaign: campaign.externalId })} value={days} onChange={setDays} min={1} max={36500} size="xs" w={110} placeholder={t('retention.forever')} />
        <Button size="compact-sm" variant="default" onClick={() => save.mutate()} loading={save.isPending}>
          {t('table.save')}
        </Button>
        {save.isSuccess && (
          <Text size="xs" c="teal.9" role="status">
            {t('table.saved')}
          </Text>
        )}
      </Group>
      {save.error && <ErrorList error={save.error} />}
    </Stack>
  );
}
