import { Navigate, Outlet, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ErrorState } from '../components/ErrorState';
import { Loading } from '../components/Loading';
import { useSession } from './SessionContext';

/** Renders the nested routes for a logged-in user; sends anyone else to the login page. */
export function RequireAuth() {
  const { status, me, refresh } = useSession();
  const location = useLocation();
  const { t } = useTranslation();
  if (status === 'loading') return <Loading fullPage />;
  if (status === 'error') {
    return (
      <main className="page-center">
        <ErrorState message={t('errors.network_error')} onRetry={() => void refresh()} />
      </main>
    );
  }
  if (!me) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return <Outlet />;
}
