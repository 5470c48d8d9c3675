import { Alert, Button, FileInput, Group, List, Modal, Paper, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.js';
import { ToneBadge } from '../components/badges.js';
import { FilterBar } from '../components/filter-bar.js';
import { QueryState } from '../components/query-state.js';
import { useFormat } from '../format.js';
import { useUrlFilters } from '../url-filters.js';
import { PagedTable } from '../desk/paged-table.js';
import { errorMessages, postForm } from '../desk/upload.js';

interface OptOut {
  id: string;
  phone: string;
  source: string;
  sourceCallId: string | null;
  evidence: string | null;
  effectiveAt: string;
  removedAt: string | null;
  createdAt: string;
}
interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  action: string;
  details: Record<string, unknown> | null;
}

const FILTERS = ['phone', 'country', 'includeRemoved', 'source'] as const;

export function OptOutsTab() {
  const { t } = useTranslation('desk');
  const format = useFormat();
  const url = useUrlFilters(FILTERS);
  const [removing, setRemoving] = useState<string | null>(null);
  const [history, setHistory] = useState<string | null>(null);
  return (
    <Stack>
      <AddOptOut />
      <ImportOptOuts />
      <Paper withBorder p="sm">
        <Group align="flex-end">
          <FilterBar
            fields={[
              { key: 'phone', label: t('optOuts.searchPhone'), kind: 'text' },
              { key: 'country', label: t('optOuts.country'), kind: 'text' },
              { key: 'source', label: t('optOuts.source'), kind: 'select', options: ['manual', 'import', 'call_detected', 'sms_unsubscribe'].map((value) => ({ value, label: t(`optOuts.sources.${value}`) })) },
            ]}
            values={url.filters}
            onChange={(key, value) => url.setFilter(key as (typeof FILTERS)[number], value)}
            onClear={url.clear}
          />
          <Switch label={t('optOuts.includeRemoved')} checked={url.filters.includeRemoved === 'true'} onChange={(event) => url.setFilter('includeRemoved', event.currentTarget.checked ? 'true' : '')} />
        </Group>
      </Paper>
      <PagedTable<OptOut>
        path="/v1/opt-outs"
        params={{ ...url.filters, phone: url.filters.phone || undefined, country: url.filters.country || undefined }}
        paging={url}
        pageSize={500}
        csvName="opt-outs"
        testId="opt-outs-table"
        rowKey={(row) => row.id}
        columns={[
          { header: t('optOuts.phone'), cell: (row) => <Text fw={600} size="sm">{row.phone}</Text>, csv: (row) => row.phone },
          { header: t('optOuts.source'), cell: (row) => t(`optOuts.sources.${row.source}`, { defaultValue: row.source }), csv: (row) => row.source },
          { header: t('optOuts.reason'), cell: (row) => row.evidence ?? '—', csv: (row) => row.evidence },
          { header: t('optOuts.effectiveAt'), cell: (row) => format.dateTime(row.effectiveAt), csv: (row) => row.effectiveAt },
          {
            header: t('optOuts.state'),
            cell: (row) => (row.removedAt ? <ToneBadge tone="gray">{t('optOuts.removedAt', { at: format.dateTime(row.removedAt) })}</ToneBadge> : <ToneBadge tone="red">{t('optOuts.active')}</ToneBadge>),
            csv: (row) => row.removedAt ?? 'active',
          },
          {
            header: t('table.actions'),
            cell: (row) => (
              <Group gap={4} wrap="nowrap">
                <Button size="compact-xs" variant="default" onClick={() => setHistory(row.phone)}>
                  {t('optOuts.history')}
                </Button>
                {!row.removedAt && (
                  <Button size="compact-xs" color="red" variant="light" onClick={() => setRemoving(row.phone)}>
                    {t('optOuts.remove')}
                  </Button>
                )}
              </Group>
            ),
          },
        ]}
      />
      {removing && <RemoveDialog phone={removing} onClose={() => setRemoving(null)} />}
      {history && <HistoryDialog phone={history} onClose={() => setHistory(null)} />}
    </Stack>
  );
}

function AddOptOut() {
  const { t } = useTranslation('desk');
  const client = useQueryClient();
  const [phone, setPhone] = useState('');
  const [country, setCountry] = useState('');
  const [reason, setReason] = useState('');
  const add = useMutation({
    mutationFn: () => api<{ created: boolean; optOut: OptOut }>('/v1/opt-outs', { method: 'POST', body: { phone, country: country || undefined, evidence: reason, source: 'manual' } }),
    onSuccess: () => {
      setPhone('');
      setReason('');
      void client.invalidateQueries({ queryKey: ['/v1/opt-outs'] });
    },
  });
  return (
    <Paper withBorder p="sm">
      <Title order={3} size="h5" mb="xs">
        {t('optOuts.addTitle')}
      </Title>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          add.mutate();
        }}
      >
        <Group align="flex-end">
          <TextInput label={t('optOuts.phone')} value={phone} onChange={(e) => setPhone(e.currentTarget.value)} required size="xs" w={180} />
          <TextInput label={t('optOuts.country')} value={country} onChange={(e) => setCountry(e.currentTarget.value)} size="xs" w={90} placeholder="US" />
          <TextInput label={t('optOuts.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} required size="xs" w={320} />
          <Button type="submit" size="xs" loading={add.isPending}>
            {t('optOuts.add')}
          </Button>
        </Group>
      </form>
      {add.isSuccess && (
        <Text size="sm" c="teal.9" mt="xs" role="status">
          {add.data.created ? t('optOuts.added', { phone: add.data.optOut.phone }) : t('optOuts.already', { phone: add.data.optOut.phone })}
        </Text>
      )}
      {add.error && <ErrorList error={add.error} />}
    </Paper>
  );
}

