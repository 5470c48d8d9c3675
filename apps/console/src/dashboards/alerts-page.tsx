import { Anchor, Button, Group, Select, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, queryString } from '../api.js';
import { ToneBadge } from '../components/badges.js';
import { QueryState } from '../components/query-state.js';
import { useFormat } from '../format.js';
import { useUrlFilters } from '../url-filters.js';
import { downloadCsv } from './csv.js';
import { DashboardHeader } from './dashboard-nav.js';
import type { AlertView } from './dashboards-api.js';
import { useFigureFormat } from './figure.js';
import { CsvButton } from './scope-bar.js';

const KEYS = ['status', 'entityKind', 'acknowledged'] as const;

/** Where an alert's subject is read: the drill-down of its day (agent page, team or trend), the period set to that day. */
function drillDownLink(alert: AlertView): string | null {
  const day = alert.period ? `from=${alert.period}&to=${alert.period}` : '';
  switch (alert.entityKind) {
    case 'agent':
      return alert.entity.externalId ? `/dashboards/agents/${encodeURIComponent(alert.entity.externalId)}?${day}` : null;
    case 'team':
      return `/dashboards?team=${alert.entityId}&${day}`;
    case 'group':
      return `/dashboards/trends?level=group&id=${alert.entityId}&metric=${alert.metric}&${day}`;
    case 'campaign':
      return alert.entity.externalId ? `/dashboards?campaign=${encodeURIComponent(alert.entity.externalId)}&${day}` : null;
  }
}

