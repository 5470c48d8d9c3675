import { Alert, Group, Paper, Progress, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ToneBadge } from './badges.js';
import type { CallDetailsView, CallFindingView, EvaluationView, LlmChecksView } from '#libs/api-contract';
import type { ConversationMetricsResult } from '#libs/domain';
import { useFormat } from '../format.js';

function Panel({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <Paper withBorder p="sm" data-testid={testId}>
      <Title order={3} size="h5" mb="xs">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th fw={500} w="45%">
        {label}
      </Table.Th>
      <Table.Td>{children}</Table.Td>
    </Table.Tr>
  );
}

export function EvaluationPanel({ evaluation, findings }: { evaluation: EvaluationView | null; findings: CallFindingView[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (!evaluation)
    return (
      <Panel title={t('call.evaluation')}>
        <Text c="dimmed">{t('call.noEvaluation')}</Text>
      </Panel>
    );
  const failingCritical = findings.filter(
    (f) => f.severity === 'critical' && f.reviewState !== 'dismissed' && evaluation.criteria.some((c) => c.result === 'fail' && c.findingIds.includes(f.id)),
  );
  return (
    <Panel title={t('call.evaluation')} testId="evaluation">
      <Group gap="sm" mb="xs">
        <Text size="xl" fw={700} data-testid="evaluation-score">
          {evaluation.score.toFixed(1)}
        </Text>
        {evaluation.autoFailed && (
          <ToneBadge tone="red" filled>
            {t('call.autoFailed')}
          </ToneBadge>
        )}
        <Text size="xs" c="dimmed">
          {t('call.scorecard', { name: evaluation.scorecardName, version: evaluation.scorecardVersion })}
        </Text>
      </Group>
      {evaluation.autoFailed && failingCritical.length > 0 && (
        <Text size="sm" c="#8b1a1a" mb="xs">
          {t('call.autoFailReason', { findings: [...new Set(failingCritical.map((f) => format.family(f.family, f.ruleId)))].join(', ') })}
        </Text>
      )}
      <Table withRowBorders={false} verticalSpacing={2}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('call.criterion')}</Table.Th>
            <Table.Th>{t('call.result')}</Table.Th>
            <Table.Th>{t('call.weight')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {evaluation.criteria.map((criterion) => (
            <Table.Tr key={criterion.criterionId}>
              <Table.Td>
                <Text size="sm">{criterion.criterionId}</Text>
              </Table.Td>
              <Table.Td>
                <ToneBadge size="sm" tone={criterion.result === 'pass' ? 'teal' : criterion.result === 'fail' ? 'red' : 'gray'}>
                  {t(`call.${criterion.result}`)}
                </ToneBadge>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{criterion.weight}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Panel>
  );
}

export function MetricsPanel({ metrics, target }: { metrics: ConversationMetricsResult | null; target: { agentShare: number; tolerance: number } }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (!metrics)
    return (
      <Panel title={t('call.metrics')}>
        <Text c="dimmed">{t('common.loading')}</Text>
      </Panel>
    );
  const seconds = (value: number | null) => (value === null ? t('common.na') : t('common.seconds', { value: format.number(value) }));
  const unavailable = Object.entries(metrics.unavailable);
  return (
    <Panel title={t('call.metrics')} testId="metrics">
      {metrics.metricsWarnings?.map((warning) => (
        <Alert key={warning.speaker} color="orange" mb="xs" role="status" data-testid="metrics-warning" c="#8a3a00">
          {t('call.metricsWarning', { speaker: t(`speaker.${warning.speaker}`), audio: format.number(warning.audioSeconds), transcript: format.number(warning.transcriptSeconds) })}
        </Alert>
      ))}
      <Stack gap={4} mb="xs">
        <Group justify="space-between">
          <Text size="sm">{t('call.agentShare')}</Text>
          <Text size="sm" fw={600}>
            {format.percent(metrics.agentTalkShare)}{' '}
            <Text span size="xs" c="dimmed">
              ({t('call.target', { target: format.percent(target.agentShare), tolerance: format.percent(target.tolerance) })})
            </Text>
          </Text>
        </Group>
        {metrics.agentTalkShare !== null && (
          <Progress.Root size="lg" aria-label={t('call.agentShare')}>
            <Progress.Section value={metrics.agentTalkShare * 100} color={metrics.talkRatioWithinTarget ? 'teal' : 'orange'} aria-label={t('call.agentShare')} />
            <Progress.Section value={(metrics.customerTalkShare ?? 0) * 100} color="gray.4" aria-label={t('call.customerShare')} />
          </Progress.Root>
        )}
        {metrics.talkRatioWithinTarget !== null && (
          <Text size="xs" c={metrics.talkRatioWithinTarget ? '#075046' : '#8a3a00'}>
            {metrics.talkRatioWithinTarget ? t('call.withinTarget') : t('call.outsideTarget')}
          </Text>
        )}
      </Stack>
      <Table withRowBorders={false} verticalSpacing={2}>
        <Table.Tbody>
          <Row label={t('call.customerShare')}>{format.percent(metrics.customerTalkShare)}</Row>
          <Row label={t('call.silence')}>{format.percent(metrics.silenceShare)}</Row>
          <Row label={t('call.overlap')}>{seconds(metrics.overlapSeconds)}</Row>
          <Row label={t('call.interruptions')}>
            {metrics.agentInterruptions ?? t('common.na')} / {metrics.customerInterruptions ?? t('common.na')}
          </Row>
          <Row label={t('call.longestMonologue')}>{seconds(metrics.longestAgentMonologue)}</Row>
          <Row label={t('call.deadAir')}>{metrics.deadAirCount ?? t('common.na')}</Row>
          <Row label={t('call.speechRate')}>{metrics.speechRateWpm === null ? t('common.na') : t('call.wpm', { value: format.number(metrics.speechRateWpm, 0) })}</Row>
          <Row label={t('call.earlyHangUp')}>{metrics.earlyHangUp ? t('common.yes') : t('common.no')}</Row>
          <Row label={t('call.effectiveCall')}>{metrics.effectiveCall ? t('common.yes') : t('common.no')}</Row>
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed" mt={4}>
        {t('call.metricsSource', { source: t(`call.source.${metrics.source}`) })}
      </Text>
      {unavailable.map(([metric, reason]) => (
        <Text size="xs" c="dimmed" key={metric}>
          {metric}: {t('call.unavailable', { reason })}
        </Text>
      ))}
    </Panel>
  );
}

export function LlmChecksPanel({ llm, findings }: { llm: LlmChecksView | null; findings: CallFindingView[] }) {
  const { t } = useTranslation();
  if (!llm) return null;
  const quotes = new Map(findings.filter((f) => f.source === 'llm').map((f) => [f.ruleId, f.evidence?.text]));
  return (
    <Panel title={t('call.llm')} testId="llm-checks">
      {llm.status === 'skipped' && <Text size="sm">{t('call.llmSkipped', { reason: llm.reason ?? '' })}</Text>}
      {llm.status === 'failed' && <Text size="sm">{t('call.llmFailed', { reason: llm.reason ?? '' })}</Text>}
      {llm.answers.length > 0 && (
        <Table verticalSpacing={2}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('call.question')}</Table.Th>
              <Table.Th>{t('call.answer')}</Table.Th>
              <Table.Th>{t('call.quote')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {llm.answers.map((answer) => (
              <Table.Tr key={answer.questionId}>
                <Table.Td>
                  <Text size="sm">
                    {answer.questionId} <Text span size="xs" c="dimmed">v{answer.promptVersion}</Text>
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{answer.answer ? t(`call.answers.${answer.answer}`) : '—'}</Text>
                  <Text size="xs" c={answer.verified ? '#075046' : '#8b1a1a'}>
                    {answer.verified ? t('call.verified') : t('call.unverified')}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{answer.quotes?.[0]?.text ?? quotes.get(answer.questionId) ?? '—'}</Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Panel>
  );
}

export function MetadataPanel({ call }: { call: CallDetailsView }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <Panel title={t('call.metadata')} testId="metadata">
      <Table withRowBorders={false} verticalSpacing={2}>
        <Table.Tbody>
          <Row label={t('call.agent')}>{call.agent ?? '—'}</Row>
          <Row label={t('call.campaign')}>{call.campaign ?? '—'}</Row>
          <Row label={t('call.phone')}>{call.customerPhone}</Row>
          <Row label={t('call.direction')}>{t(`call.${call.direction}`)}</Row>
          <Row label={t('call.started')}>{format.dateTime(call.startedAt, call.timeZone)}</Row>
          <Row label={t('call.duration')}>{format.duration(call.durationSeconds)}</Row>
          <Row label={t('call.language')}>{call.language ?? '—'}</Row>
          <Row label={t('call.channels')}>{call.channelLayout}</Row>
          <Row label={t('call.disposition')}>{call.disposition ?? '—'}</Row>
          <Row label={t('call.legalHold')}>{call.legalHold ? t('common.yes') : t('common.no')}</Row>
        </Table.Tbody>
      </Table>
    </Panel>
  );
}
