import { NavLink } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useCurrentOrganization } from '../auth/CurrentOrganization';
import { MODULES, SETTINGS_SECTIONS } from './navigation';

export function Sidebar() {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const base = `/orgs/${organization.id}`;
  const sections = SETTINGS_SECTIONS.filter((section) => organization.can(section.permission));
  return (
    <nav className="sidebar__nav" aria-label={t('nav.label')}>
      <ul>
        <li>
          <NavLink to={`${base}/dashboard`} className="nav-item">
            {t('nav.dashboard')}
          </NavLink>
        </li>
        {MODULES.map((module) =>
          module.path ? (
            (!module.permission || organization.can(module.permission)) && (
              <li key={module.key}>
                <NavLink
                  to={`${base}/${module.path}`}
                  className="nav-item"
                  data-testid={module.testId}
                >
                  {t(`nav.${module.key}`)}
                </NavLink>
              </li>
            )
          ) : (
            <li key={module.key}>
              <span className="nav-item nav-item--disabled" aria-disabled="true">
                {t(`nav.${module.key}`)}
                <span className="soon">{t('nav.soon')}</span>
              </span>
            </li>
          ),
        )}
        <li>
          <NavLink to={`${base}/settings`} className="nav-item">
            {t('nav.settings')}
          </NavLink>
          <ul className="nav-sub">
            {sections.map((section) => (
              <li key={section.path}>
                <NavLink to={`${base}/settings/${section.path}`} className="nav-item nav-item--sub">
                  {t(section.labelKey)}
                </NavLink>
              </li>
            ))}
          </ul>
        </li>
      </ul>
    </nav>
  );
}
