import { NavLink, Outlet } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useCurrentOrganization } from '../../auth/CurrentOrganization';
import { SETTINGS_SECTIONS } from '../../layout/navigation';

export function SettingsPage() {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const sections = SETTINGS_SECTIONS.filter((section) => organization.can(section.permission));
  return (
    <>
      <header className="page-header">
        <p className="page-header__eyebrow">{organization.name}</p>
        <h1>{t('settings.title')}</h1>
      </header>
      <nav className="tabs" aria-label={t('settings.title')}>
        {sections.map((section) => (
          <NavLink
            key={section.path}
            to={section.path}
            className="tab"
            data-testid={`settings-tab-${section.path}`}
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
