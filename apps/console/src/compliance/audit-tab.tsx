import { Alert, Anchor, Button, Code, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../api.js';
import { FilterBar } from '../components/filter-bar.js';
import { useFormat } from '../format.js';
import { periodParams, useUrlFilters } from '../url-filters.js';
import { PagedTable } from '../desk/paged-table.js';

export interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string | null;
  details: Record<string, unknown> | null;
  prevHash: string;
  hash: string;
}
type Verification = { ok: true; entries: number } | { ok: false; firstBrokenId: string; reason: string; entriesChecked: number };

const FILTERS = ['actor', 'action', 'callId', 'from', 'to'] as const;

export function AuditTab() {
  const { t } = useTranslation('desk');
  const { t: tc } = useTranslation();
  const url = useUrlFilters(FILTERS);
  const { from, to, ...rest } = url.filters;
  const verify = useMutation({
    mutationFn: async () => {
      const result = await api<Verification>('/v1/audit/verify');
      if (result.ok) return { result, broken: null };
      // the broken entry itself: the page of one entry before the next id
      const page = await api<{ items: AuditEntry[] }>(`/v1/audit?limit=1&cursor=${(BigInt(result.firstBrokenId) + 1n).toString()}`);
      return { result, broken: page.items[0] ?? null };
    },
  });
  return (
    <Stack>
      <Paper withBorder p="sm">
        <Group justify="space-between" align="flex-end">
          <FilterBar
            fields={[
              { key: 'actor', label: t('audit.actor'), kind: 'text' },
              { key: 'action', label: t('audit.action'), kind: 'text' },
              { key: 'callId', label: t('audit.callId'), kind: 'text' },
              { key: 'from', label: tc('common.from'), kind: 'date' },
              { key: 'to', label: tc('common.to'), kind: 'date' },
            ]}
            values={url.filters}
            onChange={(key, value) => url.setFilter(key as (typeof FILTERS)[number], value)}
            onClear={url.clear}
          />
          <Button onClick={() => verify.mutate()} loading={verify.isPending} color="indigo">
            {t('audit.verify')}
          </Button>
        </Group>
        <Text size="xs" c="dimmed" mt={4}>
          {t('audit.actionHelp')}
        </Text>
      </Paper>
      {verify.error && (
        <Alert color="red" role="alert">
          {(verify.error as Error).message}
        </Alert>
      )}
      {verify.data?.result.ok === true && (
        <Alert color="teal" role="status" data-testid="chain-ok" title={t('audit.chainOk')}>
          {t('audit.chainOkDetail', { count: verify.data.result.entries })}
        </Alert>
      )}
      {verify.data && !verify.data.result.ok && (
        <Alert color="red" role="alert" data-testid="chain-broken" title={t('audit.chainBroken', { id: verify.data.result.firstBrokenId })}>
          <Text size="sm">{t('audit.chainBrokenDetail', { reason: verify.data.result.reason, checked: verify.data.result.entriesChecked })}</Text>
          {verify.data.broken && (
            <Table mt="xs" withTableBorder>
              <Table.Tbody>
                <Table.Tr>
                  <Table.Th>{t('audit.id')}</Table.Th>
                  <Table.Td>{verify.data.broken.id}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{t('audit.at')}</Table.Th>
                  <Table.Td>
                    <AuditTime at={verify.data.broken.at} />
                  </Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{t('audit.actor')}</Table.Th>
                  <Table.Td>{verify.data.broken.actor}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{t('audit.action')}</Table.Th>
                  <Table.Td>{verify.data.broken.action}</Table.Td>
                </Table.Tr>
                <Table.Tr>
                  <Table.Th>{t('audit.details')}</Table.Th>
                  <Table.Td>
                    <Code>{JSON.stringify(verify.data.broken.details)}</Code>
                  </Table.Td>
                </Table.Tr>
              </Table.Tbody>
            </Table>
          )}
        </Alert>
      )}
      <PagedTable<AuditEntry>
        path="/v1/audit"
        params={{ ...rest, ...periodParams(from, to) }}
        paging={url}
        pageSize={1000}
        csvName="audit-log"
        testId="audit-table"
        rowKey={(row) => row.id}
        rowProps={(row) => ({ 'data-audit-id': row.id, style: verify.data && !verify.data.result.ok && verify.data.result.firstBrokenId === row.id ? { background: 'var(--mantine-color-red-0)' } : undefined })}
        columns={auditColumns(t)}
      />
    </Stack>
  );
}

export function auditColumns(t: (key: string) => string) {
  return [
    { header: t('audit.id'), cell: (row: AuditEntry) => row.id, csv: (row: AuditEntry) => row.id },
    { header: t('audit.at'), cell: (row: AuditEntry) => <AuditTime at={row.at} />, csv: (row: AuditEntry) => row.at },
    { header: t('audit.actor'), cell: (row: AuditEntry) => <Text size="sm">{row.actor}</Text>, csv: (row: AuditEntry) => row.actor },
    { header: t('audit.action'), cell: (row: AuditEntry) => <Code>{row.action}</Code>, csv: (row: AuditEntry) => row.action },
    {
      header: t('audit.entity'),
      cell: (row: AuditEntry) =>
        row.entityType === 'call' && row.entityId ? (
          <Anchor component={Link} to={`/compliance/calls/${row.entityId}`} size="sm">
            call {row.entityId.slice(0, 8)}
          </Anchor>
        ) : (
          <Text size="sm">
            {row.entityType} {row.entityId?.slice(0, 8) ?? ''}
          </Text>
        ),
      csv: (row: AuditEntry) => `${row.entityType}:${row.entityId ?? ''}`,
    },
    {
      header: t('audit.details'),
      cell: (row: AuditEntry) => (
        <Text size="xs" ff="monospace" lineClamp={2} maw={380}>
          {row.details ? JSON.stringify(row.details) : ''}
        </Text>
      ),
      csv: (row: AuditEntry) => (row.details ? JSON.stringify(row.details) : ''),
    },
  ];
}

function AuditTime({ at }: { at: string }) {
  const format = useFormat();
  return <>{format.dateTime(at)}</>;
}
