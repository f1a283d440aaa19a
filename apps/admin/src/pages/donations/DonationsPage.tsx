import { Link, Outlet, useMatch } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useCurrentOrganization } from '../../auth/CurrentOrganization';
import { DONATIONS_SECTIONS } from '../../layout/navigation';

/**
 * Dons: the gifts received (online or at the desk) with each one's page, the campaigns with
 * their public page, the donors' yearly totals and the settings of the public donation page.
 */
export function DonationsPage() {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const base = `/orgs/${organization.id}/donations`;
  const campaigns = useMatch(`${base}/campaigns/*`) !== null;
  const donors = useMatch(`${base}/donors/*`) !== null;
  const settings = useMatch(`${base}/settings/*`) !== null;
  const current = campaigns ? 'campaigns' : donors ? 'donors' : settings ? 'settings' : '';
  const sections = DONATIONS_SECTIONS.filter((section) => organization.can(section.permission));
  return (
    <>
      <header className="page-header">
        <p className="page-header__eyebrow">{organization.name}</p>
        <h1 data-testid="donations-title">{t('donations.title')}</h1>
      </header>
      {sections.length > 1 && (
        <nav className="tabs" aria-label={t('donations.title')}>
          {sections.map((section) => {
            const active = section.path === current;
            return (
              <Link
                key={section.path || 'donations'}
                to={section.path ? `${base}/${section.path}` : base}
                className={`tab${active ? ' active' : ''}`}
                aria-current={active ? 'page' : undefined}
                data-testid={`donations-tab-${section.path || 'donations'}`}
              >
                {t(section.labelKey)}
              </Link>
            );
          })}
        </nav>
      )}
      <div className="tab-panel">
        <Outlet />
      </div>
    </>
  );
}
