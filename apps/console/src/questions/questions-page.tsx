import { Alert, Badge, Button, Checkbox, Grid, Group, NavLink as MantineNavLink, Paper, Select, Stack, Table, Text, Textarea, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { api } from '../api.js';
import { useCampaigns } from '../campaigns.js';
import { QueryState } from '../components/query-state.js';
import type { CampaignQuestionItem, CampaignQuestionsView, QuestionContent, QuestionDetail, QuestionTestView } from './questions-api.js';
import { registerQuestionsStrings } from './questions-i18n.js';
import { ProblemsAlert } from '../components/problems-alert.js';

registerQuestionsStrings();


const EMPTY: QuestionContent = {
  text: { en: '' },
  criteria: { pass: '', fail: '' },
  violationWhen: 'no',
  family: '',
  severity: 'major',
  dimension: 'compliance',
  description: '',
  trigger: { kind: 'always' },
};

/** LLM questions per campaign: the list, a question's draft editor with test on text, publish with a note, versions and rollback. */
export default function QuestionsPage() {
  const { t } = useTranslation('questions');
  const { key } = useParams();
  const [search, setSearch] = useSearchParams();
  const campaign = search.get('campaign');
  const campaigns = useCampaigns(true);
  const path = `/v1/campaigns/${encodeURIComponent(campaign ?? '')}/llm-questions`;
  const list = useQuery({ queryKey: ['llm-questions', campaign], enabled: campaign !== null, queryFn: () => api<CampaignQuestionsView>(path) });
  const selected = list.data?.items.find((q) => q.key === key);
  return (
    <Stack>
      <Title order={2}>{t('title')}</Title>
      <Grid>
        <Grid.Col span={{ base: 12, md: 3 }}>
          <Paper withBorder p="xs">
            <Select
              label={t('campaign')}
              data={(campaigns.data?.items ?? []).map((c) => ({ value: c.externalId, label: `${c.name} (${c.externalId})` }))}
              value={campaign}
              onChange={(value) => setSearch(value ? { campaign: value } : {})}
              searchable
            />
            {campaign === null ? (
              <Text c="dimmed" size="sm" mt="xs">
                {t('pickCampaign')}
              </Text>
            ) : list.data ? (
              <QuestionList view={list.data} campaign={campaign} active={key} />
            ) : (
              <QueryState error={list.error} pending={list.isPending} />
            )}
          </Paper>
          {campaign && list.data && <Settings campaign={campaign} view={list.data} />}
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 9 }}>
          {campaign && key && list.data ? (
            <QuestionEditor key={key} questionKey={key} campaign={campaign} item={selected} view={list.data} />
          ) : (
            <Text c="dimmed">{t('pickQuestion')}</Text>
          )}
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function QuestionList({ view, campaign, active }: { view: CampaignQuestionsView; campaign: string; active: string | undefined }) {
  const { t } = useTranslation('questions');
  const client = useQueryClient();
  const navigate = useNavigate();
  const [newKey, setNewKey] = useState('');
  const create = useMutation({
    mutationFn: () =>
      api<QuestionDetail>(`/v1/campaigns/${encodeURIComponent(campaign)}/llm-questions`, {
        method: 'POST',
        body: { key: newKey, question: { ...EMPTY, text: { en: `${newKey}?` }, criteria: { pass: '-', fail: '-' }, family: newKey, description: newKey } },
      }),
    onSuccess: async (created) => {
      setNewKey('');
      await client.invalidateQueries({ queryKey: ['llm-questions', campaign] });
      void navigate(`/questions/${encodeURIComponent(created.key)}?campaign=${encodeURIComponent(campaign)}`);
    },
  });
  return (
    <>
      <Title order={3} size="h5" mt="sm" mb="xs">
        {t('questions')}
      </Title>
      <nav aria-label={t('questions')}>
        {view.items.map((q) => (
          <MantineNavLink
            key={q.key}
            component={Link}
            to={`/questions/${encodeURIComponent(q.key)}?campaign=${encodeURIComponent(campaign)}`}
            active={q.key === active}
            label={q.key}
            description={
              <Group gap={4} component="span">
                {q.system && <Badge size="xs" component="span">{t('system')}</Badge>}
                <Text span size="xs" c="dark.9" data-testid={`question-status-${q.key}`}>
                  {q.liveVersion ? t('live', { version: q.liveVersion }) : t('notPublished')}
                </Text>
                {q.draft && <Badge size="xs" color="orange" component="span">{t('draft')}</Badge>}
                {q.criterion && (
                  <Text span size="xs" c={q.criterion.status === 'linked' ? 'dark.9' : '#8b1a1a'} data-testid={`question-criterion-${q.key}`}>
                    {t(`criterion_${q.criterion.status}`, { id: q.criterion.id })}
                  </Text>
                )}
                {q.discarded30d > 0 && (
                  <Text span size="xs" c="#8b1a1a">
                    {t('discarded', { discarded: q.discarded30d, answers: q.answers30d })}
                  </Text>
                )}
              </Group>
            }
          />
        ))}
      </nav>
      <Group align="end" mt="xs" wrap="nowrap">
        <TextInput label={t('newKey')} value={newKey} onChange={(e) => setNewKey(e.currentTarget.value)} style={{ flex: 1 }} />
        <Button onClick={() => create.mutate()} disabled={!newKey.trim()} loading={create.isPending}>
          {t('create')}
        </Button>
      </Group>
      <Problems error={create.error} />
    </>
  );
}

function Settings({ campaign, view }: { campaign: string; view: CampaignQuestionsView }) {
  const { t } = useTranslation('questions');
  const client = useQueryClient();
  const [ceiling, setCeiling] = useState(view.settings.dailyCostCeilingUsd === null ? '' : String(view.settings.dailyCostCeilingUsd));
  const save = useMutation({
    mutationFn: () =>
      api(`/v1/campaigns/${encodeURIComponent(campaign)}/llm-settings`, {
        method: 'PUT',
        body: { disabledQuestions: view.settings.disabledQuestions, dailyCostCeilingUsd: ceiling.trim() === '' ? null : Number(ceiling) },
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['llm-questions', campaign] }),
  });
  return (
    <Paper withBorder p="xs" mt="md">
      <Title order={3} size="h5" mb="xs">
        {t('settings')}
      </Title>
      <TextInput label={t('ceiling')} value={ceiling} onChange={(e) => setCeiling(e.currentTarget.value)} inputMode="decimal" />
      <Text size="xs" mt={4}>
        {t('spent', { spent: view.spentTodayUsd.toFixed(4) })}
      </Text>
      <Button mt="xs" size="xs" onClick={() => save.mutate()} loading={save.isPending}>
        {t('saveSettings')}
      </Button>
      {save.isSuccess && (
        <Text size="xs" c="green.9" role="status">
          {t('settingsSaved')}
        </Text>
      )}
      <Problems error={save.error} />
    </Paper>
  );
}

type Notice = { key: 'saved' | 'published' | 'rolledBack'; version?: number };

function QuestionEditor({ questionKey, campaign, item, view }: { questionKey: string; campaign: string; item: CampaignQuestionItem | undefined; view: CampaignQuestionsView }) {
  const [message, setMessage] = useState<Notice | null>(null);
  const detail = useQuery({ queryKey: ['llm-question', questionKey], queryFn: () => api<QuestionDetail>(`/v1/llm-questions/${encodeURIComponent(questionKey)}`) });
  if (!detail.data) return <QueryState error={detail.error} pending={detail.isPending} />;
  const d = detail.data;
  return (
    <QuestionBody
      key={`${d.draftUpdatedAt ?? ''}:${d.liveVersion ?? ''}`}
      detail={d}
      campaign={campaign}
      enabled={item?.enabled ?? false}
      view={view}
      message={message}
      setMessage={setMessage}
    />
  );
}

const list = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function QuestionBody({
  detail,
  campaign,
  enabled,
  view,
  message,
  setMessage,
}: {
  detail: QuestionDetail;
  campaign: string;
  enabled: boolean;
  view: CampaignQuestionsView;
  message: Notice | null;
  setMessage: (n: Notice | null) => void;
}) {
  const { t } = useTranslation('questions');
  const client = useQueryClient();
  const navigate = useNavigate();
  const path = `/v1/llm-questions/${encodeURIComponent(detail.key)}`;
  const [form, setForm] = useState<QuestionContent>(() => detail.draft ?? detail.live ?? EMPTY);
  const [families, setFamilies] = useState(() => (form.trigger.kind === 'on_candidates' ? form.trigger.families.join(', ') : ''));
  const [rules, setRules] = useState(() => (form.trigger.kind === 'on_candidates' ? form.trigger.rules.join(', ') : ''));
  const [forkKey, setForkKey] = useState('');
  const [note, setNote] = useState('');
  const refresh = async () => {
    await client.invalidateQueries({ queryKey: ['llm-question', detail.key] });
    await client.invalidateQueries({ queryKey: ['llm-questions', campaign] });
  };
  const content = (): Record<string, unknown> => {
    const text = Object.fromEntries(Object.entries(form.text).filter(([, v]) => v && v.trim() !== ''));
    const criteria = form.criteria ? { pass: form.criteria.pass, fail: form.criteria.fail, ...(form.criteria.notApplicable?.trim() ? { notApplicable: form.criteria.notApplicable } : {}) } : undefined;
    const { criterionId, ...rest } = form;
    return {
      ...rest,
      text,
      ...(criteria ? { criteria } : {}),
      ...(criterionId?.trim() ? { criterionId } : {}),
      trigger: form.trigger.kind === 'always' ? { kind: 'always' } : { kind: 'on_candidates', families: list(families), rules: list(rules) },
    };
  };
  const set = (patch: Partial<QuestionContent>) => setForm((f) => ({ ...f, ...patch }));
  const setCriteria = (patch: Partial<NonNullable<QuestionContent['criteria']>>) => setForm((f) => ({ ...f, criteria: { pass: '', fail: '', ...f.criteria, ...patch } }));
  const save = useMutation({
    mutationFn: () => api<QuestionDetail>(`${path}/draft`, { method: 'PUT', body: { question: content() } }),
    onSuccess: async () => {
      setMessage({ key: 'saved' });
      await refresh();
    },
  });
  const fork = useMutation({
    mutationFn: () => api<QuestionDetail>(`${path}/fork`, { method: 'POST', body: { key: forkKey, campaign } }),
    onSuccess: async (created) => {
      await client.invalidateQueries({ queryKey: ['llm-questions', campaign] });
      void navigate(`/questions/${encodeURIComponent(created.key)}?campaign=${encodeURIComponent(campaign)}`);
    },
  });
  const publish = useMutation({
    mutationFn: () => api<{ version: number }>(`${path}/publish`, { method: 'POST', body: { note } }),
    onSuccess: async (result) => {
      setMessage({ key: 'published', version: result.version });
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
  const toggle = useMutation({
    mutationFn: (on: boolean) => {
      const off = new Set(view.settings.disabledQuestions);
      if (on) off.delete(detail.key);
      else off.add(detail.key);
      return api(`/v1/campaigns/${encodeURIComponent(campaign)}/llm-settings`, { method: 'PUT', body: { disabledQuestions: [...off], dailyCostCeilingUsd: view.settings.dailyCostCeilingUsd } });
    },
    onSuccess: () => client.invalidateQueries({ queryKey: ['llm-questions', campaign] }),
  });
  const readOnly = detail.system;
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
      {detail.liveVersion !== null && (
        <Checkbox label={t('enabled')} checked={enabled} onChange={(e) => toggle.mutate(e.currentTarget.checked)} disabled={toggle.isPending} />
      )}
      {readOnly && (
        <Paper withBorder p="sm">
          <Text mb="xs">{t('readOnly')}</Text>
          <Group align="end">
            <TextInput label={t('newKey')} value={forkKey} onChange={(e) => setForkKey(e.currentTarget.value)} />
            <Button onClick={() => fork.mutate()} disabled={!forkKey} loading={fork.isPending}>
              {t('fork')}
            </Button>
          </Group>
          <Problems error={fork.error} />
        </Paper>
      )}
      <Paper withBorder p="sm">
        <Stack gap="xs">
          <Textarea label={t('textEn')} value={form.text.en ?? ''} onChange={(e) => set({ text: { ...form.text, en: e.currentTarget.value } })} autosize minRows={2} readOnly={readOnly} />
          <Textarea label={t('textZh')} value={form.text.zh ?? ''} onChange={(e) => set({ text: { ...form.text, zh: e.currentTarget.value } })} autosize minRows={2} readOnly={readOnly} />
          <Group grow>
            <TextInput label={t('pass')} value={form.criteria?.pass ?? ''} onChange={(e) => setCriteria({ pass: e.currentTarget.value })} readOnly={readOnly} />
            <TextInput label={t('fail')} value={form.criteria?.fail ?? ''} onChange={(e) => setCriteria({ fail: e.currentTarget.value })} readOnly={readOnly} />
            <TextInput label={t('notApplicable')} value={form.criteria?.notApplicable ?? ''} onChange={(e) => setCriteria({ notApplicable: e.currentTarget.value })} readOnly={readOnly} />
          </Group>
          <Group grow>
            <Select
              label={t('violationWhen')}
              data={[
                { value: 'yes', label: t('yes') },
                { value: 'no', label: t('no') },
              ]}
              value={form.violationWhen}
              onChange={(v) => v && set({ violationWhen: v as 'yes' | 'no' })}
              readOnly={readOnly}
              allowDeselect={false}
            />
            <Select label={t('severity')} data={['critical', 'major', 'minor']} value={form.severity} onChange={(v) => v && set({ severity: v as QuestionContent['severity'] })} readOnly={readOnly} allowDeselect={false} />
            <Select
              label={t('dimension')}
              data={['compliance', 'efficiency', 'conversion', 'experience']}
              value={form.dimension}
              onChange={(v) => v && set({ dimension: v as QuestionContent['dimension'] })}
              readOnly={readOnly}
              allowDeselect={false}
            />
          </Group>
          <Group grow>
            <TextInput label={t('family')} value={form.family} onChange={(e) => set({ family: e.currentTarget.value })} readOnly={readOnly} />
            <TextInput label={t('description')} value={form.description} onChange={(e) => set({ description: e.currentTarget.value })} readOnly={readOnly} />
            <TextInput label={t('criterionId')} value={form.criterionId ?? ''} onChange={(e) => set({ criterionId: e.currentTarget.value })} readOnly={readOnly} />
          </Group>
          <Group grow align="start">
            <Select
              label={t('trigger')}
              data={[
                { value: 'always', label: t('always') },
                { value: 'on_candidates', label: t('onCandidates') },
              ]}
              value={form.trigger.kind}
              onChange={(v) => v && set({ trigger: v === 'always' ? { kind: 'always' } : { kind: 'on_candidates', families: list(families), rules: list(rules) } })}
              readOnly={readOnly}
              allowDeselect={false}
            />
            {form.trigger.kind === 'on_candidates' && <TextInput label={t('families')} value={families} onChange={(e) => setFamilies(e.currentTarget.value)} readOnly={readOnly} />}
            {form.trigger.kind === 'on_candidates' && <TextInput label={t('rules')} value={rules} onChange={(e) => setRules(e.currentTarget.value)} readOnly={readOnly} />}
          </Group>
          {!readOnly && (
            <Group>
              <Button onClick={() => save.mutate()} loading={save.isPending}>
                {t('saveDraft')}
              </Button>
            </Group>
          )}
          <Problems error={save.error} />
          {detail.draftDiff && (
            <Text size="sm" data-testid="draft-diff">
              {t('diffTitle')}: {detail.draftDiff.length ? detail.draftDiff.map((c) => c.field).join(', ') : t('noChanges')}
            </Text>
          )}
        </Stack>
      </Paper>
      <TestOnText path={path} onDone={refresh} />
      {!readOnly && (
        <Paper withBorder p="sm">
          <Title order={4} size="h5" mb="xs">
            {t('publish')}
          </Title>
          <Group align="end">
            <TextInput label={t('note')} placeholder={t('notePlaceholder')} value={note} onChange={(e) => setNote(e.currentTarget.value)} style={{ flex: 1 }} />
            <Button onClick={() => publish.mutate()} disabled={!detail.draft || !note.trim()} loading={publish.isPending}>
              {t('publish')}
            </Button>
          </Group>
          {detail.draft && !detail.draftTested && (
            <Text size="sm" c="orange.9" mt={4}>
              {t('mustTest')}
            </Text>
          )}
          <Problems error={publish.error ?? rollback.error} />
        </Paper>
      )}
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
              <Table.Th>
                <VisuallyHidden>{t('rollback')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {detail.versions.map((v) => (
              <Table.Tr key={v.number}>
                <Table.Td>
                  v{v.number} {v.number === detail.liveVersion && <Badge size="xs">{t('live', { version: v.number })}</Badge>}
                </Table.Td>
                <Table.Td>{v.note}</Table.Td>
                <Table.Td>{v.publishedBy}</Table.Td>
                <Table.Td>{new Date(v.publishedAt).toLocaleString()}</Table.Td>
                <Table.Td>
                  {!readOnly && v.number !== detail.liveVersion && (
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

function TestOnText({ path, onDone }: { path: string; onDone: () => Promise<void> }) {
  const { t } = useTranslation('questions');
  const [sample, setSample] = useState('');
  const test = useMutation({
    mutationFn: () => api<QuestionTestView>(`${path}/test`, { method: 'POST', body: { text: sample } }),
    onSuccess: () => onDone(),
  });
  const result = test.data;
  return (
    <Paper withBorder p="sm">
      <Title order={4} size="h5" mb="xs">
        {t('testTitle')}
      </Title>
      <Textarea description={t('testHint')} aria-label={t('testTitle')} value={sample} onChange={(e) => setSample(e.currentTarget.value)} autosize minRows={3} />
      <Button mt="xs" onClick={() => test.mutate()} disabled={!sample.trim()} loading={test.isPending}>
        {t('test')}
      </Button>
      <Problems error={test.error} />
      {result && (
        <Stack gap={4} mt="xs" data-testid="test-answer">
          <Group gap="xs">
            <Text fw={600}>{t('answer', { answer: result.answer.answer ?? '—' })}</Text>
            {result.answer.verified ? <Badge color="green.9">{t('verified')}</Badge> : <Badge color="red.9">{t('unverified', { reason: result.answer.reason ?? '' })}</Badge>}
            {result.answer.finding && <Badge color="orange.9">{t('wouldFind')}</Badge>}
          </Group>
          {(result.answer.quotes ?? []).map((q) => (
            <Text key={`${q.segmentIndex}:${q.text}`} size="sm">
              [{q.segmentIndex}] <mark>{q.text}</mark>
            </Text>
          ))}
          {result.answer.rationale && (
            <Text size="sm" c="dimmed">
              {result.answer.rationale}
            </Text>
          )}
          <Text size="xs" c="dimmed">
            {t('tokens', { input: result.inputTokens, output: result.outputTokens })}
          </Text>
        </Stack>
      )}
    </Paper>
  );
}

function Problems({ error }: { error: unknown }) {
  const { t } = useTranslation('questions');
  return <ProblemsAlert error={error} title={t('problems')} />;
}
