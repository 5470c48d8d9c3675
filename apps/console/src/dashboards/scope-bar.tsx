import { Button, Group, Select, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCampaigns } from '../campaigns.js';
import { useUrlFilters } from '../url-filters.js';
import type { DashboardScope, PeriodView } from './dashboards-api.js';

/** The dashboard filters kept in the URL, so every view is a link to share. */
export function useDashboardUrl<K extends string>(extra: readonly K[]) {
  const url = useUrlFilters<K | 'from' | 'to' | 'campaign'>(['from', 'to', 'campaign', ...extra]);
  const scope: DashboardScope = { from: url.filters.from, to: url.filters.to, campaign: url.filters.campaign };
  return { ...url, scope };
}

/** Period (inclusive days) and campaign pickers, and the period the API answered for with its time zone. */
export function ScopeBar({ scope, onChange, answered }: { scope: DashboardScope; onChange: (key: 'from' | 'to' | 'campaign', value: string) => void; answered?: PeriodView }) {
  const { t } = useTranslation();
  const campaigns = useCampaigns(true);
  return (
    <Group align="flex-end" gap="sm" role="search" aria-label={t('dash.scope')}>
      <DayInput key={`from:${scope.from}`} label={t('common.from')} name="from" value={scope.from} onCommit={(v) => onChange('from', v)} />
      <DayInput key={`to:${scope.to}`} label={t('common.to')} name="to" value={scope.to} onCommit={(v) => onChange('to', v)} />
      <Select
        label={t('dash.campaign')}
        data={(campaigns.data?.items ?? []).map((c) => ({ value: c.externalId, label: c.name }))}
        value={scope.campaign || null}
        onChange={(v) => onChange('campaign', v ?? '')}
        clearable
        placeholder={t('common.all')}
        size="xs"
        w={200}
      />
      {answered && (
        <Text size="xs" c="dimmed" data-testid="period">
          {t('dash.periodShown', { from: answered.from, to: answered.to, timeZone: answered.timeZone })}
        </Text>
      )}
    </Group>
  );
}

function DayInput({ label, name, value, onCommit }: { label: string; name: string; value: string; onCommit: (value: string) => void }) {
  const [draft, setDraft] = useState(value);
  return (
    <TextInput
      label={label}
      name={name}
      type="date"
      size="xs"
      w={150}
      value={draft}
      onChange={(e) => setDraft(e.currentTarget.value)}
      onBlur={() => draft !== value && onCommit(draft)}
      onKeyDown={(e) => e.key === 'Enter' && draft !== value && onCommit(draft)}
    />
  );
}

export function CsvButton({ onClick }: { onClick: () => void }) {
  const { t } = useTranslation();
  return (
    <Button size="compact-sm" variant="default" onClick={onClick}>
      {t('dash.exportCsv')}
    </Button>
  );
}
