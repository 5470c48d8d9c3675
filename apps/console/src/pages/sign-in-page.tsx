import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../api.js';
import { LanguageSwitch } from '../components/language-switch.js';
import { homePage, useSession } from '../session.js';

export function SignInPage() {
  const { t } = useTranslation();
  const { me, pages, signIn } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const next = params.get('next');
  const safeNext = next?.startsWith('/') && !next.startsWith('//') ? next : null;

  if (me && !busy) return <Navigate to={safeNext ?? homePage(pages)} replace />;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email, password);
      navigate(safeNext ?? '/', { replace: true });
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 401) setError(t('signIn.wrong'));
      else if (failure instanceof ApiError && failure.status === 429) setError(t('signIn.tooMany', { seconds: failure.body.retryAfterSeconds ?? '?' }));
      else setError(t('signIn.failed', { message: (failure as Error).message }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Center mih="100vh" bg="gray.0">
      <main>
        <Paper component="form" onSubmit={submit} withBorder shadow="sm" p="xl" w={380} radius="md">
          <Stack>
            <LanguageSwitch />
            <div>
              <Title order={1} size="h3">
                {t('signIn.title')}
              </Title>
              <Text c="gray.7" size="sm">
                {t('app.tagline')}
              </Text>
            </div>
            {params.get('expired') && !error && (
              <Alert color="yellow" role="status">
                {t('signIn.expired')}
              </Alert>
            )}
            {params.get('signedOut') && !error && (
              <Alert color="blue" role="status">
                {t('signIn.signedOut')}
              </Alert>
            )}
            {error && (
              <Alert color="red" role="alert">
                {error}
              </Alert>
            )}
            <TextInput label={t('signIn.email')} type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} autoFocus />
            <PasswordInput label={t('signIn.password')} autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
            <Button type="submit" loading={busy}>
              {t('signIn.submit')}
            </Button>
          </Stack>
        </Paper>
      </main>
    </Center>
  );
}
