import { Button, Group, Select, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

export type FilterField =
  | { key: string; label: string; kind: 'text' | 'date' | 'number' }
  | { key: string; label: string; kind: 'select'; options: { value: string; label: string }[] };

/** A row of filters; text is applied on Enter or leaving the field, so typing does not reload the list. */
export function FilterBar({ fields, values, onChange, onClear }: { fields: FilterField[]; values: Record<string, string>; onChange: (key: string, value: string) => void; onClear: () => void }) {
  const { t } = useTranslation();
  return (
    <Group align="flex-end" gap="sm" wrap="wrap" role="search">
      {fields.map((field) =>
        field.kind === 'select' ? (
          <Select
            key={field.key}
            label={field.label}
            data={field.options}
            value={values[field.key] || null}
            onChange={(value) => onChange(field.key, value ?? '')}
            clearable
            placeholder={t('common.all')}
            w={160}
            size="xs"
          />
        ) : (
          <CommittedInput key={`${field.key}:${values[field.key] ?? ''}`} field={field} value={values[field.key] ?? ''} onCommit={(value) => onChange(field.key, value)} />
        ),
      )}
      <Button variant="subtle" size="xs" onClick={onClear}>
        {t('common.clear')}
      </Button>
    </Group>
  );
}

function CommittedInput({ field, value, onCommit }: { field: { key: string; label: string; kind: string }; value: string; onCommit: (value: string) => void }) {
  // remounted (by its key) when the URL's value changes, so the draft starts from it
  const [draft, setDraft] = useState(value);
  const commit = () => {
    if (draft.trim() !== value) onCommit(draft.trim());
  };
  return (
    <TextInput
      label={field.label}
      type={field.kind}
      value={draft}
      onChange={(event) => setDraft(event.currentTarget.value)}
      onBlur={commit}
      onKeyDown={(event) => {
        if (event.key === 'Enter') commit();
      }}
      w={field.kind === 'date' ? 150 : field.kind === 'number' ? 110 : 160}
      size="xs"
      name={field.key}
    />
  );
}
