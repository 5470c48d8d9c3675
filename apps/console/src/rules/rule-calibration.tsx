import { Badge, Button, Checkbox, Group, NumberInput, Paper, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.js';
import type { CalibrationReport, Proportion, RecheckState } from './rules-api.js';

const CALIBRATION_DAYS = 90;
const DAY_MS = 86_400_000;

const pct = (v: number) => `${Math.round(v * 100)}%`;

function ProportionCell({ p }: { p: Proportion }) {
  if (p.value === null) return <>–</>;
  return (
    <>
      {pct(p.value)}{' '}
      <Text span size="xs" c="dimmed">
        {p.successes}/{p.trials}
        {p.ci95 ? ` [${pct(p.ci95.low)}–${pct(p.ci95.high)}]` : ''}
      </Text>
    </>
  );
}

/** Each rule of the pack with its calibration against reviewers (rules nobody reviewed yet say so). */
export function CalibrationPanel({ ruleIds }: { ruleIds: string[] }) {
  const { t } = useTranslation('rules');
  const [from] = useState(() => new Date(Date.now() - CALIBRATION_DAYS * DAY_MS).toISOString());
  const report = useQuery({ queryKey: ['calibration', from], queryFn: () => api<CalibrationReport>(`/v1/calibration?from=${encodeURIComponent(from)}`) });
  const byRule = new Map((report.data?.rules ?? []).map((r) => [r.ruleId, r]));
  if (ruleIds.length === 0) return null;
  return (
    <Paper withBorder p="sm" data-testid="calibration">
      <Title order={4} size="h5" mb={4}>
        {t('calibration', { days: CALIBRATION_DAYS })}
      </Title>
      <Text size="xs" c="dimmed" mb="xs">
        {t('calibrationHint')}
      </Text>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('rule')}</Table.Th>
            <Table.Th>{t('reviewed')}</Table.Th>
            <Table.Th>{t('precision')}</Table.Th>
            <Table.Th>{t('recall')}</Table.Th>
            <Table.Th>{t('kappa')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {ruleIds.map((id) => {
            const c = byRule.get(id);
            return (
              <Table.Tr key={id} data-rule={id}>
                <Table.Td>
                  {id}{' '}
                  {c?.belowFloor && report.data && (
                    <Badge size="xs" color="red" component="span">
                      {t('belowFloor', { floor: Math.round(report.data.floor * 100) })}
                    </Badge>
                  )}
                </Table.Td>
                {/* a rule that fired but nobody has decided on, nor added a miss for, has nothing to show yet */}
                {c && c.confirmed + c.dismissed + c.missed > 0 ? (
                  <>
                    <Table.Td>{c.confirmed + c.dismissed}</Table.Td>
                    <Table.Td>
                      <ProportionCell p={c.precision} />
                    </Table.Td>
                    <Table.Td>
                      <ProportionCell p={c.recall} />
                    </Table.Td>
                    <Table.Td>
                      {c.kappa.value === null ? '–' : c.kappa.value.toFixed(2)}
                      {c.kappa.ci95 && (
                        <Text span size="xs" c="dimmed">
                          {' '}
                          [{c.kappa.ci95.low.toFixed(2)}, {c.kappa.ci95.high.toFixed(2)}]
                        </Text>
                      )}
                    </Table.Td>
                  </>
                ) : (
                  <Table.Td colSpan={4}>
                    <Text size="sm" c="dimmed">
                      {t('noReviews')}
                    </Text>
                  </Table.Td>
                )}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}

/** The "re-check past calls" choice for publish: whether, and how many days back. */
export function useRecheckChoice() {
  const [on, setOn] = useState(false);
  const [days, setDays] = useState<number | string>(30);
  const body = () => (on ? { recheck: { from: new Date(Date.now() - (Number(days) || 30) * DAY_MS).toISOString() } } : {});
  return { on, setOn, days, setDays, body };
}

export function RecheckChoice({ choice }: { choice: ReturnType<typeof useRecheckChoice> }) {
  const { t } = useTranslation('rules');
  return (
    <Group align="end" mt="xs">
      <Checkbox label={t('recheckOnPublish')} checked={choice.on} onChange={(e) => choice.setOn(e.currentTarget.checked)} />
      <NumberInput label={t('recheckDays')} value={choice.days} onChange={choice.setDays} min={1} max={3650} w={200} disabled={!choice.on} />
    </Group>
  );
}

/** Re-check of past calls with the live version: start one, and follow a running one (from publish or from here). */
export function RecheckPanel({ path, jobId, onJob }: { path: string; jobId: string | null; onJob: (id: string) => void }) {
  const { t } = useTranslation('rules');
  const [days, setDays] = useState<number | string>(30);
  const start = useMutation({
    mutationFn: () => api<{ jobId: string }>(`${path}/recheck`, { method: 'POST', body: { from: new Date(Date.now() - (Number(days) || 30) * DAY_MS).toISOString() } }),
    onSuccess: (answer) => onJob(answer.jobId),
  });
  const job = useQuery({
    queryKey: ['rule-recheck', jobId],
    enabled: jobId !== null,
    queryFn: () => api<RecheckState>(`/v1/rule-rechecks/${jobId}`),
    refetchInterval: (query) => (query.state.data && ['completed', 'failed'].includes(query.state.data.state) ? false : 1000),
  });
  const p = job.data?.progress;
  const done = job.data?.state === 'completed';
  return (
    <Paper withBorder p="sm" data-testid="recheck">
      <Title order={4} size="h5" mb="xs">
        {t('recheckPast')}
      </Title>
      <Group align="end">
        <NumberInput label={t('recheckDays')} value={days} onChange={setDays} min={1} max={3650} w={200} />
        <Button variant="default" onClick={() => start.mutate()} loading={start.isPending || (jobId !== null && !done && job.data?.state !== 'failed')}>
          {t('recheckNow')}
        </Button>
      </Group>
      {job.data && (
        <Stack gap={4} mt="xs" role="status">
          {job.data.state === 'failed' ? (
            <Text size="sm" c="red">
              {t('recheckFailed', { reason: job.data.failedReason ?? '' })}
            </Text>
          ) : done && p ? (
            <Text size="sm">
              {t('recheckDone', { processed: p.processed, changed: p.callsChanged, added: p.findingsAdded, removed: p.findingsRemoved, updated: p.findingsUpdated })}
            </Text>
          ) : (
            <>
              <Text size="sm">{t('recheckRunning', { processed: p?.processed ?? 0, total: p?.total ?? '…' })}</Text>
              <Progress value={p && p.total > 0 ? (100 * p.processed) / p.total : 0} aria-label={t('recheckPast')} />
            </>
          )}
        </Stack>
      )}
    </Paper>
  );
}
