import { Navigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { lastOrganization } from '../auth/lastOrganization';
import { useSession } from '../auth/SessionContext';
import { UserMenu } from '../layout/UserMenu';

/** `/`: opens the last used organization (or the first one). */
export function HomePage() {
  const { t } = useTranslation();
  const { me } = useSession();
  const organizations = me?.organizations ?? [];
  const last = lastOrganization();
  const target = organizations.find((m) => m.organizationId === last) ?? organizations[0];
  if (target) return <Navigate to={`/orgs/${target.organizationId}/dashboard`} replace />;
  return (
    <main className="page-center">
      <section className="card card--narrow">
        <h1>{t('home.noOrganizationTitle')}</h1>
        <p className="muted">{t('home.noOrganization')}</p>
        <UserMenu />
      </section>
    </main>
  );
}
