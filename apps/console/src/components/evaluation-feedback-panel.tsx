import { Button, Group, Paper, SegmentedControl, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.js';
import { useFormat } from '../format.js';
import { useSession } from '../session.js';
import { QueryState } from './query-state.js';

interface FeedbackEntry {
  kind: 'acknowledged' | 'disputed' | 'ruling';
  actor: string;
  reason: string | null;
  ruling: 'upheld' | 'overturned' | null;
  score: number | null;
  at: string;
}

interface FeedbackHistory {
  state: string;
  items: FeedbackEntry[];
}

/**
 * The evaluation's acknowledgements, disputes and rulings: the agent acknowledges or disputes (a reason is required)
 * and follows the ruling; a QA lead rules on an open dispute.
 */
export function EvaluationFeedbackPanel({ callId }: { callId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const { me } = useSession();
  const client = useQueryClient();
  const key = ['evaluation-feedback', callId];
  const history = useQuery({ queryKey: key, queryFn: () => api<FeedbackHistory>(`/v1/calls/${callId}/evaluation/history`) });
  const [reason, setReason] = useState('');
  const [decision, setDecision] = useState<'upheld' | 'overturned'>('upheld');
  const send = useMutation({
    mutationFn: (kind: 'acknowledge' | 'dispute' | 'ruling') =>
      api(`/v1/calls/${callId}/evaluation/${kind}`, { method: 'POST', body: { ...(reason.trim() ? { reason: reason.trim() } : {}), ...(kind === 'ruling' ? { decision } : {}) } }),
    onSuccess: () => {
      setReason('');
      void client.invalidateQueries({ queryKey: key });
    },
  });
  const role = me?.role;
  const state = history.data?.state ?? 'none';
  const mayRespond = role === 'agent' || role === 'admin';
  const mayRule = (role === 'qa_lead' || role === 'admin') && state === 'disputed';
  return (
    <Paper withBorder p="sm" data-testid="evaluation-feedback">
      <Stack gap="xs">
        <Title order={3} size="h5">
          {t('feedback.title')}
        </Title>
        <QueryState error={history.error} pending={history.isPending} />
        {history.data && (
          <Text size="sm" data-testid="feedback-state">
            {t(`feedback.state.${state}`, { defaultValue: state })}
          </Text>
        )}
        {history.data?.items.map((item, i) => (
          <Text key={i} size="xs" c="dimmed" data-testid="feedback-entry">
            {t(`feedback.kind.${item.kind}`)}
            {item.ruling ? ` (${t(`feedback.ruling.${item.ruling}`)})` : ''} · {item.actor} · {format.dateTime(item.at)}
            {item.reason ? ` — ${item.reason}` : ''}
          </Text>
        ))}
        {(mayRespond || mayRule) && history.data && (
          <>
            <Textarea label={t('feedback.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} autosize minRows={2} size="xs" />
            {mayRule && (
              <SegmentedControl
                aria-label={t('feedback.decision')}
                size="xs"
                value={decision}
                onChange={(v) => setDecision(v as 'upheld' | 'overturned')}
                data={[
                  { value: 'upheld', label: t('feedback.ruling.upheld') },
                  { value: 'overturned', label: t('feedback.ruling.overturned') },
                ]}
              />
            )}
            <Group gap="xs">
              {mayRespond && (
                <>
                  <Button size="xs" variant="default" onClick={() => send.mutate('acknowledge')} loading={send.isPending && send.variables === 'acknowledge'}>
                    {t('feedback.acknowledge')}
                  </Button>
                  <Button size="xs" variant="default" onClick={() => send.mutate('dispute')} loading={send.isPending && send.variables === 'dispute'}>
                    {t('feedback.dispute')}
                  </Button>
                </>
              )}
              {mayRule && (
                <Button size="xs" onClick={() => send.mutate('ruling')} loading={send.isPending && send.variables === 'ruling'}>
                  {t('feedback.rule')}
                </Button>
              )}
            </Group>
            {send.error && <QueryState error={send.error} pending={false} />}
          </>
        )}
      </Stack>
    </Paper>
  );
}
