import { Alert, Anchor, Badge, Button, Checkbox, Grid, Group, NavLink as MantineNavLink, NumberInput, Paper, Progress, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useNavigate } from 'react-router';
import { api } from '../api.js';
import { useCampaigns } from '../campaigns.js';
import { QueryState } from '../components/query-state.js';
import { splitBySpans } from '../highlight.js';
import type { BacktestReport, BacktestRun, PackDetail, PackSummary, TestResult } from './rules-api.js';
import { registerRulesStrings } from './rules-i18n.js';
import { CalibrationPanel, RecheckChoice, RecheckPanel, useRecheckChoice } from './rule-calibration.js';
import { ProblemsAlert } from '../components/problems-alert.js';

registerRulesStrings();

/** The data once read; until then (or on failure) what QueryState says. */
function Loaded<T>({ query, children }: { query: { data: T | undefined; error: unknown; isPending: boolean }; children: (data: T) => ReactNode }) {
  if (query.data === undefined) return <QueryState error={query.error} pending={query.isPending} />;
  return <>{children(query.data)}</>;
}


/** Rule packs: the list, a pack's draft editor with test-on-text, backtest, publish with a note, versions and rollback. */
export default function RulesPage() {
  const { t } = useTranslation('rules');
  const { key } = useParams();
  const packs = useQuery({ queryKey: ['rule-packs'], queryFn: () => api<{ items: PackSummary[] }>('/v1/rule-packs') });
  return (
    <Stack>
      <Title order={2}>{t('title')}</Title>
      <Grid>
        <Grid.Col span={{ base: 12, md: 3 }}>
          <Paper withBorder p="xs">
            <Title order={3} size="h5" mb="xs">
              {t('packs')}
            </Title>
            <Loaded query={packs}>
              {(data) => (
                <nav aria-label={t('packs')}>
                  {data.items.map((pack) => (
                    <MantineNavLink
                      key={pack.key}
                      component={Link}
                      to={`/rules/${encodeURIComponent(pack.key)}`}
                      active={pack.key === key}
                      // the light default (blue on blue) fails contrast for the small text of the active pack
                      color="dark"
                      styles={{ description: { opacity: 1 } }}
                      label={pack.key}
                      description={
                        <Group gap={4} component="span">
                          {pack.system && <Badge size="xs" component="span">{t('system')}</Badge>}
                          <Text span size="xs">
                            {pack.liveVersion ? t('live', { version: pack.liveVersion }) : t('notPublished')}
                          </Text>
                          {pack.hasDraft && <Badge size="xs" color="orange" component="span">{t('draft')}</Badge>}
                        </Group>
                      }
                    />
                  ))}
                </nav>
              )}
            </Loaded>
          </Paper>
          {packs.data && <CampaignPacks packs={packs.data.items} />}
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 9 }}>{key ? <PackEditor key={key} packKey={key} /> : <Text c="dimmed">{t('pickPack')}</Text>}</Grid.Col>
      </Grid>
    </Stack>
  );
}

function PackEditor({ packKey }: { packKey: string }) {
  // outlives the body, which starts again from the saved draft after each change
  const [message, setMessage] = useState<Notice | null>(null);
  // a re-check started by publish outlives the body too
  const [recheckJob, setRecheckJob] = useState<string | null>(null);
  const path = `/v1/rule-packs/${encodeURIComponent(packKey)}`;
  const pack = useQuery({ queryKey: ['rule-pack', packKey], queryFn: () => api<PackDetail>(path) });
  const live = useQuery({
    queryKey: ['rule-pack', packKey, 'live', pack.data?.liveVersion],
    enabled: pack.data?.liveVersion != null,
    queryFn: () => api<{ content: Record<string, unknown> }>(`${path}/versions/${pack.data?.liveVersion}`),
  });
  return (
    <Loaded query={pack}>
      {(detail) =>
        detail.liveVersion !== null && !detail.draft && !live.data ? (
          <QueryState error={live.error} pending />
        ) : (
          <PackBody key={`${detail.draftUpdatedAt ?? ''}:${detail.liveVersion ?? ''}`} path={path} detail={detail} initial={detail.draft ?? live.data?.content ?? null} message={message} setMessage={setMessage} recheckJob={recheckJob} setRecheckJob={setRecheckJob} />
        )
      }
    </Loaded>
  );
}

