import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FiscalYearView, YearCloseResultView } from '@ruche/contracts';
import { accountingApi } from '../../../api/accounting';
import { useResource } from '../../../api/useResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Alert } from '../../../components/Alert';
import { ResourceState } from '../../../components/ResourceState';
import { serverMessage } from '../../../i18n/messages';
import { formatMoney, useDayFormatter, useOrgCurrency } from '../money';
import { ErrorWithDetails, useApiErrorText } from './apiErrorText';
import { DeferralsSection } from './DeferralsSection';

function ResultText({ cents, currency }: { cents: number; currency: string }) {
  const { t } = useTranslation();
  return (
    <>
      {cents >= 0 ? t('accounting.yearClose.surplus') : t('accounting.yearClose.deficit')}{' '}
      {formatMoney(Math.abs(cents), currency)}
    </>
  );
}

interface YearClosePanelProps {
  year: FiscalYearView;
  onClosed: () => void;
  onCancel: () => void;
}

/** The close assistant of an open fiscal year: the check, the preview, then the close itself. */
export function YearClosePanel({ year, onClosed, onCancel }: YearClosePanelProps) {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const currency = useOrgCurrency();
  const organization = useCurrentOrganization();
  const errorText = useApiErrorText();
  const check = useResource(`accounting:year-close:${organization.id}:${year.id}`, (signal) =>
    accountingApi.yearCloseCheck(organization.id, year.id, signal),
  );
  const [confirmSuspense, setConfirmSuspense] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<{ message: string; details: string[] } | null>(null);
  const [done, setDone] = useState<YearCloseResultView | null>(null);

  const data = check.data;
  const hasSuspense = (data?.suspense.length ?? 0) > 0;
  const canSubmit =
    !!data && data.ready && data.problems.length === 0 && (!hasSuspense || confirmSuspense);

  const submit = async () => {
    if (!canSubmit) return;
    setPending(true);
    setError(null);
    try {
      const result = await accountingApi.closeFiscalYear(organization.id, year.id, {
        confirmSuspense: hasSuspense && confirmSuspense,
      });
      setDone(result);
      onClosed();
    } catch (failure) {
      setError(errorText(failure));
      check.reload();
    } finally {
      setPending(false);
    }
  };

  const range = t('accounting.fiscalYears.range', {
    start: day(year.startDate),
    end: day(year.endDate),
  });

  return (
    <section className="panel stack" aria-labelledby="year-close-title">
      <div className="panel__header">
        <h2 id="year-close-title">{t('accounting.yearClose.title', { range })}</h2>
        <button type="button" className="button" onClick={onCancel}>
          {done ? t('accounting.yearClose.dismiss') : t('common.cancel')}
        </button>
      </div>
      {done ? (
        <div data-testid="year-close-done">
          <Alert kind="success">
            <span>
              {t('accounting.yearClose.done')}{' '}
              <ResultText cents={done.resultCents} currency={currency} />
            </span>
          </Alert>
        </div>
      ) : (
        <>
          <ResourceState resource={check} />
          {error && <ErrorWithDetails error={error} />}
          {data && (
            <>
              {data.problems.length > 0 && (
                <div className="stack">
                  <h3>{t('accounting.yearClose.problemsTitle')}</h3>
                  <ul>
                    {data.problems.map((problem, index) => (
                      <li key={index} data-testid="year-close-problem">
                        {serverMessage(t, problem.code, problem.message)}
                      </li>
                    ))}
                  </ul>
                </div>
              )}
              {data.problems.length === 0 && data.ready && (
                <Alert kind="info">{t('accounting.yearClose.readyText')}</Alert>
              )}
              <DeferralsSection fiscalYearId={year.id} onChanged={check.reload} />
              <p>
                <strong>{t('accounting.yearClose.result')}</strong>{' '}
                <span data-testid="year-close-result">
                  <ResultText cents={data.resultCents} currency={currency} />
                </span>
              </p>
              {hasSuspense && (
                <div className="stack">
                  <h3>{t('accounting.yearClose.suspenseTitle')}</h3>
                  <ul>
                    {data.suspense.map((account) => (
                      <li key={account.accountNumber}>
                        {account.accountNumber} : {formatMoney(account.balanceCents, currency)}
                      </li>
                    ))}
                  </ul>
                  <label className="checkbox-field">
                    <input
                      type="checkbox"
                      checked={confirmSuspense}
                      data-testid="year-close-confirm-suspense"
                      onChange={(event) => setConfirmSuspense(event.target.checked)}
                    />
                    <span>{t('accounting.yearClose.confirmSuspense')}</span>
                  </label>
                </div>
              )}
              <div className="stack">
                <h3>
                  {t('accounting.yearClose.openingTitle', {
                    range: t('accounting.fiscalYears.range', {
                      start: day(data.nextFiscalYear.startDate),
                      end: day(data.nextFiscalYear.endDate),
                    }),
                  })}
                </h3>
                {data.openingLines.length === 0 ? (
                  <p>{t('accounting.yearClose.openingEmpty')}</p>
                ) : (
                  <div className="table-wrap">
                    <table className="table">
                      <thead>
                        <tr>
                          <th scope="col">{t('accounting.yearClose.columns.account')}</th>
                          <th scope="col" className="numeric">
                            {t('accounting.yearClose.columns.debit')}
                          </th>
                          <th scope="col" className="numeric">
                            {t('accounting.yearClose.columns.credit')}
                          </th>
                        </tr>
                      </thead>
                      <tbody>
                        {data.openingLines.map((line, index) => (
                          <tr key={`${line.accountNumber}-${index}`}>
                            <td>{line.accountNumber}</td>
                            <td className="numeric">
                              {line.debitCents ? formatMoney(line.debitCents, currency) : ''}
                            </td>
                            <td className="numeric">
                              {line.creditCents ? formatMoney(line.creditCents, currency) : ''}
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                )}
              </div>
              <div className="form-actions">
                <button
                  type="button"
                  className="button button--primary"
                  disabled={!canSubmit || pending}
                  aria-busy={pending}
                  data-testid="year-close-submit"
                  onClick={() => void submit()}
                >
                  {pending && <span className="spinner spinner--light" aria-hidden="true" />}
                  {t('accounting.yearClose.submit')}
                </button>
              </div>
            </>
          )}
        </>
      )}
    </section>
  );
}
