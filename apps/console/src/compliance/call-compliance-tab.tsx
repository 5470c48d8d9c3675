import { Alert, Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../api.js';
import { ToneBadge } from '../components/badges.js';
import { QueryState } from '../components/query-state.js';
import { useFormat } from '../format.js';
import { PagedTable } from '../desk/paged-table.js';
import { useUrlFilters } from '../url-filters.js';
import { type AuditEntry, auditColumns } from './audit-tab.js';
import { ErrorList } from './opt-outs-tab.js';

interface HoldState {
  callId: string;
  legalHold: boolean;
  reason: string | null;
  placedBy: string | null;
  placedAt: string | null;
  recordingDeletedAt: string | null;
}

const NO_FILTERS = [] as const;

/** One call for the compliance officer: legal hold on/off with a reason, the evidence bundle, and its audit trail. */
export function CallComplianceTab() {
  const { t } = useTranslation('desk');
  const format = useFormat();
  const { id = '' } = useParams();
  const client = useQueryClient();
  const url = useUrlFilters(NO_FILTERS);
  const [reason, setReason] = useState('');
  const hold = useQuery({ queryKey: ['legal-hold', id], queryFn: () => api<HoldState>(`/v1/calls/${id}/legal-hold`) });
  const change = useMutation({
    mutationFn: (place: boolean) => (place ? api<HoldState>(`/v1/calls/${id}/legal-hold`, { method: 'PUT', body: { reason } }) : api<HoldState>(`/v1/calls/${id}/legal-hold`, { method: 'DELETE' })),
    onSuccess: (state) => {
      client.setQueryData(['legal-hold', id], state);
      setReason('');
      void client.invalidateQueries({ queryKey: ['/v1/audit'] });
    },
  });
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={3} size="h4">
          {t('hold.title', { id: id.slice(0, 8) })}
        </Title>
        <Group gap="xs">
          <Button component={Link} to={`/calls/${id}`} variant="default" size="xs">
            {t('hold.openCall')}
          </Button>
          <Button component="a" href={`/v1/calls/${id}/evidence-bundle`} download size="xs" data-testid="evidence-download">
            {t('evidence.download')}
          </Button>
        </Group>
      </Group>
      <QueryState error={hold.error} pending={hold.isPending} />
      {hold.data && (
        <Paper withBorder p="sm" data-testid="legal-hold">
          <Group mb="xs">
            <Text fw={600}>{t('hold.state')}</Text>
            {hold.data.legalHold ? <ToneBadge tone="indigo" filled>{t('hold.on')}</ToneBadge> : <ToneBadge tone="gray">{t('hold.off')}</ToneBadge>}
            {hold.data.recordingDeletedAt && <ToneBadge tone="red">{t('hold.recordingDeleted', { at: format.dateTime(hold.data.recordingDeletedAt) })}</ToneBadge>}
          </Group>
          {hold.data.legalHold && (
            <Text size="sm" mb="xs">
              {t('hold.placedBy', { reason: hold.data.reason, by: hold.data.placedBy, at: format.dateTime(hold.data.placedAt) })}
            </Text>
          )}
          <form
            onSubmit={(event) => {
              event.preventDefault();
              change.mutate(true);
            }}
          >
            <Group align="flex-end">
              <TextInput label={hold.data.legalHold ? t('hold.changeReason') : t('hold.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} w={360} size="xs" />
              <Button type="submit" size="xs" disabled={reason.trim() === ''} loading={change.isPending && change.variables === true}>
                {hold.data.legalHold ? t('hold.update') : t('hold.place')}
              </Button>
              {hold.data.legalHold && (
                <Button size="xs" variant="light" color="red" onClick={() => change.mutate(false)} loading={change.isPending && change.variables === false}>
                  {t('hold.release')}
                </Button>
              )}
            </Group>
          </form>
          {change.error && <ErrorList error={change.error} />}
        </Paper>
      )}
      <Alert color="gray" variant="light">
        {t('evidence.help')}
      </Alert>
      <Title order={4} size="h5">
        {t('hold.auditTrail')}
      </Title>
      <PagedTable<AuditEntry> path="/v1/audit" params={{ callId: id }} paging={url} pageSize={1000} csvName={`audit-${id}`} testId="call-audit" rowKey={(row) => row.id} columns={auditColumns(t)} />
    </Stack>
  );
}
