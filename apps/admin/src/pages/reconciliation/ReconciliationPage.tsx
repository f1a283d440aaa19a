import { Link, Outlet, useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useCurrentOrganization } from '../../auth/CurrentOrganization';
import { RECONCILIATION_SECTIONS } from '../../layout/navigation';

/**
 * Rapprochement: the bank accounts, each with its page (the reconciliation workspace, the balance
 * check, statement import...), then the matching rules and settings.
 */
export function ReconciliationPage() {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const base = `/orgs/${organization.id}/reconciliation`;
  const { pathname } = useLocation();
  // The tab of the first segment after `reconciliation/`; the bank accounts' pages are under the default one.
  const segment = pathname.slice(pathname.indexOf('/reconciliation') + '/reconciliation'.length);
  const current =
    RECONCILIATION_SECTIONS.find(
      (section) =>
        section.path !== '' &&
        (segment === `/${section.path}` || segment.startsWith(`/${section.path}/`)),
    )?.path ?? '';
  const sections = RECONCILIATION_SECTIONS.filter((section) =>
    organization.can(section.permission),
  );
  return (
    <>
      <header className="page-header">
        <p className="page-header__eyebrow">{organization.name}</p>
        <h1 data-testid="reconciliation-title">{t('reconciliation.title')}</h1>
      </header>
      {sections.length > 1 && (
        <nav className="tabs" aria-label={t('reconciliation.title')}>
          {sections.map((section) => {
            const active = section.path === current;
            return (
              <Link
                key={section.path || 'accounts'}
                to={section.path ? `${base}/${section.path}` : base}
                className={`tab${active ? ' active' : ''}`}
                aria-current={active ? 'page' : undefined}
                data-testid={`reconciliation-tab-${section.path || 'accounts'}`}
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