function ImportOptOuts() {
  const { t } = useTranslation('desk');
  const client = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const run = useMutation({
    mutationFn: () => {
      const form = new FormData();
      if (file) form.set('file', file);
      return postForm<{ rows: number; added?: number; skipped?: number }>('/v1/opt-outs/import', form);
    },
    onSuccess: () => void client.invalidateQueries({ queryKey: ['/v1/opt-outs'] }),
  });
  return (
    <Paper withBorder p="sm">
      <Title order={3} size="h5" mb="xs">
        {t('optOuts.importTitle')}
      </Title>
      <Text size="xs" c="dimmed" mb="xs">
        {t('optOuts.importHelp')}
      </Text>
      <Group align="flex-end">
        <FileInput label={t('optOuts.csvFile')} value={file} onChange={setFile} accept=".csv,text/csv" size="xs" w={280} clearable clearButtonProps={{ 'aria-label': t('optOuts.clearFile') }} />
        <Button size="xs" onClick={() => run.mutate()} disabled={!file} loading={run.isPending}>
          {t('optOuts.import')}
        </Button>
      </Group>
      {run.isSuccess && (
        <Text size="sm" c="teal.9" mt="xs" role="status">
          {t('optOuts.imported', { rows: run.data.rows })}
        </Text>
      )}
      {run.error && <ErrorList error={run.error} title={t('optOuts.importRejected')} />}
    </Paper>
  );
}

export function ErrorList({ error, title }: { error: unknown; title?: string }) {
  const messages = errorMessages(error);
  return (
    <Alert color="red" mt="xs" role="alert" title={title} data-testid="api-errors">
      <List size="sm">
        {messages.map((message, index) => (
          <List.Item key={index}>{message}</List.Item>
        ))}
      </List>
    </Alert>
  );
}

function RemoveDialog({ phone, onClose }: { phone: string; onClose: () => void }) {
  const { t } = useTranslation('desk');
  const client = useQueryClient();
  const [reason, setReason] = useState('');
  const remove = useMutation({
    mutationFn: () => api(`/v1/opt-outs/${encodeURIComponent(phone)}?reason=${encodeURIComponent(reason)}`, { method: 'DELETE' }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['/v1/opt-outs'] });
      onClose();
    },
  });
  return (
    <Modal opened onClose={onClose} title={t('optOuts.removeTitle', { phone })} closeButtonProps={{ 'aria-label': t('table.close') }}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          remove.mutate();
        }}
      >
        <Stack>
          <Text size="sm">{t('optOuts.removeHelp')}</Text>
          <TextInput label={t('optOuts.removeReason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} required data-autofocus />
          {remove.error && <ErrorList error={remove.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('table.cancel')}
            </Button>
            <Button type="submit" color="red" disabled={reason.trim() === ''} loading={remove.isPending}>
              {t('optOuts.remove')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function HistoryDialog({ phone, onClose }: { phone: string; onClose: () => void }) {
  const { t } = useTranslation('desk');
  const format = useFormat();
  const history = useQuery({
    queryKey: ['opt-out-history', phone],
    queryFn: () => api<{ phone: string; entries: OptOut[]; events: AuditEntry[] }>(`/v1/opt-outs/${encodeURIComponent(phone)}/history`),
  });
  return (
    <Modal opened onClose={onClose} title={t('optOuts.historyTitle', { phone })} size="xl" closeButtonProps={{ 'aria-label': t('table.close') }}>
      <QueryState error={history.error} pending={history.isPending} />
      {history.data && (
        <Table data-testid="opt-out-history">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('audit.at')}</Table.Th>
              <Table.Th>{t('audit.action')}</Table.Th>
              <Table.Th>{t('audit.actor')}</Table.Th>
              <Table.Th>{t('optOuts.reason')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {history.data.events.map((event) => (
              <Table.Tr key={event.id}>
                <Table.Td>{format.dateTime(event.at)}</Table.Td>
                <Table.Td>{t(`optOuts.events.${event.action.replace('opt_out.', '')}`, { defaultValue: event.action })}</Table.Td>
                <Table.Td>{event.actor}</Table.Td>
                <Table.Td>{String(event.details?.reason ?? event.details?.evidence ?? '—')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Modal>
  );
}
