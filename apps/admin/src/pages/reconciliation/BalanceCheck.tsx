import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BankAccountView } from '@ruche/contracts';
import { reconciliationApi } from '../../api/reconciliation';
import { useResource } from '../../api/useResource';
import { useCurrentOrganization } from '../../auth/CurrentOrganization';
import { ResourceState } from '../../components/ResourceState';
import { useFormatters } from '../../i18n/format';
import { formatMoney, today, useDayFormatter } from '../accounting/money';

/** The état de rapprochement of a bank account at a day (today by default); `reload` after a change. */
export function useBalanceCheck(bankAccountId: string) {
  const organization = useCurrentOrganization();
  const [date, setDate] = useState(today);
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(date);
  const balance = useResource(
    `recon-balance:${organization.id}:${bankAccountId}:${valid ? date : ''}`,
    (signal) =>
      reconciliationApi.balance(organization.id, bankAccountId, valid ? date : '', signal),
  );
  return { date, setDate, balance };
}

/**
 * État de rapprochement: at a day, the 512x ledger balance, the bank's balance (and the statement
 * it comes from), the bank lines not matched yet, the ledger lines not on the bank yet, and what
 * none of them explains, highlighted when it is not zero.
 */
export function BalanceCheck({
  account,
  check,
}: {
  account: BankAccountView;
  check: ReturnType<typeof useBalanceCheck>;
}) {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const format = useFormatters();
  const id = useId();
  const { date, setDate, balance } = check;
  const data = balance.data;
  const money = (cents: number) => formatMoney(cents, account.currency);
  const unexplained = data?.unexplainedCents ?? null;

  return (
    <section className="panel" aria-labelledby={`${id}-title`} data-testid="recon-balance">
      <div className="panel__header">
        <h2 id={`${id}-title`}>{t('reconciliation.balance.title')}</h2>
      </div>
      <p className="muted">{t('reconciliation.balance.intro')}</p>
      <div className="filter-bar">
        <label className="field">
          <span>{t('reconciliation.balance.date')}</span>
          <input
            type="date"
            value={date}
            data-testid="recon-balance-date"
            onChange={(event) => setDate(event.target.value)}
          />
        </label>
      </div>
      <ResourceState resource={balance} />
      {data && (
        <>
          <dl className="details recon-balance" aria-busy={balance.loading}>
            <dt>{t('reconciliation.balance.ledger', { account: data.accountNumber })}</dt>
            <dd
              className="numeric nowrap"
              data-testid="recon-balance-ledger"
              data-cents={data.ledgerBalanceCents}
            >
              {money(data.ledgerBalanceCents)}
            </dd>
            <dt>{t('reconciliation.balance.unmatchedBank')}</dt>
            <dd
              className="numeric nowrap"
              data-testid="recon-balance-unmatched-bank"
              data-cents={data.unmatchedBankCents}
              data-count={data.unmatchedBankCount}
            >
              {money(data.unmatchedBankCents)}
              <span className="cell-note">
                {t('reconciliation.balance.lines', {
                  count: data.unmatchedBankCount,
                  formatted: format.number(data.unmatchedBankCount),
                })}
              </span>
            </dd>
            <dt>{t('reconciliation.balance.unmatchedLedger')}</dt>
            <dd
              className="numeric nowrap"
              data-testid="recon-balance-unmatched-ledger"
              data-cents={data.unmatchedLedgerCents}
              data-count={data.unmatchedLedgerCount}
            >
              {money(data.unmatchedLedgerCents)}
              <span className="cell-note">
                {t('reconciliation.balance.lines', {
                  count: data.unmatchedLedgerCount,
                  formatted: format.number(data.unmatchedLedgerCount),
                })}
              </span>
            </dd>
            <dt>{t('reconciliation.balance.bank')}</dt>
            <dd
              className="numeric nowrap"
              data-testid="recon-balance-bank"
              data-cents={data.bankBalanceCents ?? ''}
            >
              {data.bankBalanceCents === null
                ? t('reconciliation.balance.noBank')
                : money(data.bankBalanceCents)}
              {data.bankBalanceSource && (
                <span className="cell-note" data-testid="recon-balance-source">
                  {t('reconciliation.balance.source', { source: data.bankBalanceSource })}
                </span>
              )}
            </dd>
            <dt>
              <strong>{t('reconciliation.balance.unexplained')}</strong>
            </dt>
            <dd
              className={`numeric nowrap ${
                unexplained === null ? '' : unexplained === 0 ? 'balance--ok' : 'balance--off'
              }`}
              data-testid="recon-balance-unexplained"
              data-cents={unexplained ?? ''}
            >
              {unexplained === null ? t('common.none') : money(unexplained)}
            </dd>
          </dl>
          <p className="muted">{t('reconciliation.balance.formula')}</p>
          {unexplained !== null && unexplained !== 0 && (
            <p className="cell-warning" data-testid="recon-balance-explanation">
              {data.since
                ? t('reconciliation.balance.offSince', { since: day(data.since) })
                : t('reconciliation.balance.off')}
            </p>
          )}
          {unexplained === 0 && (
            <p className="balance--ok">
              {t('reconciliation.balance.ok', { date: day(data.date) })}
            </p>
          )}
          {data.since && (
            <p className="muted" data-testid="recon-balance-since">
              {t('reconciliation.balance.since', { since: day(data.since) })}
            </p>
          )}
          {data.bankBalanceCents === null && (
            <p className="muted">{t('reconciliation.balance.noBankHint')}</p>
          )}
        </>
      )}
    </section>
  );
}
