import { Link, Outlet } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useCurrentOrganization } from '../../auth/CurrentOrganization';
import { RECONCILIATION_SECTIONS } from '../../layout/navigation';

/**
 * Rapprochement: the bank accounts, each with its page (statement import, imported statements and
 * the lines waiting to be matched).
 */
export function ReconciliationPage() {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const base = `/orgs/${organization.id}/reconciliation`;
  // One tab so far (the bank accounts, with every page under them); the bar shows once there are more.
  const current = '';
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
