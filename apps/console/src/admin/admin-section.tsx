import { Alert, Button, Checkbox, Code, Group, Modal, NumberInput, Paper, PasswordInput, ScrollArea, Select, Stack, Table, Tabs, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import type { ApiKeyView as ApiKey, UserView } from '#libs/api-contract';
import { ROLES, type Role } from '#libs/domain';
import { api } from '../api.js';
import { ToneBadge } from '../components/badges.js';
import { QueryState } from '../components/query-state.js';
import { useFormat } from '../format.js';
import { useUrlFilters } from '../url-filters.js';
import '../desk/i18n.js';
import { downloadText, toCsv } from '../desk/csv.js';
import { PagedTable } from '../desk/paged-table.js';
import { fieldErrors } from '../desk/upload.js';
import { ErrorList } from '../compliance/opt-outs-tab.js';
import type { Campaign } from '../compliance/retention-tab.js';
import { ScorecardsTab, ThresholdsTab } from './scoring-tabs.js';


const TABS = ['users', 'api-keys', 'campaigns', 'scorecards', 'thresholds'] as const;

/** Administration (admin only): users and roles, API keys, campaign settings, scorecards and thresholds. */
export default function AdminSection() {
  const { t } = useTranslation('desk');
  const location = useLocation();
  const navigate = useNavigate();
  const current = location.pathname.split('/')[2] ?? 'users';
  return (
    <Stack>
      <Title order={2}>{t('admin.title')}</Title>
      <Tabs value={current} onChange={(value) => value && navigate(`/admin/${value}`)}>
        <Tabs.List>
          {TABS.map((tab) => (
            <Tabs.Tab key={tab} value={tab}>
              {t(`admin.tabs.${tab}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Routes>
        <Route path="users" element={<UsersTab />} />
        <Route path="api-keys" element={<ApiKeysTab />} />
        <Route path="campaigns" element={<CampaignsTab />} />
        <Route path="scorecards" element={<ScorecardsTab />} />
        <Route path="thresholds" element={<ThresholdsTab />} />
        <Route path="*" element={<Navigate to="users" replace />} />
      </Routes>
    </Stack>
  );
}

function RoleSelect({ value, onChange, label, exclude = [] }: { value: Role; onChange: (role: Role) => void; label: string; exclude?: Role[] }) {
  const { t } = useTranslation();
  return <Select label={label} data={ROLES.filter((role) => !exclude.includes(role)).map((role) => ({ value: role, label: t(`roles.${role}`) }))} value={value} onChange={(v) => v && onChange(v as Role)} size="xs" w={150} allowDeselect={false} />;
}

function UsersTab() {
  const { t } = useTranslation('desk');
  const { t: tc } = useTranslation();
  const format = useFormat();
  const url = useUrlFilters([] as const);
  const client = useQueryClient();
  const [editing, setEditing] = useState<UserView | null>(null);
  const [form, setForm] = useState({ email: '', displayName: '', role: 'qa_lead' as Role, agent: '', password: '', unredactedAccess: false });
  const create = useMutation({
    mutationFn: () => api<UserView>('/v1/users', { method: 'POST', body: { ...form, agent: form.role === 'agent' ? form.agent : undefined } }),
    onSuccess: () => {
      setForm({ email: '', displayName: '', role: 'qa_lead', agent: '', password: '', unredactedAccess: false });
      void client.invalidateQueries({ queryKey: ['/v1/users'] });
    },
  });
  const errors = fieldErrors(create.error, ['email', 'displayName', 'role', 'agent', 'password']);
  return (
    <Stack>
      <Paper withBorder p="sm">
        <Title order={3} size="h5" mb="xs">
          {t('admin.newUser')}
        </Title>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            create.mutate();
          }}
        >
          <Group align="flex-start" wrap="wrap">
            <TextInput label={t('admin.email')} value={form.email} onChange={(e) => setForm({ ...form, email: e.currentTarget.value })} error={errors.email} size="xs" w={220} />
            <TextInput label={t('admin.displayName')} value={form.displayName} onChange={(e) => setForm({ ...form, displayName: e.currentTarget.value })} error={errors.displayName} size="xs" w={180} />
            <RoleSelect label={t('admin.role')} value={form.role} onChange={(role) => setForm({ ...form, role })} exclude={['integration']} />
            {form.role === 'agent' && <TextInput label={t('admin.agent')} value={form.agent} onChange={(e) => setForm({ ...form, agent: e.currentTarget.value })} error={errors.agent} size="xs" w={140} />}
            <PasswordInput label={t('admin.password')} value={form.password} onChange={(e) => setForm({ ...form, password: e.currentTarget.value })} error={errors.password} size="xs" w={180} />
            <Checkbox label={t('admin.unredacted')} checked={form.unredactedAccess} onChange={(e) => setForm({ ...form, unredactedAccess: e.currentTarget.checked })} mt={28} />
            <Button type="submit" size="xs" mt={22} loading={create.isPending}>
              {t('admin.create')}
            </Button>
          </Group>
        </form>
        {create.error && Object.keys(errors).length === 0 && <ErrorList error={create.error} />}
      </Paper>
      <PagedTable<UserView>
        path="/v1/users"
        params={{}}
        paging={url}
        pageSize={200}
        csvName="users"
        testId="users-table"
        rowKey={(row) => row.id}
        columns={[
          { header: t('admin.displayName'), cell: (row) => row.displayName, csv: (row) => row.displayName },
          { header: t('admin.email'), cell: (row) => row.email, csv: (row) => row.email },
          { header: t('admin.role'), cell: (row) => <ToneBadge tone="indigo">{tc(`roles.${row.role}`)}</ToneBadge>, csv: (row) => row.role },
          { header: t('admin.agent'), cell: (row) => row.agent?.externalId ?? '—', csv: (row) => row.agent?.externalId },
          { header: t('admin.unredacted'), cell: (row) => (row.unredactedAccess ? tc('common.yes') : tc('common.no')), csv: (row) => row.unredactedAccess },
          { header: t('admin.state'), cell: (row) => (row.disabled ? <ToneBadge tone="gray">{t('admin.disabled')}</ToneBadge> : <ToneBadge tone="teal">{t('admin.active')}</ToneBadge>), csv: (row) => (row.disabled ? 'disabled' : 'active') },
          { header: t('library.createdAt'), cell: (row) => format.dateTime(row.createdAt), csv: (row) => row.createdAt },
          {
            header: t('table.actions'),
            cell: (row) => (
              <Button size="compact-xs" variant="default" onClick={() => setEditing(row)}>
                {t('library.edit')}
              </Button>
            ),
          },
        ]}
      />
      {editing && <EditUser user={editing} onClose={() => setEditing(null)} />}
    </Stack>
  );
}

function EditUser({ user, onClose }: { user: UserView; onClose: () => void }) {
  const { t } = useTranslation('desk');
  const client = useQueryClient();
  const [role, setRole] = useState<Role>(user.role);
  const [agent, setAgent] = useState(user.agent?.externalId ?? '');
  const [unredactedAccess, setUnredacted] = useState(user.unredactedAccess);
  const [disabled, setDisabled] = useState(user.disabled);
  const save = useMutation({
    mutationFn: () => api(`/v1/users/${user.id}`, { method: 'PATCH', body: { role, agent: role === 'agent' && agent ? agent : undefined, unredactedAccess, disabled } }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['/v1/users'] });
      onClose();
    },
  });
  const errors = fieldErrors(save.error, ['role', 'agent']);
  return (
    <Modal opened onClose={onClose} title={t('admin.editUser', { email: user.email })} closeButtonProps={{ 'aria-label': t('table.close') }}>
      <Stack>
        <RoleSelect label={t('admin.role')} value={role} onChange={setRole} exclude={['integration']} />
        {role === 'agent' && <TextInput label={t('admin.agent')} value={agent} onChange={(e) => setAgent(e.currentTarget.value)} error={errors.agent} />}
        <Checkbox label={t('admin.unredacted')} checked={unredactedAccess} onChange={(e) => setUnredacted(e.currentTarget.checked)} />
        <Checkbox label={t('admin.disable')} checked={disabled} onChange={(e) => setDisabled(e.currentTarget.checked)} />
        {save.error && Object.keys(errors).length === 0 && <ErrorList error={save.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('table.cancel')}
          </Button>
          <Button onClick={() => save.mutate()} loading={save.isPending}>
            {t('table.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function ApiKeysTab() {
  const { t } = useTranslation('desk');
  const { t: tc } = useTranslation();
  const format = useFormat();
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('integration');
  const [created, setCreated] = useState<(ApiKey & { key: string }) | null>(null);
  const url = useUrlFilters([] as const);
  const create = useMutation({
    mutationFn: () => api<ApiKey & { key: string }>('/v1/api-keys', { method: 'POST', body: { name, role } }),
    onSuccess: (key) => {
      setCreated(key);
      setName('');
      void client.invalidateQueries({ queryKey: ['/v1/api-keys'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api(`/v1/api-keys/${id}`, { method: 'DELETE' }),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['/v1/api-keys'] }),
  });
  const errors = fieldErrors(create.error, ['name', 'role']);
  return (
    <Stack>
      <Paper withBorder p="sm" data-testid="api-key-form">
        <form
          onSubmit={(event) => {
            event.preventDefault();
            create.mutate();
          }}
        >
          <Group align="flex-start">
            <TextInput label={t('admin.keyName')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={errors.name} size="xs" w={220} />
            <RoleSelect label={t('admin.role')} value={role} onChange={setRole} exclude={['agent']} />
            <Button type="submit" size="xs" mt={22} loading={create.isPending}>
              {t('admin.createKey')}
            </Button>
          </Group>
        </form>
        {create.error && Object.keys(errors).length === 0 && <ErrorList error={create.error} />}
      </Paper>
      {created && (
        <Alert color="yellow" title={t('admin.keyOnce')} role="status" data-testid="created-key" withCloseButton onClose={() => setCreated(null)} closeButtonLabel={t('table.close')}>
          <Code block>{created.key}</Code>
          <Button size="compact-xs" mt="xs" variant="default" onClick={() => void navigator.clipboard?.writeText(created.key)}>
            {t('admin.copy')}
          </Button>
        </Alert>
      )}
      <PagedTable<ApiKey>
        path="/v1/api-keys"
        params={{}}
        paging={url}
        pageSize={200}
        csvName="api-keys"
        testId="api-keys-table"
        rowKey={(key) => key.id}
        columns={[
          { header: t('admin.keyName'), cell: (key) => key.name, csv: (key) => key.name },
          { header: t('admin.role'), cell: (key) => tc(`roles.${key.role}`), csv: (key) => key.role },
          { header: t('admin.prefix'), cell: (key) => <Code>{key.prefix}…</Code>, csv: (key) => key.prefix },
          { header: t('library.createdAt'), cell: (key) => format.dateTime(key.createdAt), csv: (key) => key.createdAt },
          { header: t('admin.lastUsed'), cell: (key) => format.dateTime(key.lastUsedAt), csv: (key) => key.lastUsedAt },
          {
            header: t('admin.state'),
            cell: (key) => (key.revokedAt ? <ToneBadge tone="gray">{t('admin.revoked')}</ToneBadge> : <ToneBadge tone="teal">{t('admin.active')}</ToneBadge>),
            csv: (key) => key.revokedAt,
          },
          {
            header: t('table.actions'),
            cell: (key) =>
              !key.revokedAt && (
                <Button size="compact-xs" color="red" variant="light" onClick={() => window.confirm(t('admin.revokeConfirm', { name: key.name })) && revoke.mutate(key.id)}>
                  {t('admin.revoke')}
                </Button>
              ),
          },
        ]}
      />
    </Stack>
  );
}

const CAMPAIGN_FIELDS = ['name', 'language', 'talkRatioAgentTarget', 'talkRatioTolerance', 'agentChannel', 'vadDetector', 'transcriptionModel', 'retentionDays', 'timeZone'] as const;

function CampaignsTab() {
  const { t } = useTranslation('desk');
  const campaigns = useQuery({ queryKey: ['campaigns', 'full'], queryFn: () => api<{ items: Campaign[] }>('/v1/campaigns') });
  const [editing, setEditing] = useState<Campaign | 'new' | null>(null);
  const rows = campaigns.data?.items ?? [];
  return (
    <Stack>
      <Group justify="space-between">
        <Button size="xs" onClick={() => setEditing('new')}>
          {t('admin.newCampaign')}
        </Button>
        <Button
          size="xs"
          variant="default"
          disabled={rows.length === 0}
          onClick={() => downloadText('campaigns.csv', toCsv(rows, [{ header: 'externalId', value: (c) => c.externalId }, ...CAMPAIGN_FIELDS.map((field) => ({ header: t(`admin.campaign.${field}`), value: (c: Campaign) => c[field] }))]))}
        >
          {t('table.exportCsv')}
        </Button>
      </Group>
      <QueryState error={campaigns.error} pending={campaigns.isPending} />
      {rows.length > 0 && (
        <ScrollArea>
        <Table data-testid="campaigns-table" miw={1000}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('admin.campaign.externalId')}</Table.Th>
              {CAMPAIGN_FIELDS.map((field) => (
                <Table.Th key={field}>{t(`admin.campaign.${field}`)}</Table.Th>
              ))}
              <Table.Th>{t('table.actions')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((campaign) => (
              <Table.Tr key={campaign.id}>
                <Table.Td>{campaign.externalId}</Table.Td>
                {CAMPAIGN_FIELDS.map((field) => (
                  <Table.Td key={field}>{campaign[field] === null ? '—' : String(campaign[field])}</Table.Td>
                ))}
                <Table.Td>
                  <Button size="compact-xs" variant="default" onClick={() => setEditing(campaign)}>
                    {t('library.edit')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        </ScrollArea>
      )}
      {editing && <EditCampaign campaign={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Stack>
  );
}

function EditCampaign({ campaign, onClose }: { campaign: Campaign | null; onClose: () => void }) {
  const { t } = useTranslation('desk');
  const client = useQueryClient();
  const [externalId, setExternalId] = useState(campaign?.externalId ?? '');
  const [values, setValues] = useState({
    name: campaign?.name ?? '',
    language: campaign?.language ?? '',
    talkRatioAgentTarget: campaign?.talkRatioAgentTarget ?? 0.4,
    talkRatioTolerance: campaign?.talkRatioTolerance ?? 0.1,
    agentChannel: campaign?.agentChannel ?? 'left',
    vadDetector: campaign?.vadDetector ?? 'energy',
    transcriptionModel: campaign?.transcriptionModel ?? '',
    retentionDays: campaign?.retentionDays ?? ('' as number | string),
    timeZone: campaign?.timeZone ?? '',
  });
  const save = useMutation({
    mutationFn: () =>
      api(`/v1/campaigns/${encodeURIComponent(externalId)}`, {
        method: 'PUT',
        body: {
          ...values,
          name: values.name || undefined,
          language: values.language || undefined,
          transcriptionModel: values.transcriptionModel || null,
          retentionDays: values.retentionDays === '' ? null : Number(values.retentionDays),
          timeZone: values.timeZone.trim() || null,
        },
      }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['campaigns'] });
      onClose();
    },
  });
  const errors = fieldErrors(save.error, [...CAMPAIGN_FIELDS, 'campaign']);
  const label = (field: string) => t(`admin.campaign.${field}`);
  return (
    <Modal opened onClose={onClose} title={campaign ? t('admin.editCampaign', { id: campaign.externalId }) : t('admin.newCampaign')} closeButtonProps={{ 'aria-label': t('table.close') }}>
      <Stack gap="xs">
        <TextInput label={label('externalId')} value={externalId} onChange={(e) => setExternalId(e.currentTarget.value)} disabled={campaign !== null} error={errors.campaign} required />
        <TextInput label={label('name')} value={values.name} onChange={(e) => setValues({ ...values, name: e.currentTarget.value })} error={errors.name} />
        <TextInput label={label('language')} value={values.language} onChange={(e) => setValues({ ...values, language: e.currentTarget.value })} error={errors.language} placeholder="en, zh" />
        <NumberInput label={label('talkRatioAgentTarget')} value={values.talkRatioAgentTarget} onChange={(v) => setValues({ ...values, talkRatioAgentTarget: Number(v) })} step={0.05} decimalScale={2} error={errors.talkRatioAgentTarget} />
        <NumberInput label={label('talkRatioTolerance')} value={values.talkRatioTolerance} onChange={(v) => setValues({ ...values, talkRatioTolerance: Number(v) })} step={0.05} decimalScale={2} error={errors.talkRatioTolerance} />
        <Select label={label('agentChannel')} data={['left', 'right']} value={values.agentChannel} onChange={(v) => v && setValues({ ...values, agentChannel: v as 'left' | 'right' })} allowDeselect={false} />
        <Select label={label('vadDetector')} data={['energy', 'silero']} value={values.vadDetector} onChange={(v) => v && setValues({ ...values, vadDetector: v as 'energy' | 'silero' })} allowDeselect={false} />
        <TextInput label={label('transcriptionModel')} value={values.transcriptionModel} onChange={(e) => setValues({ ...values, transcriptionModel: e.currentTarget.value })} error={errors.transcriptionModel} />
        <NumberInput label={label('retentionDays')} value={values.retentionDays} onChange={(v) => setValues({ ...values, retentionDays: v })} error={errors.retentionDays} placeholder={t('retention.forever')} />
        <TextInput label={label('timeZone')} description={t('admin.timeZoneHint')} value={values.timeZone} onChange={(e) => setValues({ ...values, timeZone: e.currentTarget.value })} error={errors.timeZone} placeholder="America/New_York" />
        {save.error && Object.keys(errors).length === 0 && <ErrorList error={save.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('table.cancel')}
          </Button>
          <Button onClick={() => save.mutate()} loading={save.isPending} disabled={!externalId}>
            {t('table.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
