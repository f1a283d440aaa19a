import { NavLink, Outlet } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useCurrentOrganization } from '../../auth/CurrentOrganization';
import { MEMBERSHIP_SECTIONS } from '../../layout/navigation';

/** Adhésions: the coordinators' dashboard, the member check, the plans and the settings. */
export function MembershipsPage() {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const sections = MEMBERSHIP_SECTIONS.filter((section) => organization.can(section.permission));
  return (
    <>
      <header className="page-header">
        <p className="page-header__eyebrow">{organization.name}</p>
        <h1>{t('memberships.title')}</h1>
      </header>
      <nav className="tabs" aria-label={t('memberships.title')}>
        {sections.map((section) => (
          <NavLink
            key={section.path}
            to={section.path}
            className="tab"
            data-testid={`memberships-tab-${section.path}`}
          >
            {t(section.labelKey)}
          </NavLink>
        ))}
      </nav>
      <div className="tab-panel">
        <Outlet />
      </div>
    </>
  );
}
