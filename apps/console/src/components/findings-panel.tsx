import { Button, Card, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallFindingView, ReviewHistoryView } from '#libs/api-contract';
import { api } from '../api.js';
import { useFormat } from '../format.js';
import { ReviewStateBadge, SeverityBadge } from './badges.js';

export function FindingsPanel({
  findings,
  focusedId,
  onFocus,
  onSeek,
  onConfirm,
  onDismiss,
  busy,
}: {
  findings: CallFindingView[];
  focusedId: string | null;
  onFocus: (id: string) => void;
  onSeek: (seconds: number) => void;
  onConfirm: () => void;
  onDismiss: () => void;
  busy: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="sm">
      <Title order={3} size="h5" mb="xs">
        {t('call.findings')}
      </Title>
      {findings.length === 0 && <Text c="dimmed">{t('call.noFindings')}</Text>}
      <Stack gap="xs" data-testid="findings">
        {findings.map((finding) => (
          <FindingCard
            key={finding.id}
            finding={finding}
            focused={finding.id === focusedId}
            onFocus={() => onFocus(finding.id)}
            onSeek={onSeek}
            onConfirm={onConfirm}
            onDismiss={onDismiss}
            busy={busy}
          />
        ))}
      </Stack>
    </Paper>
  );
}

function FindingCard({ finding, focused, onFocus, onSeek, onConfirm, onDismiss, busy }: { finding: CallFindingView; focused: boolean; onFocus: () => void; onSeek: (seconds: number) => void; onConfirm: () => void; onDismiss: () => void; busy: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [historyOpen, setHistoryOpen] = useState(false);
  const start = finding.evidence?.startSeconds;
  return (
    <Card
      withBorder
      padding="xs"
      data-finding-id={finding.id}
      data-focused={focused}
      onClick={onFocus}
      style={{ borderColor: focused ? 'var(--mantine-color-indigo-6)' : undefined, borderWidth: focused ? 2 : 1, cursor: 'pointer' }}
    >
      <Group justify="space-between" wrap="nowrap">
        <Group gap={6}>
          <SeverityBadge severity={finding.severity} />
          <Text size="sm" fw={600}>
            {format.family(finding.family, finding.ruleId)}
          </Text>
        </Group>
        <ReviewStateBadge state={finding.reviewState} />
      </Group>
      <Text size="sm">{finding.description}</Text>
      <Text size="xs" c="dimmed">
        {t('queue.rule')}: {finding.ruleId} v{finding.ruleVersion}
        {finding.regulation ? ` · ${t('call.regulation')}: ${finding.regulation}` : ''}
      </Text>
      {finding.evidence?.text && (
        <Text size="sm" mt={4} lang={/[\u4e00-\u9fff]/.test(finding.evidence.text) ? 'zh-CN' : undefined}>
          “<mark className="evidence">{finding.evidence.text}</mark>”
        </Text>
      )}
      <Group gap="xs" mt="xs">
        {start !== undefined && (
          <Button
            size="compact-xs"
            variant="light"
            onClick={(event) => {
              event.stopPropagation();
              onFocus();
              onSeek(start);
            }}
            data-testid="jump"
          >
            {t('call.jump')}
          </Button>
        )}
        {focused && (
          <>
            <Button size="compact-xs" color="red.9" onClick={onConfirm} loading={busy} data-testid="confirm">
              {t('call.confirm')}
            </Button>
            <Button size="compact-xs" color="teal.9" variant="outline" onClick={onDismiss} disabled={busy} data-testid="dismiss">
              {t('call.dismiss')}
            </Button>
          </>
        )}
        <Button
          size="compact-xs"
          variant="subtle"
          onClick={(event) => {
            event.stopPropagation();
            setHistoryOpen((open) => !open);
          }}
        >
          {t('call.history')}
        </Button>
      </Group>
      {finding.hasClip && focused && (
        <audio controls preload="none" src={`/v1/findings/${finding.id}/clip`} aria-label={t('call.clip')} style={{ width: '100%', marginTop: 6, height: 32 }} />
      )}
      {historyOpen && <History findingId={finding.id} />}
    </Card>
  );
}

function History({ findingId }: { findingId: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const history = useQuery({ queryKey: ['history', findingId], queryFn: () => api<ReviewHistoryView>(`/v1/findings/${findingId}/reviews`) });
  if (!history.data) return <Text size="xs">{t('common.loading')}</Text>;
  if (history.data.items.length === 0) return <Text size="xs" c="dimmed">{t('call.noHistory')}</Text>;
  return (
    <Stack gap={2} mt={4} data-testid="history">
      {history.data.items.map((entry, index) => (
        <Text size="xs" key={index}>
          {format.dateTime(entry.at)} — {t('call.historyEntry', { action: entry.action === 'assigned' ? `${t('queue.assigned', { reviewer: entry.reviewer ?? '' })}` : t(`reviewState.${entry.action}`), actor: entry.actor })}
          {entry.reason ? `: ${entry.reason}` : ''}
        </Text>
      ))}
    </Stack>
  );
}
