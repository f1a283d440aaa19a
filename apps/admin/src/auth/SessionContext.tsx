import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import type { MeView } from '@ruche/contracts';
import { authApi } from '../api/auth';
import { ApiError, setCsrfToken, setUnauthorizedHandler } from '../api/client';
import { applyUserLanguage } from '../i18n';

type SessionStatus = 'loading' | 'ready' | 'error';

export interface Session {
  status: SessionStatus;
  me: MeView | null;
  /** Stores the MeView returned by login, signup, invitation acceptance. */
  signIn: (me: MeView) => void;
  refresh: () => Promise<void>;
  logout: () => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<SessionStatus>('loading');
  const [me, setMeState] = useState<MeView | null>(null);

  const setMe = useCallback((next: MeView | null) => {
    setCsrfToken(next?.csrfToken ?? null);
    if (next) applyUserLanguage(next.user.locale);
    setMeState(next);
  }, []);

  const refresh = useCallback(async () => {
    try {
      setMe(await authApi.me());
      setStatus('ready');
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        setMe(null);
        setStatus('ready');
      } else {
        // Only a failed first load blocks the app; a failed later refresh keeps the session.
        setStatus((current) => (current === 'ready' ? current : 'error'));
      }
    }
  }, [setMe]);

  const signIn = useCallback(
    (next: MeView) => {
      setMe(next);
      setStatus('ready');
    },
    [setMe],
  );

  const logout = useCallback(async () => {
    try {
      await authApi.logout();
    } catch {
      // The session is dropped locally whatever the server answered.
    }
    setMe(null);
  }, [setMe]);

  useEffect(() => {
    setUnauthorizedHandler(() => setMe(null));
    void refresh();
  }, [refresh, setMe]);

  const value = useMemo(
    () => ({ status, me, signIn, refresh, logout }),
    [status, me, signIn, refresh, logout],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
