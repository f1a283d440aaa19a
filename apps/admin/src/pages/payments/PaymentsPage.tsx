import { Link, Outlet, useMatch } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useCurrentOrganization } from '../../auth/CurrentOrganization';
import { PAYMENTS_SECTIONS } from '../../layout/navigation';

/**
 * Paiements: the payments received (online or by hand) with each one's page, the payouts Stripe
 * made to the association's bank account with what each one settled, and the cheque deposit slips.
 */
export function PaymentsPage() {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const base = `/orgs/${organization.id}/payments`;
  const payouts = useMatch(`${base}/payouts/*`) !== null;
  const deposits = useMatch(`${base}/deposits/*`) !== null;
  const current = payouts ? 'payouts' : deposits ? 'deposits' : '';
  const sections = PAYMENTS_SECTIONS.filter((section) => organization.can(section.permission));
  return (
    <>
      <header className="page-header">
        <p className="page-header__eyebrow">{organization.name}</p>
        <h1 data-testid="payments-title">{t('payments.title')}</h1>
      </header>
      {sections.length > 1 && (
        <nav className="tabs" aria-label={t('payments.title')}>
          {sections.map((section) => {
            const active = section.path === current;
            return (
              <Link
                key={section.path || 'payments'}
                to={section.path ? `${base}/${section.path}` : base}
                className={`tab${active ? ' active' : ''}`}
                aria-current={active ? 'page' : undefined}
                data-testid={`payments-tab-${section.path || 'payments'}`}
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
