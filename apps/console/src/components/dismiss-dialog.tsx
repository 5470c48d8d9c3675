import { Button, Group, Modal, Stack, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/** Asks for the reason a dismissal requires; the dialog will not submit without one. */
export function DismissDialog({ opened, onClose, onSubmit, busy }: { opened: boolean; onClose: () => void; onSubmit: (reason: string) => void; busy: boolean }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('call.dismissTitle')} closeButtonProps={{ 'aria-label': t('common.close') }}>
      {/* the modal unmounts its content when closed, so every opening starts with an empty reason */}
      <ReasonForm onClose={onClose} onSubmit={onSubmit} busy={busy} />
    </Modal>
  );
}

function ReasonForm({ onClose, onSubmit, busy }: { onClose: () => void; onSubmit: (reason: string) => void; busy: boolean }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const missing = reason.trim() === '';
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        setTouched(true);
        if (!missing) onSubmit(reason.trim());
      }}
    >
      <Stack>
        <Textarea
          label={t('call.reason')}
          placeholder={t('call.reasonPlaceholder')}
          withAsterisk
          autosize
          minRows={3}
          data-autofocus
          value={reason}
          onChange={(event) => setReason(event.currentTarget.value)}
          error={touched && missing ? t('call.reasonRequired') : undefined}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" color="red.9" loading={busy}>
            {t('call.dismiss')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
