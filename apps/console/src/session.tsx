import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo } from 'react';
import { useLocation, useNavigate } from 'react-router';
import type { CookieLoginView, MeView } from '#libs/api-contract';
import type { Role } from '#libs/domain';
import { api, ApiError, setUnauthorizedListener } from './api.js';

export type Page = 'queue' | 'calls' | 'dashboards' | 'alerts' | 'rules' | 'questions' | 'compliance' | 'library' | 'admin';

/** Which pages each role sees in the navigation; the API decides what they may actually read. */
const PAGES_BY_ROLE: Record<Role, Page[]> = {
  admin: ['queue', 'calls', 'dashboards', 'alerts', 'rules', 'questions', 'compliance', 'library', 'admin'],
  qa_lead: ['queue', 'calls', 'dashboards', 'alerts', 'rules', 'questions', 'library'],
  compliance: ['queue', 'calls', 'dashboards', 'alerts', 'rules', 'questions', 'compliance'],
  trainer: ['calls', 'library'],
  agent: ['calls'],
  integration: [],
};

interface Session {
  me: MeView | null;
  loading: boolean;
  pages: Page[];
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);
export const ME = ['me'] as const;

/** Who is signed in, or null: asked once, before anything renders (main.tsx starts it). */
export async function fetchMe(): Promise<MeView | null> {
  try {
    return await api<MeView>('/v1/auth/me', { quiet401: true });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const me = useQuery({
    queryKey: ME,
    queryFn: fetchMe,
    staleTime: Infinity,
    retry: false,
  });

  useEffect(() => {
    setUnauthorizedListener(() => {
      if (!client.getQueryData(ME)) return;
      client.clear();
      client.setQueryData(ME, null);
      const back = `${location.pathname}${location.search}`;
      navigate(`/sign-in?expired=1&next=${encodeURIComponent(back)}`, { replace: true });
    });
  }, [client, navigate, location.pathname, location.search]);

  const signIn = useCallback(
    async (email: string, password: string) => {
      const result = await api<CookieLoginView>('/v1/auth/login', { method: 'POST', body: { email, password, session: 'cookie' }, quiet401: true });
      client.clear();
      client.setQueryData(ME, { kind: 'user', ...result.user } satisfies MeView);
    },
    [client],
  );

  const signOut = useCallback(async () => {
    await api('/v1/auth/logout', { method: 'POST', quiet401: true }).catch(() => undefined);
    client.clear();
    client.setQueryData(ME, null);
    navigate('/sign-in?signedOut=1', { replace: true });
  }, [client, navigate]);

  const value = useMemo<Session>(
    () => ({ me: me.data ?? null, loading: me.isPending, pages: me.data ? PAGES_BY_ROLE[me.data.role] : [], signIn, signOut }),
    [me.data, me.isPending, signIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

export function homePage(pages: Page[]): string {
  return pages.includes('queue') ? '/queue' : '/calls';
}
