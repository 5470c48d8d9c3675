import { Alert, Button, Checkbox, Group, MultiSelect, NumberInput, Paper, ScrollArea, Select, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.js';
import { QueryState } from '../components/query-state.js';
import { errorMessages } from '../desk/upload.js';
import { ErrorList } from '../compliance/opt-outs-tab.js';
import type { Campaign } from '../compliance/retention-tab.js';
import { useUrlFilters } from '../url-filters.js';
import '../desk/i18n.js';

interface CriterionDraft {
  id: string;
  label: string;
  weight: number;
  critical: boolean;
  /** the criterion's source as JSON text: finding_absent, metric or llm */
  source: string;
}

interface ScorecardView {
  id?: string;
  name: string;
  version: number;
  criteria: { id: string; label: string; weight: number; critical: boolean; source: Record<string, unknown> }[];
}

interface ScorecardList {
  current: { id: string } | { default: string; version: number };
  items: (ScorecardView & { id: string; current: boolean; createdAt: string })[];
}

/**
 * The API's validation messages keyed by the path they name (`criteria.2.weight`, `name`), so each shows next to its
 * field; a source's inner path (`criteria.2.source.op`) shows at the source.
 */
function pathErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!error) return out;
  for (const message of errorMessages(error)) {
    const match = /^(?:body\.)?(name|criteria(?:\.(\d+)(?:\.(id|label|weight|critical|source))?)?)\b/.exec(message);
    if (!match) continue;
    const key = match[3] ? `criteria.${match[2]}.${match[3]}` : match[1];
    out[key] ??= message;
  }
  return out;
}

/** A metric or LLM criterion can be not applicable (the metric was not measured, the question not answered). */
function canBeNa(source: string): boolean {
  return /"kind"\s*:\s*"(metric|llm)"/.test(source);
}

const CAMPAIGN_FILTER = ['campaign'] as const;

/** Scorecard editor: a campaign's current criteria as a draft; publishing writes a new version, then calls can be re-scored. */
export function ScorecardsTab() {
  const { t } = useTranslation('desk');
  const { filters, setFilter } = useUrlFilters(CAMPAIGN_FILTER);
  const campaigns = useQuery({ queryKey: ['campaigns', 'full'], queryFn: () => api<{ items: Campaign[] }>('/v1/campaigns') });
  const campaign = filters.campaign;
  const list = useQuery({
    queryKey: ['scorecards', campaign],
    queryFn: () => api<ScorecardList>(`/v1/campaigns/${encodeURIComponent(campaign)}/scorecards`),
    enabled: campaign !== '',
  });
  const fallback = useQuery({ queryKey: ['scorecards', 'default'], queryFn: () => api<ScorecardView>('/v1/scorecards/default'), enabled: campaign !== '' });
  const own = list.data?.items.find((c) => c.current);
  const current: ScorecardView | undefined = own ?? (list.data ? fallback.data : undefined);
  const [published, setPublished] = useState<ScorecardView | null>(null);
  return (
    <Stack>
      <Select
        label={t('scorecards.campaign')}
        data={(campaigns.data?.items ?? []).map((c) => ({ value: c.externalId, label: `${c.name} (${c.externalId})` }))}
        value={campaign || null}
        onChange={(v) => {
          setPublished(null);
          setFilter('campaign', v ?? '');
        }}
        w={320}
        searchable
      />
      <QueryState error={campaigns.error ?? list.error} pending={campaign !== '' && list.isPending} />
      {campaign === '' && <Text c="dimmed">{t('scorecards.pickCampaign')}</Text>}
      {published && (
        <Alert color="teal" role="status" data-testid="scorecard-published">
          {t('scorecards.published', { name: published.name, version: published.version })}
        </Alert>
      )}
      {/* keyed by the version in use: publishing starts the next draft from what was published */}
      {current && <ScorecardEditor key={`${campaign}:${current.name}:${current.version}`} campaign={campaign} current={current} own={own !== undefined} onPublished={setPublished} />}
    </Stack>
  );
}

