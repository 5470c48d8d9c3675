import { Alert, Button, Grid, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import type { CallDetailsView } from '#libs/api-contract';
import { api } from '../api.js';
import { StatusBadge, ToneBadge } from '../components/badges.js';
import { DismissDialog } from '../components/dismiss-dialog.js';
import { EvaluationPanel, LlmChecksPanel, MetadataPanel, MetricsPanel } from '../components/call-panels.js';
import { EvaluationFeedbackPanel } from '../components/evaluation-feedback-panel.js';
import { FindingsPanel } from '../components/findings-panel.js';
import { MissedFindingsPanel } from '../components/missed-findings-panel.js';
import { QueryState } from '../components/query-state.js';
import { TranscriptView } from '../components/transcript-view.js';
import { useReadyMark } from '../perf-marks.js';
import { type PlayerHandle, useWaveform, WaveformPlayer } from '../components/waveform-player.js';
import { queueNeighbour, reviewConflict, useReview } from '../review.js';

const RESCORE_WATCH_MS = 20_000;
const SKIP_SECONDS = 5;

export default function CallPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const player = useRef<PlayerHandle>(null);
  const [seconds, setSeconds] = useState(0);
  const [following, setFollowing] = useState(true);
  const [rescoring, setRescoring] = useState(false);
  const [waveformReady, setWaveformReady] = useState(false);
  const call = useQuery({
    queryKey: ['call', id],
    queryFn: ({ signal }) => api<CallDetailsView>(`/v1/calls/${id}`, { signal }),
    // while the pipeline runs, or the API re-scores after a decision, read the call again until it settles
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === 'queued' || status === 'processing' || rescoring ? 1000 : false;
    },
  });
  // the waveform is read beside the call, not after it
  useWaveform(id);
  const data = call.data;
  const findings = useMemo(() => data?.findings ?? [], [data]);
  const focusedId = params.get('finding') ?? findings.find((f) => f.reviewState === 'pending')?.id ?? findings[0]?.id ?? null;
  const focused = findings.find((f) => f.id === focusedId) ?? null;
  const regions = useMemo(
    () =>
      findings
        .filter((f) => f.evidence?.startSeconds !== undefined)
        .map((f) => ({ id: f.id, start: f.evidence?.startSeconds ?? 0, end: f.evidence?.endSeconds ?? (f.evidence?.startSeconds ?? 0) + 1, severity: f.severity })),
    [findings],
  );

  const review = useReview();
  const [dismissOpen, setDismissOpen] = useState(false);
  const [notice, setNotice] = useState<{ colour: string; text: string } | null>(null);
  const decide = (decision: 'confirmed' | 'dismissed', reason?: string) => {
    if (!focused) return;
    review.mutate(
      { findingId: focused.id, decision, reason, expectedState: focused.reviewState },
      {
        onSuccess: () => {
          setNotice({ colour: 'teal', text: t('call.decided', { state: t(`reviewState.${decision}`) }) });
          setRescoring(true);
          setTimeout(() => setRescoring(false), RESCORE_WATCH_MS);
        },
        onError: (error) => {
          const conflict = reviewConflict(error);
          setNotice(
            conflict
              ? { colour: 'orange', text: t('call.conflict', { state: t(`reviewState.${conflict.current.reviewState}`), actor: conflict.current.reviewedBy ?? '?' }) }
              : { colour: 'red', text: t('common.error', { message: (error as Error).message }) },
          );
        },
        onSettled: () => setDismissOpen(false),
      },
    );
  };

  const seek = useCallback((to: number) => {
    setFollowing(true);
    player.current?.seek(to);
  }, []);
  const focus = (findingId: string) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        next.set('finding', findingId);
        return next;
      },
      { replace: true },
    );
  const step = (direction: 1 | -1) => {
    if (!focused) return;
    const neighbour = queueNeighbour(focused.id, direction);
    if (neighbour) {
      navigate(`/calls/${neighbour.callId}?finding=${neighbour.id}`);
      return;
    }
    // not opened from the queue: step through this call's findings
    const at = findings.findIndex((f) => f.id === focused.id);
    const other = findings[at + direction];
    if (other) focus(other.id);
    else setNotice({ colour: 'gray', text: t('call.endOfQueue') });
  };
  useHotkeys([
    ['j', () => step(1)],
    ['k', () => step(-1)],
    ['space', () => player.current?.playPause()],
    ['ArrowLeft', () => player.current?.skip(-SKIP_SECONDS)],
    ['ArrowRight', () => player.current?.skip(SKIP_SECONDS)],
    ['c', () => decide('confirmed')],
    ['d', () => focused && setDismissOpen(true)],
  ]);

  useReadyMark('earshot:call-ready', waveformReady && Boolean(data?.transcript));

  if (!data) return <QueryState error={call.error} pending={call.isPending} />;
  return (
    <Stack>
      <Group justify="space-between">
        <Group>
          <Button variant="subtle" size="compact-sm" onClick={() => navigate(-1)}>
            ← {t('call.back')}
          </Button>
          <Title order={2}>{t('call.title', { id: data.externalId ?? data.id.slice(0, 8) })}</Title>
          <StatusBadge status={data.status} />
          {data.evaluation && (
            <ToneBadge size="lg" tone={data.evaluation.autoFailed ? 'red' : 'indigo'} filled data-testid="call-score" data-score={data.evaluation.score}>
              {t('call.score')} {data.evaluation.score.toFixed(1)}
              {data.evaluation.autoFailed ? ` · ${t('call.autoFailed')}` : ''}
            </ToneBadge>
          )}
        </Group>
        <Group gap="xs">
          <Button variant="default" size="xs" onClick={() => step(-1)}>
            {t('call.previousFinding')}
          </Button>
          <Button variant="default" size="xs" onClick={() => step(1)}>
            {t('call.nextFinding')}
          </Button>
        </Group>
      </Group>
      {data.failure && <Alert color="red">{t('call.failedIn', { stage: data.failure.stage ?? '?', reason: data.failure.reason ?? '' })}</Alert>}
      {(data.status === 'queued' || data.status === 'processing') && <Alert color="blue">{t('call.processing', { stage: data.currentStage ?? t(`status.${data.status}`) })}</Alert>}
      {data.audioWarnings.map((warning) => (
        <Alert key={warning.code} color="orange" role="status" data-testid="audio-warning" c="#8a3a00">
          {t(`call.audioWarning.${warning.code}`)}
        </Alert>
      ))}
      {notice && (
        <Alert color={notice.colour} role="status" withCloseButton onClose={() => setNotice(null)} closeButtonLabel={t('common.close')} data-testid="notice">
          {notice.text}
          {rescoring ? ` ${t('call.rescoring')}` : ''}
        </Alert>
      )}
      <Paper withBorder p="sm">
        <Text size="sm" fw={600} mb={4}>
          {t('call.player')}
        </Text>
        {data.audio.deletedByRetentionAt ? (
          <Alert color="gray">{t('call.noAudio', { message: data.audio.deletedByRetentionAt })}</Alert>
        ) : (
          <WaveformPlayer ref={player} callId={data.id} regions={regions} onTime={setSeconds} onReady={() => setWaveformReady(true)} />
        )}
      </Paper>
      <Grid>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Paper withBorder p="sm" onWheel={() => setFollowing(false)}>
            <Group justify="space-between" mb={4}>
              <Title order={3} size="h5">
                {t('call.transcript')}
              </Title>
              {data.transcript?.redacted && (
                <Text size="xs" c="dimmed">
                  {t('call.redacted')}
                </Text>
              )}
            </Group>
            {data.transcript ? (
              <TranscriptView segments={data.transcript.segments} findings={findings} seconds={seconds} following={following} onSeek={seek} />
            ) : (
              <Text c="dimmed">{t('call.noTranscript')}</Text>
            )}
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack>
            <FindingsPanel
              findings={findings}
              focusedId={focused?.id ?? null}
              onFocus={focus}
              onSeek={seek}
              onConfirm={() => decide('confirmed')}
              onDismiss={() => setDismissOpen(true)}
              busy={review.isPending}
            />
            <MissedFindingsPanel callId={data.id} seconds={seconds} />
            <EvaluationPanel evaluation={data.evaluation} findings={findings} />
            {data.evaluation && <EvaluationFeedbackPanel callId={data.id} />}
            <MetricsPanel metrics={data.metrics} target={data.talkRatioTarget} />
            <LlmChecksPanel llm={data.llmChecks} findings={findings} />
            <MetadataPanel call={data} />
          </Stack>
        </Grid.Col>
      </Grid>
      <DismissDialog opened={dismissOpen} busy={review.isPending} onClose={() => setDismissOpen(false)} onSubmit={(reason) => decide('dismissed', reason)} />
    </Stack>
  );
}
