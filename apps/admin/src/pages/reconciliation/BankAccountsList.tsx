import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useCurrentOrganization } from '../../auth/CurrentOrganization';
import { Badge } from '../../components/Badge';
import { EmptyState } from '../../components/EmptyState';
import { ResourceState } from '../../components/ResourceState';
import { useFormatters } from '../../i18n/format';
import { RECONCILIATION_CONFIGURE_PERMISSION } from '../../layout/navigation';
import { formatMoney, useDayFormatter } from '../accounting/money';
import { formatIban } from './bankFormat';
import { TransfersBadge } from './TransfersBadge';
import { useBankAccounts } from './useBankAccounts';

/**
 * `reconciliation`: the bank accounts, each with its IBAN, its ledger account, the closing balance
 * of its last statement and how many of its lines wait to be matched; "Nouveau compte bancaire".
 */
export function BankAccountsList() {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const format = useFormatters();
  const organization = useCurrentOrganization();
  const accounts = useBankAccounts();
  const canConfigure = organization.can(RECONCILIATION_CONFIGURE_PERMISSION);

  return (
    <section className="panel" aria-labelledby="bank-accounts-title">
      <div className="panel__header">
        <h2 id="bank-accounts-title">{t('reconciliation.accounts.title')}</h2>
        {canConfigure && (
          <Link to="accounts/new" className="button button--primary" data-testid="bank-account-new">
            {t('reconciliation.accounts.new')}
          </Link>
        )}
      </div>
      <p className="muted">{t('reconciliation.accounts.intro')}</p>
      <ResourceState resource={accounts} />
      {accounts.data?.length === 0 && (
        <EmptyState>
          {canConfigure
            ? t('reconciliation.accounts.empty')
            : t('reconciliation.accounts.emptyReadOnly')}
        </EmptyState>
      )}
      {accounts.data && accounts.data.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="bank-accounts-table">
            <caption className="visually-hidden">{t('reconciliation.accounts.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('reconciliation.accounts.columns.name')}</th>
                <th scope="col">{t('reconciliation.accounts.columns.iban')}</th>
                <th scope="col">{t('reconciliation.accounts.columns.ledger')}</th>
                <th scope="col" className="numeric">
                  {t('reconciliation.accounts.columns.balance')}
                </th>
                <th scope="col" className="numeric">
                  {t('reconciliation.accounts.columns.unmatched')}
                </th>
                <th scope="col">{t('reconciliation.accounts.columns.status')}</th>
                {canConfigure && (
                  <th scope="col">
                    <span className="visually-hidden">{t('common.actions')}</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {accounts.data.map((account) => (
                <tr
                  key={account.id}
                  data-testid="bank-account-row"
                  data-bank-account-id={account.id}
                  data-active={account.active}
                  data-accept-transfers={account.acceptTransfers}
                >
                  <td>
                    <Link to={`accounts/${account.id}`} data-testid="bank-account-link">
                      {account.name}
                    </Link>
                    {account.acceptTransfers && (
                      <>
                        {' '}
                        <TransfersBadge />
                      </>
                    )}
                    {account.bic && <span className="cell-note">{account.bic}</span>}
                  </td>
                  <td className="nowrap" data-testid="bank-account-iban">
                    {formatIban(account.iban)}
                  </td>
                  <td data-testid="bank-account-ledger">
                    <code>{account.accountNumber}</code>
                  </td>
                  <td className="numeric nowrap" data-testid="bank-account-balance">
                    {account.lastClosingBalanceCents === null ? (
                      <span className="muted">{t('reconciliation.accounts.noStatement')}</span>
                    ) : (
                      <>
                        {formatMoney(account.lastClosingBalanceCents, account.currency)}
                        {account.lastClosingDate && (
                          <span className="cell-note" data-testid="bank-account-balance-date">
                            {t('reconciliation.accounts.balanceOn', {
                              date: day(account.lastClosingDate),
                            })}
                          </span>
                        )}
                      </>
                    )}
                  </td>
                  <td className="numeric" data-testid="bank-account-unmatched">
                    {account.unmatchedLines > 0 ? (
                      <Link
                        to={`accounts/${account.id}?status=unmatched`}
                        title={t('reconciliation.accounts.unmatchedLink', {
                          count: account.unmatchedLines,
                          name: account.name,
                        })}
                      >
                        {format.number(account.unmatchedLines)}
                      </Link>
                    ) : (
                      format.number(0)
                    )}
                  </td>
                  <td>
                    <Badge tone={account.active ? 'success' : 'neutral'}>
                      {account.active ? t('common.active') : t('common.inactive')}
                    </Badge>
                  </td>
                  {canConfigure && (
                    <td className="table__actions">
                      <Link
                        to={`accounts/${account.id}/edit`}
                        className="button button--small"
                        aria-label={t('reconciliation.accounts.editOf', { name: account.name })}
                        data-testid="bank-account-edit"
                      >
                        {t('common.edit')}
                      </Link>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
