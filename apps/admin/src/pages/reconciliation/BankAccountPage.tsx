import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { reconciliationApi } from '../../api/reconciliation';
import { useResource } from '../../api/useResource';
import { useCurrentOrganization } from '../../auth/CurrentOrganization';
import { Alert } from '../../components/Alert';
import { Badge } from '../../components/Badge';
import { ResourceState } from '../../components/ResourceState';
import { useFormatters } from '../../i18n/format';
import {
  RECONCILIATION_CONFIGURE_PERMISSION,
  RECONCILIATION_IMPORT_PERMISSION,
} from '../../layout/navigation';
import { formatMoney, useDayFormatter } from '../accounting/money';
import { BankLines, useBankLines } from './BankLines';
import { BankStatements } from './BankStatements';
import { formatIban } from './bankFormat';
import { StatementImport } from './StatementImport';
import { useBankAccounts } from './useBankAccounts';

/**
 * `reconciliation/accounts/:bankAccountId`: a bank account: its details, "Importer un relevé"
 * (with what the import brought), the statements imported, then its lines (the reconciliation
 * queue) with their filters.
 */
export function BankAccountPage() {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const format = useFormatters();
  const organization = useCurrentOrganization();
  const { bankAccountId = '' } = useParams();
  const accounts = useBankAccounts();
  const account = accounts.data?.find((candidate) => candidate.id === bankAccountId);
  const statements = useResource(`bank-statements:${organization.id}:${bankAccountId}`, (signal) =>
    reconciliationApi.statements(organization.id, bankAccountId, signal),
  );
  const queue = useBankLines(bankAccountId);
  const base = `/orgs/${organization.id}/reconciliation`;

  const refresh = () => {
    accounts.reload();
    statements.reload();
    queue.lines.reload();
  };

  const row = (label: string, value: ReactNode, testId?: string) => (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </>
  );

  return (
    <>
      <section
        className="panel"
        aria-labelledby="bank-account-title"
        data-testid="bank-account-detail"
      >
        <p>
          <Link to={base} data-testid="bank-account-back">
            ← {t('reconciliation.account.backToList')}
          </Link>
        </p>
        <ResourceState resource={accounts} />
        {accounts.data && !account && (
          <Alert kind="error">
            <span data-testid="bank-account-not-found">{t('reconciliation.account.notFound')}</span>
          </Alert>
        )}
        {account && (
          <>
            <div className="panel__header">
              <h2 id="bank-account-title" data-testid="bank-account-title">
                {account.name}{' '}
                <Badge tone={account.active ? 'success' : 'neutral'}>
                  {account.active ? t('common.active') : t('common.inactive')}
                </Badge>
              </h2>
              <div className="button-row">
                <button type="button" className="button button--small" onClick={refresh}>
                  {t('reconciliation.account.refresh')}
                </button>
                {organization.can(RECONCILIATION_CONFIGURE_PERMISSION) && (
                  <Link
                    to={`${base}/accounts/${account.id}/edit`}
                    className="button button--small"
                    data-testid="bank-account-edit"
                  >
                    {t('reconciliation.account.edit')}
                  </Link>
                )}
              </div>
            </div>
            <div className="detail-columns">
              <dl className="details">
                {row(
                  t('reconciliation.account.iban'),
                  <span className="nowrap">{formatIban(account.iban)}</span>,
                  'bank-account-detail-iban',
                )}
                {row(
                  t('reconciliation.account.bic'),
                  account.bic ?? t('common.none'),
                  'bank-account-detail-bic',
                )}
                {row(
                  t('reconciliation.account.ledger'),
                  <code>{account.accountNumber}</code>,
                  'bank-account-detail-ledger',
                )}
                {row(
                  t('reconciliation.account.currency'),
                  account.currency,
                  'bank-account-detail-currency',
                )}
              </dl>
              <dl className="details">
                {row(
                  t('reconciliation.account.lastBalance'),
                  account.lastClosingBalanceCents === null ? (
                    t('reconciliation.accounts.noStatement')
                  ) : (
                    <>
                      <span className="nowrap">
                        {formatMoney(account.lastClosingBalanceCents, account.currency)}
                      </span>{' '}
                      {account.lastClosingDate &&
                        t('reconciliation.accounts.balanceOn', {
                          date: day(account.lastClosingDate),
                        })}
                    </>
                  ),
                  'bank-account-detail-balance',
                )}
                {row(
                  t('reconciliation.account.unmatched'),
                  format.number(account.unmatchedLines),
                  'bank-account-detail-unmatched',
                )}
              </dl>
            </div>
          </>
        )}
      </section>
      {account && organization.can(RECONCILIATION_IMPORT_PERMISSION) && (
        <StatementImport account={account} onImported={refresh} />
      )}
      {account && <BankStatements statements={statements} currency={account.currency} />}
      {account && <BankLines queue={queue} />}
    </>
  );
}
