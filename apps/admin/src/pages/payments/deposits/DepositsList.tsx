import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { chequeDepositDownloads, chequeDepositsApi } from '../../../api/payments';
import { usePagedResource } from '../../../api/usePagedResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { EmptyState } from '../../../components/EmptyState';
import { Pagination } from '../../../components/Pagination';
import { ResourceState } from '../../../components/ResourceState';
import { PAYMENTS_COLLECT_PERMISSION } from '../../../layout/navigation';
import { formatMoney, useDayFormatter } from '../../accounting/money';

/** `payments/deposits`: the cheque deposit slips, newest first, each with its entry and its PDF. */
export function DepositsList() {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const organization = useCurrentOrganization();
  const navigate = useNavigate();
  const deposits = usePagedResource(`cheque-deposits:${organization.id}`, (page, signal) =>
    chequeDepositsApi.list(organization.id, page, signal),
  );
  const entries = `/orgs/${organization.id}/accounting/entries`;
  const open = (depositId: string) => navigate(depositId);

  return (
    <section className="panel" aria-labelledby="deposits-list-title">
      <div className="panel__header">
        <h2 id="deposits-list-title">
          {t('payments.deposits.title')}
          {deposits.data && (
            <span className="heading-count" data-testid="deposits-total">
              {t('payments.deposits.total', { count: deposits.data.total })}
            </span>
          )}
        </h2>
        {organization.can(PAYMENTS_COLLECT_PERMISSION) && (
          <Link to="new" className="button button--primary" data-testid="deposit-new">
            {t('payments.deposits.new')}
          </Link>
        )}
      </div>
      <p className="muted">{t('payments.deposits.intro')}</p>
      <ResourceState resource={deposits} />
      {deposits.data?.items.length === 0 && <EmptyState>{t('payments.deposits.empty')}</EmptyState>}
      {deposits.data && deposits.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="deposits-table">
            <caption className="visually-hidden">{t('payments.deposits.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('payments.deposits.columns.reference')}</th>
                <th scope="col">{t('payments.deposits.columns.depositedOn')}</th>
                <th scope="col" className="numeric">
                  {t('payments.deposits.columns.count')}
                </th>
                <th scope="col" className="numeric">
                  {t('payments.deposits.columns.total')}
                </th>
                <th scope="col">{t('payments.deposits.columns.entry')}</th>
                <th scope="col">{t('payments.deposits.columns.pdf')}</th>
              </tr>
            </thead>
            <tbody>
              {deposits.data.items.map((deposit) => (
                <tr
                  key={deposit.id}
                  className="table__row--link"
                  data-testid="deposit-row"
                  data-deposit-id={deposit.id}
                  tabIndex={0}
                  onClick={() => void open(deposit.id)}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter') void open(deposit.id);
                  }}
                >
                  <td>
                    <Link
                      to={deposit.id}
                      data-testid="deposit-reference"
                      onClick={(event) => event.stopPropagation()}
                    >
                      {deposit.reference}
                    </Link>
                  </td>
                  <td className="nowrap" data-testid="deposit-date-cell">
                    {day(deposit.depositedOn)}
                  </td>
                  <td className="numeric" data-testid="deposit-count">
                    {deposit.chequeCount}
                  </td>
                  <td className="numeric nowrap" data-testid="deposit-total">
                    {formatMoney(deposit.totalCents, deposit.currency)}
                  </td>
                  <td>
                    <Link
                      to={`${entries}/${deposit.entryId}`}
                      data-testid="deposit-entry-link"
                      onClick={(event) => event.stopPropagation()}
                    >
                      {t('payments.detail.openEntry')}
                    </Link>
                  </td>
                  <td>
                    <a
                      href={chequeDepositDownloads.pdf(organization.id, deposit.id)}
                      target="_blank"
                      rel="noreferrer"
                      data-testid="deposit-pdf"
                      onClick={(event) => event.stopPropagation()}
                    >
                      {t('payments.deposits.pdf')}{' '}
                      <span className="visually-hidden">
                        {deposit.reference} ({t('common.newTab')})
                      </span>
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {deposits.data && <Pagination page={deposits.data} onChange={deposits.setOffset} />}
    </section>
  );
}
