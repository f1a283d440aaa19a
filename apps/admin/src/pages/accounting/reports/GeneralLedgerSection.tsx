import { useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { accountingApi, accountingDownloads, type ReportPeriod } from '../../../api/accounting';
import { useResource } from '../../../api/useResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { EmptyState } from '../../../components/EmptyState';
import { ResourceState } from '../../../components/ResourceState';
import { formatMoney, useDayFormatter } from '../money';

/** An account number or a prefix, as the API accepts it (empty: every account). */
const ACCOUNT_PREFIX = /^\d{0,12}$/;

interface GeneralLedgerSectionProps {
  period: ReportPeriod;
  account: string;
  onAccountChange: (account: string) => void;
}

/**
 * Grand livre: the lines of each account over the period, with running balances. Asked for an
 * account, a prefix or a class before anything is loaded, then read page by page (« Suivant »).
 */
export function GeneralLedgerSection({
  period,
  account,
  onAccountChange,
}: GeneralLedgerSectionProps) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const prefix = account.trim();
  const valid = ACCOUNT_PREFIX.test(prefix);

  return (
    <section className="panel" aria-labelledby="general-ledger-title">
      <div className="panel__header">
        <h2 id="general-ledger-title">{t('accounting.reports.ledger.title')}</h2>
        {valid && (
          <>
            <a
              className="button"
              href={accountingDownloads.generalLedgerCsv(organization.id, period, prefix)}
              download
              data-testid="general-ledger-csv"
            >
              {t('accounting.reports.downloadCsv')}
            </a>
            <a
              className="button"
              href={accountingDownloads.generalLedgerCsv(organization.id, period, prefix, 'pdf')}
              download
              data-testid="general-ledger-pdf"
            >
              {t('accounting.reports.downloadPdf')}
            </a>
          </>
        )}
      </div>
      <form
        className="filter-bar"
        role="search"
        aria-label={t('accounting.reports.ledger.title')}
        onSubmit={(event) => event.preventDefault()}
      >
        <label className={valid ? 'field' : 'field field--invalid'}>
          <span>{t('accounting.reports.ledger.account')}</span>
          <input
            type="text"
            inputMode="numeric"
            data-testid="ledger-account-filter"
            value={account}
            aria-invalid={!valid}
            aria-describedby="ledger-account-hint"
            onChange={(event) => onAccountChange(event.target.value)}
          />
          <small id="ledger-account-hint" className={valid ? 'field__hint' : 'field__error'}>
            {valid
              ? t('accounting.reports.ledger.accountHint')
              : t('accounting.reports.ledger.accountInvalid')}
          </small>
        </label>
      </form>
      {valid && prefix === '' && (
        <p className="muted" data-testid="ledger-choose-account">
          {t('accounting.reports.ledger.chooseAccount')}
        </p>
      )}
      {valid && prefix !== '' && (
        <LedgerTable key={`${JSON.stringify(period)}:${prefix}`} period={period} account={prefix} />
      )}
    </section>
  );
}

function LedgerTable({ period, account }: { period: ReportPeriod; account: string }) {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const organization = useCurrentOrganization();
  /** The page shown: null for the first one, else the `nextCursor` of the page before. */
  const [cursor, setCursor] = useState<string | null>(null);
  const key = `accounting:general-ledger:${organization.id}:${JSON.stringify(period)}:${account}:${cursor ?? ''}`;
  const ledger = useResource(key, (signal) =>
    accountingApi.generalLedger(organization.id, period, account, cursor, signal),
  );
  const data = ledger.data;
  const money = (cents: number) => formatMoney(cents, data?.currency ?? 'EUR');
  const side = (cents: number) => (cents === 0 ? '' : money(cents));

  return (
    <>
      <ResourceState resource={ledger} />
      {data?.accounts.length === 0 && (
        <EmptyState>{t('accounting.reports.ledger.empty')}</EmptyState>
      )}
      {data && data.accounts.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t('accounting.reports.columns.date')}</th>
                <th scope="col">{t('accounting.reports.columns.journal')}</th>
                <th scope="col">{t('accounting.reports.columns.number')}</th>
                <th scope="col">{t('accounting.reports.columns.piece')}</th>
                <th scope="col">{t('accounting.reports.columns.label')}</th>
                <th scope="col" className="numeric">
                  {t('accounting.reports.columns.debit')}
                </th>
                <th scope="col" className="numeric">
                  {t('accounting.reports.columns.credit')}
                </th>
                <th scope="col" className="numeric">
                  {t('accounting.reports.columns.balance')}
                </th>
                <th scope="col">
                  <abbr title={t('accounting.reports.columns.letterTitle')}>
                    {t('accounting.reports.columns.letter')}
                  </abbr>
                </th>
              </tr>
            </thead>
            {data.accounts.map((ledgerAccount) => (
              <tbody key={ledgerAccount.accountNumber} data-testid="ledger-account">
                <tr>
                  <th scope="rowgroup" colSpan={9} data-testid="ledger-account-title">
                    {t('accounting.reports.ledger.accountTitle', {
                      number: ledgerAccount.accountNumber,
                      label: ledgerAccount.accountLabel,
                    })}
                  </th>
                </tr>
                <tr>
                  <td colSpan={7} className="muted">
                    {ledgerAccount.continued
                      ? t('accounting.reports.ledger.broughtForward')
                      : t('accounting.reports.ledger.opening')}
                  </td>
                  <td className="numeric nowrap">
                    {money(
                      ledgerAccount.continued
                        ? ledgerAccount.broughtForwardCents
                        : ledgerAccount.openingCents,
                    )}
                  </td>
                  <td />
                </tr>
                {ledgerAccount.lines.map((line, index) => (
                  <tr key={`${line.entryId}:${index}`} data-testid="ledger-line">
                    <td className="nowrap">{day(line.date)}</td>
                    <td>{line.journalCode}</td>
                    <td>
                      <Link to={`../entries/${line.entryId}`}>{line.entryNumber}</Link>
                    </td>
                    <td>{line.pieceRef ?? t('common.none')}</td>
                    <td>{line.label}</td>
                    <td className="numeric nowrap">{side(line.debitCents)}</td>
                    <td className="numeric nowrap">{side(line.creditCents)}</td>
                    <td className="numeric nowrap">{money(line.balanceCents)}</td>
                    <td data-testid="ledger-line-letter">{line.letter ?? ''}</td>
                  </tr>
                ))}
                {ledgerAccount.continues ? (
                  <tr>
                    <td colSpan={9} className="muted">
                      {t('accounting.reports.ledger.continues')}
                    </td>
                  </tr>
                ) : (
                  <tr className="table__total">
                    <th scope="row" colSpan={5}>
                      {t('accounting.reports.ledger.closing')}
                    </th>
                    <td className="numeric nowrap">{money(ledgerAccount.debitCents)}</td>
                    <td className="numeric nowrap">{money(ledgerAccount.creditCents)}</td>
                    <td className="numeric nowrap">{money(ledgerAccount.closingCents)}</td>
                    <td />
                  </tr>
                )}
              </tbody>
            ))}
          </table>
        </div>
      )}
      {data && (data.nextCursor !== null || cursor !== null) && (
        <div className="filter-bar">
          {cursor !== null && (
            <button type="button" className="button" onClick={() => setCursor(null)}>
              {t('accounting.reports.ledger.first')}
            </button>
          )}
          {data.nextCursor !== null && (
            <button
              type="button"
              className="button"
              data-testid="ledger-next"
              onClick={() => setCursor(data.nextCursor)}
            >
              {t('accounting.reports.ledger.next')}
            </button>
          )}
        </div>
      )}
    </>
  );
}
