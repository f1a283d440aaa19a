import { Link, Outlet, useMatch } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useCurrentOrganization } from '../../auth/CurrentOrganization';
import { RECEIPTS_SECTIONS } from '../../layout/navigation';

/**
 * Reçus fiscaux: the register of the receipts issued (with each receipt's page), the gifts waiting
 * for a receipt, the year-end annual receipts and the yearly declaration.
 */
export function ReceiptsPage() {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const base = `/orgs/${organization.id}/receipts`;
  const waiting = useMatch(`${base}/waiting/*`) !== null;
  const annual = useMatch(`${base}/annual/*`) !== null;
  const declaration = useMatch(`${base}/declaration/*`) !== null;
  const current = waiting ? 'waiting' : annual ? 'annual' : declaration ? 'declaration' : '';
  const sections = RECEIPTS_SECTIONS.filter((section) => organization.can(section.permission));
  return (
    <>
      <header className="page-header">
        <p className="page-header__eyebrow">{organization.name}</p>
        <h1 data-testid="receipts-title">{t('receipts.title')}</h1>
      </header>
      {sections.length > 1 && (
        <nav className="tabs" aria-label={t('receipts.title')}>
          {sections.map((section) => {
            const active = section.path === current;
            return (
              <Link
                key={section.path || 'register'}
                to={section.path ? `${base}/${section.path}` : base}
                className={`tab${active ? ' active' : ''}`}
                aria-current={active ? 'page' : undefined}
                data-testid={`receipts-tab-${section.path || 'register'}`}
              >
                {t(section.labelKey)}
              </Link>
            );
          })}
        </nav>
      )}
      {organization.can('receipts.read') && (
        <p className="button-row button-row--end">
          <Link
            to={`/orgs/${organization.id}/settings/receipts`}
            data-testid="receipts-settings-link"
          >
            {t('receipts.settingsLink')}
          </Link>
        </p>
      )}
      <div className="tab-panel">
        <Outlet />
      </div>
    </>
  );
}
