import { Alert, Button, Group, Paper, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api.js';
import { useSession } from '../session.js';

interface MissedFinding {
  id: string;
  ruleId: string;
  source: string;
  quote: string;
  note: string | null;
  createdBy: string;
  createdAt: string;
}

const REVIEWERS = new Set(['admin', 'qa_lead', 'compliance']);

/** Findings reviewers say the machine missed on this call (false negatives), and the action that adds one. */
export function MissedFindingsPanel({ callId, seconds }: { callId: string; seconds: number }) {
  const { t, i18n } = useTranslation();
  const { me } = useSession();
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [ruleId, setRuleId] = useState('');
  const [quote, setQuote] = useState('');
  const [note, setNote] = useState('');
  const [saved, setSaved] = useState(false);
  const key = ['missed-findings', callId];
  const missed = useQuery({ queryKey: key, queryFn: () => api<{ items: MissedFinding[] }>(`/v1/calls/${callId}/missed-findings`) });
  const add = useMutation({
    mutationFn: () =>
      api<MissedFinding>(`/v1/calls/${callId}/missed-findings`, {
        method: 'POST',
        body: { ruleId: ruleId.trim(), quote: quote.trim(), startSeconds: Math.max(0, Math.round(seconds * 10) / 10), ...(note.trim() ? { note: note.trim() } : {}) },
      }),
    onSuccess: async () => {
      setOpen(false);
      setRuleId('');
      setQuote('');
      setNote('');
      setSaved(true);
      await client.invalidateQueries({ queryKey: key });
    },
  });
  const problems = add.error instanceof ApiError ? [add.error.body.message].flat().map(String) : add.error ? [String(add.error)] : [];
  return (
    <Paper withBorder p="sm" data-testid="missed-findings">
      <Group justify="space-between" mb={4}>
        <Title order={3} size="h5">
          {t('missed.title')}
        </Title>
        {me && REVIEWERS.has(me.role) && !open && (
          <Button size="compact-sm" variant="default" onClick={() => { setOpen(true); setSaved(false); }}>
            {t('missed.add')}
          </Button>
        )}
      </Group>
      {saved && (
        <Alert color="green" role="status" mb="xs">
          {t('missed.saved')}
        </Alert>
      )}
      {open && (
        <Stack gap="xs" mb="xs">
          <TextInput label={t('missed.ruleId')} value={ruleId} onChange={(e) => setRuleId(e.currentTarget.value)} required />
          <Textarea label={t('missed.quote')} value={quote} onChange={(e) => setQuote(e.currentTarget.value)} autosize minRows={2} required />
          <TextInput label={t('missed.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
          {problems.length > 0 && (
            <Alert color="red" role="alert">
              {problems.join('; ')}
            </Alert>
          )}
          <Group>
            <Button size="sm" onClick={() => add.mutate()} disabled={!ruleId.trim() || !quote.trim()} loading={add.isPending}>
              {t('missed.save')}
            </Button>
            <Button size="sm" variant="default" onClick={() => setOpen(false)}>
              {t('missed.cancel')}
            </Button>
          </Group>
        </Stack>
      )}
      {missed.data && missed.data.items.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('missed.none')}
        </Text>
      )}
      <Stack gap={4}>
        {missed.data?.items.map((m) => (
          <Text key={m.id} size="sm">
            <Text span fw={600}>
              {m.ruleId}
            </Text>{' '}
            “{m.quote}”{m.note ? ` — ${m.note}` : ''}{' '}
            <Text span size="xs" c="dimmed">
              ({t('missed.by', { who: m.createdBy.replace(/^user:/, ''), when: new Date(m.createdAt).toLocaleString(i18n.language) })})
            </Text>
          </Text>
        ))}
      </Stack>
    </Paper>
  );
}
