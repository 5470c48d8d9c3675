import { Paper, Stack, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ToneBadge } from '../components/badges.js';
import { FilterBar } from '../components/filter-bar.js';
import { useFormat } from '../format.js';
import { useUrlFilters } from '../url-filters.js';
import { PagedTable } from '../desk/paged-table.js';

interface Delivery {
  id: string;
  eventId: string;
  url: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  attemptLog: { at: string; statusCode?: number; error?: string; durationMs: number }[];
  deliveredAt: string | null;
  createdAt: string;
}

const FILTERS = ['status'] as const;

/** pending with attempts behind it is being retried with backoff; failed has given up */
function retryState(delivery: Delivery): 'delivered' | 'failed' | 'retrying' | 'pending' {
  if (delivery.status === 'pending' && delivery.attempts > 0) return 'retrying';
  return delivery.status;
}
const TONE = { delivered: 'teal', failed: 'red', retrying: 'orange', pending: 'gray' } as const;

export function DeliveriesTab() {
  const { t } = useTranslation('desk');
  const format = useFormat();
  const url = useUrlFilters(FILTERS);
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {t('deliveries.help')}
      </Text>
      <Paper withBorder p="sm">
        <FilterBar
          fields={[{ key: 'status', label: t('deliveries.status'), kind: 'select', options: ['pending', 'delivered', 'failed'].map((value) => ({ value, label: t(`deliveries.states.${value}`) })) }]}
          values={url.filters}
          onChange={(key, value) => url.setFilter(key as 'status', value)}
          onClear={url.clear}
        />
      </Paper>
      <PagedTable<Delivery>
        path="/v1/opt-outs/webhook-deliveries"
        params={url.filters}
        paging={url}
        pageSize={500}
        csvName="opt-out-webhook-deliveries"
        testId="deliveries-table"
        rowKey={(row) => row.id}
        columns={[
          { header: t('deliveries.createdAt'), cell: (row) => format.dateTime(row.createdAt), csv: (row) => row.createdAt },
          { header: t('deliveries.event'), cell: (row) => <Text size="xs" ff="monospace">{row.eventId}</Text>, csv: (row) => row.eventId },
          { header: t('deliveries.url'), cell: (row) => <Text size="xs">{row.url}</Text>, csv: (row) => row.url },
          {
            header: t('deliveries.status'),
            cell: (row) => <ToneBadge tone={TONE[retryState(row)]}>{t(`deliveries.states.${retryState(row)}`)}</ToneBadge>,
            csv: (row) => retryState(row),
          },
          { header: t('deliveries.attempts'), cell: (row) => row.attempts, csv: (row) => row.attempts },
          {
            header: t('deliveries.lastResult'),
            cell: (row) => {
              const last = row.attemptLog.at(-1);
              const text = row.lastStatusCode ? `HTTP ${row.lastStatusCode}` : (row.lastError ?? '—');
              return last ? (
                <Tooltip label={t('deliveries.lastAttempt', { at: format.dateTime(last.at), ms: last.durationMs })}>
                  <Text size="sm">{text}</Text>
                </Tooltip>
              ) : (
                text
              );
            },
            csv: (row) => row.lastError ?? row.lastStatusCode,
          },
          { header: t('deliveries.deliveredAt'), cell: (row) => format.dateTime(row.deliveredAt), csv: (row) => row.deliveredAt },
        ]}
      />
    </Stack>
  );
}