interface PackBodyProps {
  path: string;
  detail: PackDetail;
  initial: Record<string, unknown> | null;
  message: Notice | null;
  setMessage: (message: Notice | null) => void;
  recheckJob: string | null;
  setRecheckJob: (jobId: string | null) => void;
}

/** What the last action did, translated when shown, so switching language translates it too. */
type Notice = { key: 'saved' | 'published' | 'rolledBack'; version?: number };

function PackBody({ path, detail, initial, message, setMessage, recheckJob, setRecheckJob }: PackBodyProps) {
  const { t } = useTranslation('rules');
  const client = useQueryClient();
  const navigate = useNavigate();
  const packKey = detail.key;
  const [text, setText] = useState(() => (initial ? JSON.stringify(initial, null, 2) : ''));
  const [forkKey, setForkKey] = useState('');
  const [note, setNote] = useState('');
  const recheck = useRecheckChoice();
  const ruleIds = ((initial?.rules ?? []) as { id?: unknown }[]).flatMap((r) => (typeof r.id === 'string' ? [r.id] : []));
  const refresh = async () => {
    await client.invalidateQueries({ queryKey: ['rule-pack', packKey] });
    await client.invalidateQueries({ queryKey: ['rule-packs'] });
  };
  const parsed = (): Record<string, unknown> => JSON.parse(text) as Record<string, unknown>;
  const save = useMutation({
    mutationFn: () => api<PackDetail>(`${path}/draft`, { method: 'PUT', body: { pack: parsed() } }),
    onSuccess: async () => {
      setMessage({ key: 'saved' });
      await refresh();
    },
  });
  const fork = useMutation({
    mutationFn: () => api<PackSummary>(`${path}/fork`, { method: 'POST', body: { key: forkKey } }),
    onSuccess: async (created) => {
      await client.invalidateQueries({ queryKey: ['rule-packs'] });
      void navigate(`/rules/${encodeURIComponent(created.key)}`);
    },
  });
  const publish = useMutation({
    mutationFn: () => api<{ version: number; recheck?: { jobId: string } }>(`${path}/publish`, { method: 'POST', body: { note, ...recheck.body() } }),
    onSuccess: async (result) => {
      setMessage({ key: 'published', version: result.version });
      if (result.recheck) setRecheckJob(result.recheck.jobId);
      setNote('');
      await refresh();
    },
  });
  const rollback = useMutation({
    mutationFn: (version: number) => api<{ version: number }>(`${path}/rollback`, { method: 'POST', body: { version, note } }),
    onSuccess: async (result) => {
      setMessage({ key: 'rolledBack', version: result.version });
      setNote('');
      await refresh();
    },
  });
  return (
        <Stack>
          <Group justify="space-between">
            <Title order={3}>{detail.key}</Title>
            {detail.forkedFrom && <Text size="sm" c="dimmed">← {detail.forkedFrom}</Text>}
          </Group>
          {message && (
            <Alert color="green" role="status">
              {t(message.key, { version: message.version })}
            </Alert>
          )}
          <CalibrationPanel ruleIds={ruleIds} />
          {detail.system ? (
            <Paper withBorder p="sm">
              <Text mb="xs">{t('readOnly')}</Text>
              <Group align="end">
                <TextInput label={t('forkKey')} value={forkKey} onChange={(e) => setForkKey(e.currentTarget.value)} />
                <Button onClick={() => fork.mutate()} disabled={!forkKey} loading={fork.isPending}>
                  {t('fork')}
                </Button>
              </Group>
              <Problems error={fork.error} />
            </Paper>
          ) : (
            <Paper withBorder p="sm">
              <Textarea
                label={t('editor')}
                value={text}
                onChange={(e) => setText(e.currentTarget.value)}
                autosize
                minRows={8}
                maxRows={24}
                styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }}
                spellCheck={false}
              />
              <Group mt="xs">
                <Button onClick={() => save.mutate()} loading={save.isPending}>
                  {t('saveDraft')}
                </Button>
              </Group>
              <Problems error={save.error} />
              {detail.draftDiff && <DiffLine diff={detail.draftDiff} />}
            </Paper>
          )}
          <TestOnText packText={text} />
          {!detail.system && detail.hasDraft && <Backtest path={path} onDone={refresh} />}
          {!detail.system && (
            <Paper withBorder p="sm">
              <Title order={4} size="h5" mb="xs">
                {t('publish')}
              </Title>
              <Group align="end">
                <TextInput label={t('note')} placeholder={t('notePlaceholder')} value={note} onChange={(e) => setNote(e.currentTarget.value)} style={{ flex: 1 }} />
                <Button onClick={() => publish.mutate()} disabled={!detail.hasDraft || !note.trim()} loading={publish.isPending}>
                  {t('publish')}
                </Button>
              </Group>
              <RecheckChoice choice={recheck} />
              {detail.hasDraft && !detail.draftBacktested && (
                <Text size="sm" c="orange" mt={4}>
                  {t('mustBacktest')}
                </Text>
              )}
              <Problems error={publish.error ?? rollback.error} />
            </Paper>
          )}
          {!detail.system && (detail.liveVersion !== null || recheckJob !== null) && <RecheckPanel path={path} jobId={recheckJob} onJob={setRecheckJob} />}
          <Paper withBorder p="sm">
            <Title order={4} size="h5" mb="xs">
              {t('history')}
            </Title>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('version')}</Table.Th>
                  <Table.Th>{t('note')}</Table.Th>
                  <Table.Th>{t('by')}</Table.Th>
                  <Table.Th>{t('at')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {detail.versions.map((v) => (
                  <Table.Tr key={v.number}>
                    <Table.Td>
                      v{v.number} ({v.semver}) {v.number === detail.liveVersion && <Badge size="xs">{t('live', { version: v.number })}</Badge>}
                    </Table.Td>
                    <Table.Td>{v.note}</Table.Td>
                    <Table.Td>{v.publishedBy}</Table.Td>
                    <Table.Td>{new Date(v.publishedAt).toLocaleString()}</Table.Td>
                    <Table.Td>
                      {!detail.system && v.number !== detail.liveVersion && (
                        <Button size="compact-xs" variant="default" disabled={!note.trim()} onClick={() => rollback.mutate(v.number)}>
                          {t('rollback')}
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
        </Stack>
  );
}

function DiffLine({ diff }: { diff: NonNullable<PackDetail['draftDiff']> }) {
  const { t } = useTranslation('rules');
  const parts = [
    diff.added.length ? t('diffAdded', { ids: diff.added.join(', ') }) : null,
    diff.removed.length ? t('diffRemoved', { ids: diff.removed.join(', ') }) : null,
    diff.changed.length ? t('diffChanged', { ids: diff.changed.map((c) => `${c.ruleId} (${c.fields.join(', ')})`).join('; ') }) : null,
  ].filter(Boolean);
  return (
    <Text size="sm" mt="xs" data-testid="draft-diff">
      {t('diffTitle')}: {parts.length ? parts.join(' · ') : t('noChanges')}
    </Text>
  );
}

function Problems({ error }: { error: unknown }) {
  const { t } = useTranslation('rules');
  return <ProblemsAlert error={error} title={t('problems')} />;
}

function TestOnText({ packText }: { packText: string }) {
  const { t } = useTranslation('rules');
  const [sample, setSample] = useState('');
  const test = useMutation({
    mutationFn: () => api<TestResult>('/v1/rules/test', { method: 'POST', body: { pack: JSON.parse(packText) as unknown, text: sample } }),
  });
  const result = test.data;
  return (
    <Paper withBorder p="sm">
      <Title order={4} size="h5" mb="xs">
        {t('testTitle')}
      </Title>
      <Textarea description={t('testHint')} aria-label={t('testTitle')} value={sample} onChange={(e) => setSample(e.currentTarget.value)} autosize minRows={2} />
      <Button mt="xs" onClick={() => test.mutate()} disabled={!sample.trim()} loading={test.isPending}>
        {t('test')}
      </Button>
      <Problems error={test.error} />
      {result && (
        <Stack gap={4} mt="xs" data-testid="test-results">
          {result.segments.map((segment, i) => {
            const spans = result.matches.filter((m) => m.segmentIndex === i && m.charStart !== null).map((m) => ({ start: m.charStart as number, end: m.charEnd as number }));
            return (
              <Text key={i} size="sm">
                <Text span c="dimmed">
                  {segment.speaker}:{' '}
                </Text>
                {splitBySpans(segment.text, spans).map((piece, k) => (piece.highlighted ? <mark key={k}>{piece.text}</mark> : <span key={k}>{piece.text}</span>))}
              </Text>
            );
          })}
          {result.matches.length === 0 ? (
            <Text size="sm">{t('noMatches')}</Text>
          ) : (
            result.matches.map((m, i) => (
              <Text key={i} size="sm">
                <Badge size="xs" mr={4}>{m.severity}</Badge>
                {m.ruleId} — {m.absent ? t('absent') : `"${m.text ?? ''}"`}
              </Text>
            ))
          )}
        </Stack>
      )}
    </Paper>
  );
}

function Backtest({ path, onDone }: { path: string; onDone: () => Promise<void> }) {
  const { t } = useTranslation('rules');
  const [limit, setLimit] = useState<number | string>(500);
  const [campaign, setCampaign] = useState('');
  const [report, setReport] = useState<BacktestReport | null>(null);
  const [runId, setRunId] = useState<string | null>(null);
  const run = useQuery({
    queryKey: ['rule-backtest', runId],
    enabled: runId !== null,
    queryFn: async () => {
      const answer = await api<BacktestRun>(`/v1/rule-backtests/${runId}`);
      if (answer.status !== 'running') await onDone();
      return answer;
    },
    refetchInterval: (query) => (query.state.data?.status === 'running' ? 1000 : false),
  });
  const start = useMutation({
    mutationFn: () =>
      api<BacktestReport | BacktestRun>(`${path}/draft/backtest`, { method: 'POST', body: { filter: { limit: Number(limit) || 500, ...(campaign ? { campaign } : {}) } } }),
    onSuccess: async (answer) => {
      if ('status' in answer) {
        setRunId(answer.id);
      } else {
        setRunId(null);
        setReport(answer);
        await onDone();
      }
    },
  });
  const cancel = useMutation({ mutationFn: () => api(`/v1/rule-backtests/${runId}/cancel`, { method: 'POST' }) });
  const running = runId !== null && run.data?.status === 'running' ? run.data : null;
  const shown = runId !== null ? (run.data?.status === 'running' ? null : (run.data?.result ?? null)) : report;
  return (
    <Paper withBorder p="sm" data-testid="backtest">
      <Title order={4} size="h5" mb="xs">
        {t('backtest')}
      </Title>
      <Group align="end">
        <TextInput label={t('backtestCampaign')} value={campaign} onChange={(e) => setCampaign(e.currentTarget.value)} />
        <NumberInput label={t('backtestLimit')} value={limit} onChange={setLimit} min={1} max={200000} w={140} />
        <Button onClick={() => start.mutate()} loading={start.isPending || running !== null}>
          {t('backtest')}
        </Button>
      </Group>
      <Problems error={start.error} />
      {running && (
        <Stack gap={4} mt="xs">
          <Text size="sm">{t('backtestRunning', running.progress)}</Text>
          <Progress value={(100 * running.progress.processed) / running.progress.limit} aria-label={t('backtest')} />
          <Button size="compact-sm" variant="default" onClick={() => cancel.mutate()}>
            {t('cancel')}
          </Button>
        </Stack>
      )}
      {shown && (
        <Stack gap={4} mt="xs" data-testid="backtest-report">
          <Text size="sm">{t('calls', { count: shown.calls, withHits: shown.callsWithHits })}</Text>
          {shown.comparedWith && <Text size="sm">{t('added', shown.comparedWith)}</Text>}
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('rule')}</Table.Th>
                <Table.Th>{t('hits')}</Table.Th>
                <Table.Th>{t('precision')}</Table.Th>
                <Table.Th>{t('examples')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.rules.map((r) => (
                <Table.Tr key={r.ruleId}>
                  <Table.Td>{r.ruleId}</Table.Td>
                  <Table.Td>{r.hits}</Table.Td>
                  <Table.Td>{r.reviewed.precision === null ? '–' : `${Math.round(r.reviewed.precision * 100)}% (${r.reviewed.confirmed}/${r.reviewed.confirmed + r.reviewed.dismissed})`}</Table.Td>
                  <Table.Td>
                    <Stack gap={0}>
                      {r.examples.map((e, i) => (
                        <Anchor key={i} component={Link} to={e.link} size="sm">
                          {e.text ?? e.callId}
                        </Anchor>
                      ))}
                    </Stack>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
      )}
    </Paper>
  );
}

/** Which published packs a campaign's calls run: enable, disable, or swap a shipped pack for a fork. */
function CampaignPacks({ packs }: { packs: PackSummary[] }) {
  const { t } = useTranslation('rules');
  const client = useQueryClient();
  const campaigns = useCampaigns(true);
  const [campaign, setCampaign] = useState<string | null>(null);
  const path = `/v1/campaigns/${encodeURIComponent(campaign ?? '')}/rule-packs`;
  const current = useQuery({ queryKey: ['campaign-rule-packs', campaign], enabled: campaign !== null, queryFn: () => api<CampaignPacksView>(path) });
  const save = useMutation({
    mutationFn: (keys: string[]) => api<CampaignPacksView>(path, { method: 'PUT', body: { packs: keys } }),
    onSuccess: (view) => client.setQueryData(['campaign-rule-packs', campaign], view),
  });
  const running = current.data?.running.map((r) => r.key) ?? [];
  const published = packs.filter((p) => p.liveVersion !== null);
  return (
    <Paper withBorder p="xs" mt="md" data-testid="campaign-packs">
      <Title order={3} size="h5" mb="xs">
        {t('campaignPacks')}
      </Title>
      <Select
        label={t('backtestCampaign')}
        data={(campaigns.data?.items ?? []).map((c) => ({ value: c.externalId, label: c.name }))}
        value={campaign}
        onChange={setCampaign}
        searchable
      />
      {current.data && (
        <Stack gap={4} mt="xs">
          {current.data.chosen === null && (
            <Text size="xs" c="dimmed">
              {t('campaignDefault')}
            </Text>
          )}
          {published.map((p) => (
            <Checkbox
              key={p.key}
              label={p.key}
              checked={running.includes(p.key)}
              onChange={(e) => save.mutate(e.currentTarget.checked ? [...running, p.key] : running.filter((k) => k !== p.key))}
            />
          ))}
          <Problems error={save.error} />
        </Stack>
      )}
    </Paper>
  );
}

interface CampaignPacksView {
  chosen: string[] | null;
  running: { key: string; version: number }[];
}