function ScorecardEditor({ campaign, current, own, onPublished }: { campaign: string; current: ScorecardView; own: boolean; onPublished: (card: ScorecardView) => void }) {
  const { t } = useTranslation('desk');
  const client = useQueryClient();
  const [name, setName] = useState(current.name);
  const [criteria, setCriteria] = useState<CriterionDraft[]>(() =>
    current.criteria.map((c) => ({ id: c.id, label: c.label, weight: c.weight, critical: c.critical, source: JSON.stringify(c.source) })),
  );
  const publish = useMutation({
    mutationFn: () => {
      const parsed = criteria.map((c, i) => {
        try {
          return { id: c.id, label: c.label, weight: c.weight, critical: c.critical, source: JSON.parse(c.source) as unknown };
        } catch {
          throw new Error(`criteria.${i}.source: ${t('scorecards.badJson')}`);
        }
      });
      return api<ScorecardView>(`/v1/campaigns/${encodeURIComponent(campaign)}/scorecards`, { method: 'POST', body: { name, criteria: parsed } });
    },
    onSuccess: (card) => {
      onPublished(card);
      void client.invalidateQueries({ queryKey: ['scorecards', campaign] });
    },
  });
  const rescore = useMutation({
    mutationFn: () => api<{ jobId: string }>('/v1/evaluation/rescore', { method: 'POST', body: { campaign } }),
  });
  const errors = pathErrors(publish.error);
  const unplaced = publish.error ? errorMessages(publish.error).filter((m) => !Object.values(errors).includes(m)) : [];
  const total = criteria.reduce((sum, c) => sum + (Number.isFinite(c.weight) ? c.weight : 0), 0);
  const update = (i: number, change: Partial<CriterionDraft>) => setCriteria(criteria.map((c, j) => (j === i ? { ...c, ...change } : c)));

  return (
    <>
      {(
        <Paper withBorder p="sm" data-testid="scorecard-editor">
          <Stack gap="xs">
            <Text size="sm" data-testid="scorecard-current">
              {own ? t('scorecards.current', { name: current.name, version: current.version }) : t('scorecards.usingDefault', { name: current.name, version: current.version })}
            </Text>
            <TextInput label={t('scorecards.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={errors.name} w={360} />
            <ScrollArea>
              <Table miw={1200} data-testid="criteria-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('scorecards.id')}</Table.Th>
                    <Table.Th>{t('scorecards.label')}</Table.Th>
                    <Table.Th>{t('scorecards.weight')}</Table.Th>
                    <Table.Th>{t('scorecards.critical')}</Table.Th>
                    <Table.Th>{t('scorecards.source')}</Table.Th>
                    <Table.Th>{t('scorecards.na')}</Table.Th>
                    <Table.Th>{t('table.actions')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {criteria.map((c, i) => (
                    <Table.Tr key={i} data-criterion={c.id}>
                      <Table.Td>
                        <TextInput aria-label={t('scorecards.id')} value={c.id} onChange={(e) => update(i, { id: e.currentTarget.value })} error={errors[`criteria.${i}.id`]} size="xs" w={210} />
                      </Table.Td>
                      <Table.Td>
                        <TextInput aria-label={t('scorecards.label')} value={c.label} onChange={(e) => update(i, { label: e.currentTarget.value })} error={errors[`criteria.${i}.label`]} size="xs" w={300} />
                      </Table.Td>
                      <Table.Td>
                        <NumberInput aria-label={t('scorecards.weight')} value={c.weight} onChange={(v) => update(i, { weight: typeof v === 'number' ? v : Number.NaN })} error={errors[`criteria.${i}.weight`]} size="xs" w={90} />
                      </Table.Td>
                      <Table.Td>
                        <Checkbox aria-label={t('scorecards.critical')} checked={c.critical} onChange={(e) => update(i, { critical: e.currentTarget.checked })} />
                      </Table.Td>
                      <Table.Td>
                        <Textarea aria-label={t('scorecards.source')} value={c.source} onChange={(e) => update(i, { source: e.currentTarget.value })} error={errors[`criteria.${i}.source`]} size="xs" autosize minRows={1} w={320} ff="monospace" />
                      </Table.Td>
                      <Table.Td>
                        <Text size="xs">{canBeNa(c.source) ? t('scorecards.naYes') : t('scorecards.naNo')}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Button size="compact-xs" variant="light" color="red" onClick={() => setCriteria(criteria.filter((_, j) => j !== i))}>
                          {t('scorecards.remove')}
                        </Button>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea>
            {errors.criteria && <Text c="red" size="sm">{errors.criteria}</Text>}
            <Group justify="space-between">
              <Button
                size="xs"
                variant="default"
                onClick={() => setCriteria([...criteria, { id: '', label: '', weight: 5, critical: false, source: '{"kind":"finding_absent","families":[""]}' }])}
              >
                {t('scorecards.add')}
              </Button>
              <Text size="sm" data-testid="weight-total">
                {t('scorecards.total', { total })}
              </Text>
            </Group>
            {unplaced.length > 0 && <ErrorList error={publish.error} />}
            {rescore.isSuccess && (
              <Alert color="blue" role="status" data-testid="rescore-queued">
                {t('scorecards.rescoreQueued')}
              </Alert>
            )}
            {rescore.error && <ErrorList error={rescore.error} />}
            <Group justify="flex-end">
              <Button size="xs" variant="default" onClick={() => rescore.mutate()} loading={rescore.isPending} disabled={!own}>
                {t('scorecards.rescore')}
              </Button>
              <Button size="xs" onClick={() => publish.mutate()} loading={publish.isPending}>
                {t('scorecards.publish')}
              </Button>
            </Group>
          </Stack>
        </Paper>
      )}
    </>
  );
}

interface ThresholdDraft {
  id: string;
  metric: string;
  op: string;
  value: number;
  minSample?: number;
  severity: 'warning' | 'critical';
  entityKinds?: string[];
  description: string;
  clearAt?: number;
}

const OPS = ['>', '>=', '<', '<='];
const KINDS = ['agent', 'group', 'team', 'campaign'];

/** Thresholds editor: the rules in force, replaced as a whole by PUT /v1/thresholds; errors show at the field named. */
export function ThresholdsTab() {
  const { t } = useTranslation('desk');
  const thresholds = useQuery({ queryKey: ['thresholds'], queryFn: () => api<{ configured: boolean; thresholds: ThresholdDraft[] }>('/v1/thresholds') });
  const [saved, setSaved] = useState(false);
  return (
    <Stack>
      <QueryState error={thresholds.error} pending={thresholds.isPending} />
      {thresholds.data && (
        <Text size="sm" c="dimmed">
          {thresholds.data.configured ? t('thresholds.configured') : t('thresholds.defaults')}
        </Text>
      )}
      {saved && (
        <Alert color="teal" role="status" data-testid="thresholds-saved" withCloseButton onClose={() => setSaved(false)} closeButtonLabel={t('table.close')}>
          {t('thresholds.saved')}
        </Alert>
      )}
      {/* keyed by what is stored: a save starts the next edit from the saved rules */}
      {thresholds.data && <ThresholdsEditor key={JSON.stringify(thresholds.data.thresholds)} initial={thresholds.data.thresholds} onSaved={() => setSaved(true)} />}
    </Stack>
  );
}

function ThresholdsEditor({ initial, onSaved }: { initial: ThresholdDraft[]; onSaved: () => void }) {
  const { t } = useTranslation('desk');
  const client = useQueryClient();
  const [rules, setRules] = useState<ThresholdDraft[]>(() => initial.map((r) => ({ ...r })));
  const save = useMutation({
    mutationFn: () => api('/v1/thresholds', { method: 'PUT', body: { thresholds: rules } }),
    onSuccess: () => {
      onSaved();
      void client.invalidateQueries({ queryKey: ['thresholds'] });
    },
  });
  const errors: Record<string, string> = {};
  for (const message of save.error ? errorMessages(save.error) : []) {
    const match = /^thresholds\.(\d+)\.(\w+)/.exec(message);
    if (match) errors[`${match[1]}.${match[2]}`] ??= message;
  }
  const placed = new Set(Object.values(errors));
  const update = (i: number, change: Partial<ThresholdDraft>) => setRules(rules.map((r, j) => (j === i ? { ...r, ...change } : r)));
  return (
    <Stack>
      {rules.length > 0 && (
        <ScrollArea>
          <Table miw={1100} data-testid="thresholds-table">
            <Table.Thead>
              <Table.Tr>
                {(['id', 'metric', 'op', 'value', 'minSample', 'severity', 'entityKinds', 'description'] as const).map((h) => (
                  <Table.Th key={h}>{t(`thresholds.${h}`)}</Table.Th>
                ))}
                <Table.Th>{t('table.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rules.map((r, i) => (
                <Table.Tr key={i} data-threshold={r.id}>
                  <Table.Td>
                    <TextInput aria-label={t('thresholds.id')} value={r.id} onChange={(e) => update(i, { id: e.currentTarget.value })} error={errors[`${i}.id`]} size="xs" w={150} />
                  </Table.Td>
                  <Table.Td>
                    <TextInput aria-label={t('thresholds.metric')} value={r.metric} onChange={(e) => update(i, { metric: e.currentTarget.value })} error={errors[`${i}.metric`]} size="xs" w={200} />
                  </Table.Td>
                  <Table.Td>
                    <Select aria-label={t('thresholds.op')} data={OPS} value={r.op} onChange={(v) => v && update(i, { op: v })} error={errors[`${i}.op`]} size="xs" w={70} allowDeselect={false} />
                  </Table.Td>
                  <Table.Td>
                    <NumberInput aria-label={t('thresholds.value')} value={r.value} onChange={(v) => update(i, { value: typeof v === 'number' ? v : Number.NaN })} error={errors[`${i}.value`]} size="xs" w={100} decimalScale={4} />
                  </Table.Td>
                  <Table.Td>
                    <NumberInput
                      aria-label={t('thresholds.minSample')}
                      value={r.minSample ?? ''}
                      onChange={(v) => update(i, { minSample: typeof v === 'number' ? v : undefined })}
                      error={errors[`${i}.minSample`]}
                      size="xs"
                      w={80}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Select
                      aria-label={t('thresholds.severity')}
                      data={[
                        { value: 'warning', label: t('thresholds.warning') },
                        { value: 'critical', label: t('thresholds.critical') },
                      ]}
                      value={r.severity}
                      onChange={(v) => v && update(i, { severity: v as ThresholdDraft['severity'] })}
                      size="xs"
                      w={110}
                      allowDeselect={false}
                    />
                  </Table.Td>
                  <Table.Td>
                    <MultiSelect
                      aria-label={t('thresholds.entityKinds')}
                      data={KINDS.map((k) => ({ value: k, label: t(`dash.level.${k}`) }))}
                      value={r.entityKinds ?? []}
                      placeholder={r.entityKinds?.length ? undefined : t('thresholds.allLevels')}
                      onChange={(kinds) => update(i, { entityKinds: kinds.length ? kinds : undefined })}
                      error={errors[`${i}.entityKinds`]}
                      size="xs"
                      w={190}
                    />
                  </Table.Td>
                  <Table.Td>
                    <TextInput aria-label={t('thresholds.description')} value={r.description} onChange={(e) => update(i, { description: e.currentTarget.value })} error={errors[`${i}.description`]} size="xs" w={240} />
                  </Table.Td>
                  <Table.Td>
                    <Button size="compact-xs" variant="light" color="red" onClick={() => setRules(rules.filter((_, j) => j !== i))}>
                      {t('scorecards.remove')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      )}
      {save.error && errorMessages(save.error).some((m) => !placed.has(m)) && <ErrorList error={save.error} />}
      <Group justify="space-between">
        <Button size="xs" variant="default" onClick={() => setRules([...rules, { id: '', metric: 'violationRate', op: '>', value: 0, severity: 'warning', description: '' }])}>
          {t('thresholds.add')}
        </Button>
        <Button size="xs" onClick={() => save.mutate()} loading={save.isPending} >
          {t('thresholds.save')}
        </Button>
      </Group>
    </Stack>
  );
}