/** Threshold alerts: what crossed which threshold, when, for whom, the webhook delivery of each; acknowledge. */
export default function AlertsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const show = useFigureFormat();
  const client = useQueryClient();
  const { filters, setFilter } = useUrlFilters(KEYS);
  const alerts = useQuery({
    queryKey: ['dash', 'alerts', filters],
    queryFn: () => api<{ items: AlertView[] }>(`/v1/alerts${queryString({ ...filters, limit: 200 })}`),
  });
  const acknowledge = useMutation({
    mutationFn: (id: string) => api<AlertView>(`/v1/alerts/${id}/acknowledge`, { method: 'POST' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['dash', 'alerts'] }),
  });
  const items = alerts.data?.items ?? [];
  const subject = (a: AlertView) => (a.entity.externalId ? `${a.entity.name ?? ''} (${a.entity.externalId})` : (a.entity.name ?? a.entityId));
  const exportCsv = () =>
    downloadCsv(
      'earshot-alerts.csv',
      items.map((a) => ({
        raisedAt: a.raisedAt,
        period: a.period,
        level: a.entityKind,
        subject: subject(a),
        threshold: a.thresholdId,
        metric: a.metric,
        value: a.value,
        currentValue: a.currentValue,
        op: a.op,
        limit: a.threshold,
        sample: a.sample,
        status: a.status,
        acknowledgedBy: a.acknowledgedBy,
        delivery: a.delivery?.status ?? '',
      })),
    );
  return (
    <Stack gap="sm">
      <DashboardHeader title={t('dash.views.alerts')} />
      <Group gap="sm" align="flex-end" role="search">
        <Select label={t('dash.alertStatus')} size="xs" w={150} clearable placeholder={t('common.all')} value={filters.status || null} onChange={(v) => setFilter('status', v ?? '')} data={['open', 'cleared'].map((s) => ({ value: s, label: t(`dash.alertState.${s}`) }))} />
        <Select label={t('dash.levelPicker')} size="xs" w={150} clearable placeholder={t('common.all')} value={filters.entityKind || null} onChange={(v) => setFilter('entityKind', v ?? '')} data={['agent', 'group', 'team', 'campaign'].map((l) => ({ value: l, label: t(`dash.level.${l}`) }))} />
        <Select label={t('dash.acknowledged')} size="xs" w={150} clearable placeholder={t('common.all')} value={filters.acknowledged || null} onChange={(v) => setFilter('acknowledged', v ?? '')} data={[{ value: 'false', label: t('dash.notYet') }, { value: 'true', label: t('common.yes') }]} />
        <CsvButton onClick={() => void exportCsv()} />
      </Group>
      <QueryState error={alerts.error} pending={alerts.isPending} />
      {alerts.data && items.length === 0 && <Text c="dimmed">{t('dash.noAlerts')}</Text>}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={1000}>
          <Table striped withTableBorder data-testid="alerts">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('dash.raisedAt')}</Table.Th>
                <Table.Th>{t('dash.forWhom')}</Table.Th>
                <Table.Th>{t('dash.what')}</Table.Th>
                <Table.Th>{t('dash.valueAtFiring')}</Table.Th>
                <Table.Th>{t('dash.alertStatus')}</Table.Th>
                <Table.Th>{t('dash.webhook')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((a) => {
                const link = drillDownLink(a);
                return (
                  <Table.Tr key={a.id} data-alert={a.thresholdId} data-level={a.entityKind}>
                    <Table.Td>
                      {format.dateTime(a.raisedAt)}
                      <Text size="xs" c="dimmed">
                        {t('dash.dayUtc', { day: a.period ?? '—' })}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs" c="dimmed">
                        {t(`dash.level.${a.entityKind}`)}
                      </Text>
                      {link ? (
                        <Anchor component={Link} to={link} size="sm">
                          {subject(a)}
                        </Anchor>
                      ) : (
                        subject(a)
                      )}
                    </Table.Td>
                    <Table.Td>
                      <ToneBadge size="xs" tone={a.severity === 'critical' ? 'red' : 'orange'} mr={4}>
                        {t(`dash.severity.${a.severity}`, { defaultValue: a.severity })}
                      </ToneBadge>
                      {t(`dash.threshold.${a.thresholdId}`, { defaultValue: a.message })}
                    </Table.Td>
                    <Table.Td>
                      {t('dash.crossed', { metric: t(`dash.metric.${a.metric}`, { defaultValue: a.metric }), value: show(a.metric, a.value), op: a.op, limit: show(a.metric, a.threshold) })}
                      {a.sample !== null && (
                        <Text size="xs" c="dimmed">
                          {t('dash.sample', { n: a.sample })}
                        </Text>
                      )}
                      <Text size="xs" data-testid="current-value">
                        {t('dash.currentValue', { value: show(a.metric, a.currentValue) })}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <ToneBadge size="sm" tone={a.status === 'open' ? 'red' : 'gray'}>
                        {t(`dash.alertState.${a.status}`)}
                      </ToneBadge>
                      {a.acknowledgedAt && (
                        <Text size="xs" c="dimmed">
                          {t('dash.acknowledgedBy', { who: a.acknowledgedBy, when: format.dateTime(a.acknowledgedAt) })}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td data-testid="delivery">
                      {a.delivery ? (
                        <Tooltip label={a.delivery.lastError ?? (a.delivery.lastStatusCode ? `HTTP ${a.delivery.lastStatusCode}` : '')} disabled={!a.delivery.lastError && !a.delivery.lastStatusCode}>
                          <ToneBadge size="sm" tone={a.delivery.status === 'delivered' ? 'teal' : a.delivery.status === 'failed' ? 'red' : 'yellow'}>
                            {t(`dash.delivery.${a.delivery.status}`, { attempts: a.delivery.attempts })}
                          </ToneBadge>
                        </Tooltip>
                      ) : (
                        <Text size="xs" c="dimmed">
                          {t('dash.delivery.none')}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {!a.acknowledgedAt && (
                        <Button size="compact-xs" variant="default" loading={acknowledge.isPending && acknowledge.variables === a.id} onClick={() => acknowledge.mutate(a.id)}>
                          {t('dash.acknowledge')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {acknowledge.error && <QueryState error={acknowledge.error} pending={false} />}
    </Stack>
  );
}
