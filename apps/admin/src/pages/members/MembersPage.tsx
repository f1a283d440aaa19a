import { Link, Outlet, useMatch } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useCurrentOrganization } from '../../auth/CurrentOrganization';
import { MEMBERS_SECTIONS } from '../../layout/navigation';

/** Membres: the directory (with each contact's pages), the import and the configuration tabs. */
export function MembersPage() {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const base = `/orgs/${organization.id}/contacts`;
  const onImport = useMatch(`${base}/import/*`) !== null;
  const onConfiguration = useMatch(`${base}/configuration`) !== null;
  const current = onImport ? 'import' : onConfiguration ? 'configuration' : '';
  const sections = MEMBERS_SECTIONS.filter((section) => organization.can(section.permission));
  return (
    <>
      <header className="page-header">
        <p className="page-header__eyebrow">{organization.name}</p>
        <h1>{t('contacts.title')}</h1>
      </header>
      {sections.length > 1 && (
        <nav className="tabs" aria-label={t('contacts.title')}>
          {sections.map((section) => {
            const active = section.path === current;
            return (
              <Link
                key={section.path || 'directory'}
                to={section.path ? `${base}/${section.path}` : base}
                className={`tab${active ? ' active' : ''}`}
                aria-current={active ? 'page' : undefined}
                data-testid={`contacts-tab-${section.path || 'directory'}`}
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
