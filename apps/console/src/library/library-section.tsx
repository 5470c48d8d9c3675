import { Anchor, Badge, Button, Group, Modal, NumberInput, Paper, SegmentedControl, Select, Stack, Tabs, TagsInput, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Route, Routes, useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { api, queryString } from '../api.js';
import { ToneBadge } from '../components/badges.js';
import { FilterBar } from '../components/filter-bar.js';
import { QueryState } from '../components/query-state.js';
import { clock, useFormat } from '../format.js';
import { periodParams, useUrlFilters } from '../url-filters.js';
import '../desk/i18n.js';
import { PagedTable } from '../desk/paged-table.js';
import { ErrorList } from '../compliance/opt-outs-tab.js';
import type { CallDetailsView } from '#libs/api-contract';
import { SpanPicker } from './span-picker.js';

interface Collection {
  id: string;
  name: string;
  description: string | null;
  itemCount: number;
  createdBy: string;
  createdAt: string;
}
interface Item {
  id: string;
  collection: { id: string; name: string };
  callId: string;
  findingId: string | null;
  startSeconds: number;
  endSeconds: number;
  label: 'good' | 'bad';
  topics: string[];
  notes: string | null;
  createdBy: string;
  createdAt: string;
  call: { startedAt: string; agent: string | null; campaign: string | null };
  finding: { ruleId: string; severity: string; hasClip: boolean } | null;
}
interface Example {
  callId: string;
  startedAt: string;
  agent: { externalId: string; name: string } | null;
  campaign: string | null;
  score: number;
  autoFailed: boolean;
  scorecard: { name: string; version: number };
  criterion: { criterionId: string; label: string; result: string; findings: { id: string; startSeconds: number | null; endSeconds: number | null; ruleId?: string }[] } | null;
}

const TABS = ['collections', 'items', 'examples'] as const;

/** The trainer library (trainer, qa_lead, admin): collections of good and bad example calls. */
export default function LibrarySection() {
  const { t } = useTranslation('desk');
  const location = useLocation();
  const navigate = useNavigate();
  const current = location.pathname.split('/')[2] ?? 'collections';
  return (
    <Stack>
      <Title order={2}>{t('library.title')}</Title>
      <Tabs value={TABS.includes(current as (typeof TABS)[number]) ? current : 'collections'} onChange={(value) => value && navigate(`/library/${value}`)}>
        <Tabs.List>
          {TABS.map((tab) => (
            <Tabs.Tab key={tab} value={tab}>
              {t(`library.tabs.${tab}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Routes>
        <Route path="collections" element={<CollectionsTab />} />
        <Route path="collections/:id" element={<CollectionTab />} />
        <Route path="items" element={<ItemsTab />} />
        <Route path="examples" element={<ExamplesTab />} />
        <Route path="*" element={<Navigate to="collections" replace />} />
      </Routes>
    </Stack>
  );
}

function CollectionsTab() {
  const { t } = useTranslation('desk');
  const format = useFormat();
  const url = useUrlFilters([] as const);
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const create = useMutation({
    mutationFn: () => api<Collection>('/v1/library/collections', { method: 'POST', body: { name, description: description || undefined } }),
    onSuccess: () => {
      setName('');
      setDescription('');
      void client.invalidateQueries({ queryKey: ['/v1/library/collections'] });
    },
  });
  return (
    <Stack>
      <Paper withBorder p="sm">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            create.mutate();
          }}
        >
          <Group align="flex-end">
            <TextInput label={t('library.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} required size="xs" w={260} />
            <TextInput label={t('library.description')} value={description} onChange={(e) => setDescription(e.currentTarget.value)} size="xs" w={360} />
            <Button type="submit" size="xs" loading={create.isPending}>
              {t('library.create')}
            </Button>
          </Group>
        </form>
        {create.error && <ErrorList error={create.error} />}
      </Paper>
      <PagedTable<Collection>
        path="/v1/library/collections"
        params={{}}
        paging={url}
        pageSize={200}
        csvName="library-collections"
        testId="collections-table"
        rowKey={(row) => row.id}
        columns={[
          {
            header: t('library.name'),
            cell: (row) => (
              <Anchor component={Link} to={`/library/collections/${row.id}`} fw={600} size="sm">
                {row.name}
              </Anchor>
            ),
            csv: (row) => row.name,
          },
          { header: t('library.description'), cell: (row) => row.description ?? '—', csv: (row) => row.description },
          { header: t('library.items'), cell: (row) => row.itemCount, csv: (row) => row.itemCount },
          { header: t('library.createdBy'), cell: (row) => row.createdBy, csv: (row) => row.createdBy },
          { header: t('library.createdAt'), cell: (row) => format.dateTime(row.createdAt), csv: (row) => row.createdAt },
        ]}
      />
    </Stack>
  );
}

/** Plays an item: the finding's clip, else its span of the call's (redacted) recording. */
function ItemPlayer({ item }: { item: Pick<Item, 'callId' | 'findingId' | 'startSeconds' | 'endSeconds' | 'finding'> }) {
  const { t } = useTranslation('desk');
  const src = item.findingId && item.finding?.hasClip ? `/v1/findings/${item.findingId}/clip` : `/v1/calls/${item.callId}/audio#t=${item.startSeconds},${item.endSeconds}`;
  return <audio controls preload="none" src={src} aria-label={t('library.play')} style={{ height: 32, maxWidth: 240 }} />;
}

function itemColumns(t: (key: string, options?: Record<string, unknown>) => string, withCollection: boolean, onEdit?: (item: Item) => void) {
  return [
    ...(withCollection
      ? [
          {
            header: t('library.collection'),
            cell: (row: Item) => (
              <Anchor component={Link} to={`/library/collections/${row.collection.id}`} size="sm">
                {row.collection.name}
              </Anchor>
            ),
            csv: (row: Item) => row.collection.name,
          },
        ]
      : []),
    { header: t('library.label'), cell: (row: Item) => <ToneBadge tone={row.label === 'good' ? 'teal' : 'red'}>{t(`library.labels.${row.label}`)}</ToneBadge>, csv: (row: Item) => row.label },
    {
      header: t('library.call'),
      cell: (row: Item) => (
        <Anchor component={Link} to={`/calls/${row.callId}`} size="sm">
          {row.call.agent ?? row.callId.slice(0, 8)} · {clock(row.startSeconds)}–{clock(row.endSeconds)}
        </Anchor>
      ),
      csv: (row: Item) => `${row.callId} ${row.startSeconds}-${row.endSeconds}`,
    },
    { header: t('library.topics'), cell: (row: Item) => <Group gap={4}>{row.topics.map((topic) => <Badge key={topic} variant="outline" color="dark" size="sm">{topic}</Badge>)}</Group>, csv: (row: Item) => row.topics.join('; ') },
    { header: t('library.notes'), cell: (row: Item) => <Text size="xs" lineClamp={2}>{row.notes ?? ''}</Text>, csv: (row: Item) => row.notes },
    { header: t('library.play'), cell: (row: Item) => <ItemPlayer item={row} /> },
    ...(onEdit
      ? [
          {
            header: t('table.actions'),
            cell: (row: Item) => (
              <Button size="compact-xs" variant="default" onClick={() => onEdit(row)}>
                {t('library.edit')}
              </Button>
            ),
          },
        ]
      : []),
  ];
}

function CollectionTab() {
  const { t } = useTranslation('desk');
  const { id = '' } = useParams();
  const [search] = useSearchParams();
  const [editing, setEditing] = useState<Item | null>(null);
  const collection = useQuery({ queryKey: ['/v1/library/collections', id], queryFn: () => api<Collection & { items: Item[] }>(`/v1/library/collections/${id}`) });
  return (
    <Stack>
      <QueryState error={collection.error} pending={collection.isPending} />
      {collection.data && (
        <>
          <Group justify="space-between">
            <div>
              <Title order={3} size="h4">
                {collection.data.name}
              </Title>
              <Text size="sm" c="dimmed">
                {collection.data.description}
              </Text>
            </div>
            <Button component="a" href={`/v1/library/collections/${id}/export`} download data-testid="export-collection">
              {t('library.export')}
            </Button>
          </Group>
          <AddSpan collectionId={id} initialCall={search.get('call') ?? ''} />
          {collection.data.items.length === 0 ? (
            <Text c="dimmed">{t('library.noItems')}</Text>
          ) : (
            <SimpleTable rows={collection.data.items} columns={itemColumns(t, false, setEditing)} testId="collection-items" />
          )}
          {editing && <EditItem collectionId={id} item={editing} onClose={() => setEditing(null)} />}
        </>
      )}
    </Stack>
  );
}

function SimpleTable<T extends { id: string }>({ rows, columns, testId }: { rows: T[]; columns: { header: string; cell: (row: T) => React.ReactNode }[]; testId: string }) {
  return (
    <Paper withBorder>
      <table className="mantine-Table-table" style={{ width: '100%', borderCollapse: 'collapse' }} data-testid={testId}>
        <thead>
          <tr>
            {columns.map((column, index) => (
              <th key={index} style={{ textAlign: 'left', padding: 8, fontSize: 14 }}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} style={{ borderTop: '1px solid var(--mantine-color-gray-3)' }}>
              {columns.map((column, index) => (
                <td key={index} style={{ padding: 8, fontSize: 14 }}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </Paper>
  );
}

function AddSpan({ collectionId, initialCall }: { collectionId: string; initialCall: string }) {
  const { t } = useTranslation('desk');
  const format = useFormat();
  const client = useQueryClient();
  const [callId, setCallId] = useState(initialCall);
  const [start, setStart] = useState<number | string>(0);
  const [end, setEnd] = useState<number | string>(10);
  const [label, setLabel] = useState<'good' | 'bad'>('good');
  const [topics, setTopics] = useState<string[]>([]);
  const [notes, setNotes] = useState('');
  const validCall = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(callId.trim());
  const call = useQuery({ queryKey: ['calls', callId.trim()], queryFn: () => api<CallDetailsView>(`/v1/calls/${callId.trim()}`), enabled: validCall });
  const timed = (call.data?.findings ?? []).filter((f) => f.evidence?.startSeconds !== undefined && f.reviewState !== 'dismissed');
  const add = useMutation({
    mutationFn: (findingId: string | null) =>
      api<Item>(`/v1/library/collections/${collectionId}/items`, {
        method: 'POST',
        body: findingId
          ? { findingId, label, topics, notes: notes || undefined }
          : { callId: callId.trim(), startSeconds: Number(start), endSeconds: Number(end), label, topics, notes: notes || undefined },
      }),
    onSuccess: () => {
      setNotes('');
      void client.invalidateQueries({ queryKey: ['/v1/library/collections'] });
    },
  });
  return (
    <Paper withBorder p="sm">
      <Title order={4} size="h5" mb="xs">
        {t('library.addSpan')}
      </Title>
      <Group align="flex-end" wrap="wrap">
        <TextInput label={t('library.callId')} value={callId} onChange={(e) => setCallId(e.currentTarget.value)} size="xs" w={300} />
        <SegmentedControl
          aria-label={t('library.label')}
          value={label}
          onChange={(value) => setLabel(value as 'good' | 'bad')}
          data={[
            { value: 'good', label: t('library.labels.good') },
            { value: 'bad', label: t('library.labels.bad') },
          ]}
          size="xs"
        />
        <TagsInput label={t('library.topics')} value={topics} onChange={setTopics} size="xs" w={220} />
        <TextInput label={t('library.notes')} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} size="xs" w={240} />
      </Group>
      {validCall && (
        <Stack gap="xs" mt="sm">
          <SpanPicker
            callId={callId.trim()}
            start={Number(start) || 0}
            end={Number(end) || 0}
            onChange={(from, to) => {
              setStart(from);
              setEnd(to);
            }}
          />
          <Group align="flex-end">
            <NumberInput label={t('library.start')} value={start} onChange={setStart} min={0} decimalScale={1} size="xs" w={100} />
            <NumberInput label={t('library.end')} value={end} onChange={setEnd} min={0} decimalScale={1} size="xs" w={100} />
            <Button size="xs" onClick={() => add.mutate(null)} loading={add.isPending && add.variables === null}>
              {t('library.add')}
            </Button>
          </Group>
          {timed.length > 0 && (
            <Stack gap={4} data-testid="call-findings">
              <Text size="sm" fw={600}>
                {t('library.orFinding')}
              </Text>
              {timed.map((finding) => (
                <Group key={finding.id} gap="xs">
                  <Button size="compact-xs" variant="default" onClick={() => add.mutate(finding.id)} loading={add.isPending && add.variables === finding.id}>
                    {t('library.addFinding')}
                  </Button>
                  <Text size="sm">
                    {format.family(finding.family, finding.ruleId)} · {clock(finding.evidence?.startSeconds ?? 0)}–{clock(finding.evidence?.endSeconds ?? finding.evidence?.startSeconds ?? 0)}
                    {finding.evidence?.text ? ` · “${finding.evidence.text}”` : ''}
                  </Text>
                </Group>
              ))}
            </Stack>
          )}
        </Stack>
      )}
      {call.error && <ErrorList error={call.error} />}
      {add.error && <ErrorList error={add.error} />}
    </Paper>
  );
}

function EditItem({ collectionId, item, onClose }: { collectionId: string; item: Item; onClose: () => void }) {
  const { t } = useTranslation('desk');
  const client = useQueryClient();
  const [label, setLabel] = useState(item.label);
  const [topics, setTopics] = useState(item.topics);
  const [notes, setNotes] = useState(item.notes ?? '');
  const done = () => {
    void client.invalidateQueries({ queryKey: ['/v1/library/collections'] });
    onClose();
  };
  const save = useMutation({ mutationFn: () => api(`/v1/library/collections/${collectionId}/items/${item.id}`, { method: 'PATCH', body: { label, topics, notes: notes || null } }), onSuccess: done });
  const remove = useMutation({ mutationFn: () => api(`/v1/library/collections/${collectionId}/items/${item.id}`, { method: 'DELETE' }), onSuccess: done });
  return (
    <Modal opened onClose={onClose} title={t('library.edit')} closeButtonProps={{ 'aria-label': t('table.close') }}>
      <Stack>
        <Select label={t('library.label')} data={(['good', 'bad'] as const).map((value) => ({ value, label: t(`library.labels.${value}`) }))} value={label} onChange={(value) => value && setLabel(value as 'good' | 'bad')} />
        <TagsInput label={t('library.topics')} value={topics} onChange={setTopics} />
        <Textarea label={t('library.notes')} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} />
        {(save.error ?? remove.error) && <ErrorList error={save.error ?? remove.error} />}
        <Group justify="space-between">
          <Button color="red" variant="light" onClick={() => remove.mutate()} loading={remove.isPending}>
            {t('library.removeItem')}
          </Button>
          <Button onClick={() => save.mutate()} loading={save.isPending}>
            {t('table.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

const ITEM_FILTERS = ['topic', 'label', 'collection'] as const;

function ItemsTab() {
  const { t } = useTranslation('desk');
  const url = useUrlFilters(ITEM_FILTERS);
  return (
    <Stack>
      <Paper withBorder p="sm">
        <FilterBar
          fields={[
            { key: 'topic', label: t('library.topic'), kind: 'text' },
            { key: 'label', label: t('library.label'), kind: 'select', options: ['good', 'bad'].map((value) => ({ value, label: t(`library.labels.${value}`) })) },
          ]}
          values={url.filters}
          onChange={(key, value) => url.setFilter(key as (typeof ITEM_FILTERS)[number], value)}
          onClear={url.clear}
        />
      </Paper>
      <PagedTable<Item> path="/v1/library/items" params={url.filters} paging={url} pageSize={200} csvName="library-items" testId="items-table" rowKey={(row) => row.id} columns={itemColumns(t, true)} />
    </Stack>
  );
}

const EXAMPLE_FILTERS = ['criterion', 'campaign', 'agent', 'order', 'from', 'to'] as const;

/** Pull examples: the worst calls for a failed criterion, or the best of a campaign or agent, each added with one click. */
function ExamplesTab() {
  const { t } = useTranslation('desk');
  const { t: tc } = useTranslation();
  const format = useFormat();
  const url = useUrlFilters(EXAMPLE_FILTERS);
  const client = useQueryClient();
  const { from, to, ...rest } = url.filters;
  const [target, setTarget] = useState<string | null>(null);
  const [added, setAdded] = useState<Record<string, boolean>>({});
  const collections = useQuery({ queryKey: ['/v1/library/collections', 'picker'], queryFn: () => api<{ items: Collection[] }>('/v1/library/collections?limit=200') });
  const examples = useQuery({
    queryKey: ['examples', url.filters],
    queryFn: () => api<{ from: string; to: string; order: string; items: Example[] }>(`/v1/library/examples${queryString({ ...rest, ...periodParams(from, to) })}`),
  });
  const add = useMutation({
    mutationFn: async (example: Example) => {
      const label = examples.data?.order === 'worst' ? 'bad' : 'good';
      const topics = example.criterion ? [example.criterion.criterionId] : [];
      let findingId = example.criterion?.findings.find((f) => f.startSeconds !== null && f.endSeconds !== null)?.id;
      let endSeconds = 60;
      if (!findingId) {
        // no criterion asked: a bad example is its most severe timed finding, a good one its first minute
        const call = await api<CallDetailsView>(`/v1/calls/${example.callId}`);
        const rank = { critical: 0, major: 1, minor: 2 } as Record<string, number>;
        const timed = call.findings.filter((f) => f.evidence?.startSeconds !== undefined && f.reviewState !== 'dismissed').sort((a, b) => (rank[a.severity] ?? 3) - (rank[b.severity] ?? 3));
        if (label === 'bad') findingId = timed[0]?.id;
        endSeconds = Math.min(60, Math.floor(call.durationSeconds ?? 60));
      }
      const body = findingId ? { findingId, label, topics } : { callId: example.callId, startSeconds: 0, endSeconds, label, topics };
      return api(`/v1/library/collections/${target}/items`, { method: 'POST', body });
    },
    onSuccess: (_item, example) => {
      setAdded((current) => ({ ...current, [example.callId]: true }));
      void client.invalidateQueries({ queryKey: ['/v1/library/collections'] });
    },
  });
  return (
    <Stack>
      <Paper withBorder p="sm">
        <FilterBar
          fields={[
            { key: 'criterion', label: t('library.criterion'), kind: 'text' },
            { key: 'campaign', label: t('critical.campaign'), kind: 'text' },
            { key: 'agent', label: t('critical.agent'), kind: 'text' },
            { key: 'order', label: t('library.order'), kind: 'select', options: ['worst', 'best'].map((value) => ({ value, label: t(`library.orders.${value}`) })) },
            { key: 'from', label: tc('common.from'), kind: 'date' },
            { key: 'to', label: tc('common.to'), kind: 'date' },
          ]}
          values={url.filters}
          onChange={(key, value) => url.setFilter(key as (typeof EXAMPLE_FILTERS)[number], value)}
          onClear={url.clear}
        />
      </Paper>
      <Select
        label={t('library.addTo')}
        data={(collections.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
        value={target}
        onChange={setTarget}
        w={300}
        size="xs"
      />
      <QueryState error={examples.error} pending={examples.isPending} />
      {add.error && <ErrorList error={add.error} />}
      {examples.data && examples.data.items.length === 0 && <Text c="dimmed">{t('table.empty')}</Text>}
      {examples.data && examples.data.items.length > 0 && (
        <SimpleTable
          testId="examples-table"
          rows={examples.data.items.map((example) => ({ ...example, id: example.callId }))}
          columns={[
            { header: t('library.call'), cell: (row) => <Anchor component={Link} to={`/calls/${row.callId}`} size="sm">{row.callId.slice(0, 8)}</Anchor> },
            { header: t('critical.started'), cell: (row) => format.dateTime(row.startedAt) },
            { header: t('critical.agent'), cell: (row) => row.agent?.name ?? row.agent?.externalId ?? '—' },
            { header: t('critical.campaign'), cell: (row) => row.campaign ?? '—' },
            { header: t('library.score'), cell: (row) => `${format.number(row.score)}${row.autoFailed ? ' ✕' : ''}` },
            { header: t('library.criterion'), cell: (row) => (row.criterion ? `${row.criterion.label}: ${row.criterion.result}` : '—') },
            {
              header: t('table.actions'),
              cell: (row) =>
                added[row.callId] ? (
                  <ToneBadge tone="teal">{t('library.addedOne')}</ToneBadge>
                ) : (
                  <Button size="compact-xs" disabled={!target} onClick={() => add.mutate(row)} loading={add.isPending && add.variables?.callId === row.callId}>
                    {t('library.addOne')}
                  </Button>
                ),
            },
          ]}
        />
      )}
    </Stack>
  );
}


