import { Alert, Center, Loader } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.js';

/** A failed or pending read, said plainly: a 403 shows the API's own reason. */
export function QueryState({ error, pending }: { error: unknown; pending: boolean }) {
  const { t } = useTranslation();
  if (error) {
    const forbidden = error instanceof ApiError && error.status === 403;
    const notFound = error instanceof ApiError && error.status === 404;
    return (
      <Alert color={forbidden ? 'orange' : 'red'} role="alert" data-testid={forbidden ? 'forbidden' : 'error'}>
        {forbidden ? t('common.forbidden', { message: error.message }) : notFound ? t('common.notFound') : t('common.error', { message: (error as Error).message })}
      </Alert>
    );
  }
  if (pending)
    return (
      <Center p="xl">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  return null;
}
