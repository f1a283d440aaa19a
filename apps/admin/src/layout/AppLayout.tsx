import { useEffect, useMemo } from 'react';
import { Link, Outlet, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { CurrentOrganizationContext, toCurrentOrganization } from '../auth/CurrentOrganization';
import { rememberOrganization } from '../auth/lastOrganization';
import { useSession } from '../auth/SessionContext';
import { Brand } from './Brand';
import { OrgSwitcher } from './OrgSwitcher';
import { Sidebar } from './Sidebar';
import { UserMenu } from './UserMenu';

/** The back-office frame of `/orgs/:orgId/...`: sidebar, top bar, and the page. */
export function AppLayout() {
  const { t } = useTranslation();
  const { orgId } = useParams();
  const { me } = useSession();
  const membership = me?.organizations.find((m) => m.organizationId === orgId);
  const organization = useMemo(
    () => (membership ? toCurrentOrganization(membership) : null),
    [membership],
  );

  useEffect(() => {
    if (organization) rememberOrganization(organization.id);
  }, [organization]);

  if (!organization) {
    return (
      <main className="page-center">
        <div className="card card--narrow">
          <h1>{t('errors.organizations.not_found')}</h1>
          <Link to="/">{t('common.backHome')}</Link>
        </div>
      </main>
    );
  }

  return (
    <CurrentOrganizationContext.Provider value={organization}>
      <a className="skip-link" href="#main">
        {t('common.skipToContent')}
      </a>
      <div className="app">
        <aside className="sidebar">
          <Brand />
          <Sidebar />
        </aside>
        <header className="topbar">
          <OrgSwitcher />
          <UserMenu />
        </header>
        <main id="main" className="content">
          <Outlet />
        </main>
      </div>
    </CurrentOrganizationContext.Provider>
  );
}
