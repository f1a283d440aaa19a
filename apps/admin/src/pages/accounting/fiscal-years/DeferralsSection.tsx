import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { cancelDeferralInputSchema, type DeferralsView } from '@ruche/contracts';
import { accountingApi } from '../../../api/accounting';
import { useResource } from '../../../api/useResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Alert } from '../../../components/Alert';
import { EmptyState } from '../../../components/EmptyState';
import { ResourceState } from '../../../components/ResourceState';
import { formatMoney, useDayFormatter, useOrgCurrency } from '../money';
import { ErrorWithDetails, useApiErrorText } from './apiErrorText';

const REASON_MIN = 5;
const REASON_MAX = 300;

/** The day after a calendar day ("YYYY-MM-DD"), without time-zone shifts. */
function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

interface DeferralsSectionProps {
  fiscalYearId: string;
  /** The deferral was posted or cancelled: the year's result and opening lines changed. */
  onChanged: () => void;
}

/**
 * The year-end deferral of income (produits constatés d'avance), a step of the close assistant:
 * the membership fees of the year that pay for days of the next one, their totals by income
 * account, and posting (or cancelling, with a reason) the entry and its reversal.
 */
export function DeferralsSection({ fiscalYearId, onChanged }: DeferralsSectionProps) {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const currency = useOrgCurrency();
  const organization = useCurrentOrganization();
  const errorText = useApiErrorText();
  const id = useId();
  const canClose = organization.can('accounting.close');
  const resource = useResource(
    `accounting:deferrals:${organization.id}:${fiscalYearId}`,
    (signal) => accountingApi.deferrals(organization.id, fiscalYearId, signal),
  );
  // The answer of the last action (the view after it), until the resource is loaded again.
  const [fresh, setFresh] = useState<DeferralsView | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<{ message: string; details: string[] } | null>(null);
  const [success, setSuccess] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const feedbackRef = useRef<HTMLDivElement>(null);
  const cancelButtonRef = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);

  const view = fresh ?? resource.data;
  const base = `/orgs/${organization.id}/accounting/entries`;

  useEffect(() => {
    if (success || error) feedbackRef.current?.focus();
  }, [success, error]);
  useEffect(() => {
    if (!cancelling && returnFocus.current) {
      returnFocus.current = false;
      cancelButtonRef.current?.focus();
    }
  }, [cancelling]);

  const act = async (action: () => Promise<DeferralsView>, done: string): Promise<boolean> => {
    setPending(true);
    setError(null);
    setSuccess(null);
    try {
      setFresh(await action());
      setSuccess(done);
      onChanged();
      return true;
    } catch (failure) {
      setError(errorText(failure));
      setFresh(null);
      resource.reload();
      return false;
    } finally {
      setPending(false);
    }
  };

  const post = () =>
    act(
      () => accountingApi.postDeferrals(organization.id, fiscalYearId),
      t('accounting.deferrals.postedDone'),
    );

  const trimmed = reason.trim();
  const reasonValid = cancelDeferralInputSchema.safeParse({ reason }).success;
  const reasonInvalid = touched && !reasonValid;

  const openCancel = () => {
    setReason('');
    setTouched(false);
    setError(null);
    setSuccess(null);
    setCancelling(true);
  };
  const closeCancel = () => {
    returnFocus.current = true;
    setCancelling(false);
  };
  const cancel = async () => {
    setTouched(true);
    if (!reasonValid) return;
    const done = await act(
      () => accountingApi.cancelDeferrals(organization.id, fiscalYearId, { reason: trimmed }),
      t('accounting.deferrals.cancelled'),
    );
    if (done) setCancelling(false);
  };

  const titleId = `${id}-title`;
  const reasonId = `${id}-reason`;
  return (
    <section className="stack" aria-labelledby={titleId} data-testid="deferrals-section">
      <h3 id={titleId}>{t('accounting.deferrals.title')}</h3>
      <ResourceState resource={resource} />
      {view && (
        <>
          <p>
            {t('accounting.deferrals.intro', {
              account: view.deferredAccount,
              end: day(view.fiscalYearEnd),
              next: day(nextDay(view.fiscalYearEnd)),
            })}
          </p>
          <p className="muted">{t('accounting.deferrals.cashBasis')}</p>
          <div ref={feedbackRef} tabIndex={-1} data-testid="deferrals-feedback">
            {error && <ErrorWithDetails error={error} />}
            {success && <Alert kind="success">{success}</Alert>}
          </div>
          {view.items.length === 0 ? (
            <EmptyState>
              <span data-testid="deferrals-empty">{t('accounting.deferrals.empty')}</span>
            </EmptyState>
          ) : (
            <div className="table-wrap">
              <table className="table">
                <caption className="visually-hidden">{t('accounting.deferrals.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('accounting.deferrals.columns.label')}</th>
                    <th scope="col">{t('accounting.deferrals.columns.account')}</th>
                    <th scope="col">{t('accounting.deferrals.columns.period')}</th>
                    <th scope="col" className="numeric">
                      {t('accounting.deferrals.columns.received')}
                    </th>
                    <th scope="col" className="numeric">
                      {t('accounting.deferrals.columns.deferred')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {view.items.map((item) => (
                    <tr key={item.ref} data-testid="deferral-row" data-ref={item.ref}>
                      <td>{item.label}</td>
                      <td>{item.account}</td>
                      <td>
                        {t('accounting.fiscalYears.range', {
                          start: day(item.coverStart),
                          end: day(item.coverEnd),
                        })}
                      </td>
                      <td className="numeric nowrap">{formatMoney(item.amountCents, currency)}</td>
                      <td
                        className="numeric nowrap"
                        data-testid="deferral-deferred"
                        data-cents={item.deferredCents}
                      >
                        {formatMoney(item.deferredCents, currency)}
                      </td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  {view.byAccount.map((account) => (
                    <tr key={account.account} data-testid="deferral-account-total">
                      <th scope="row" colSpan={4}>
                        {t('accounting.deferrals.accountTotal', { account: account.account })}
                      </th>
                      <td className="numeric nowrap">
                        {formatMoney(account.amountCents, currency)}
                      </td>
                    </tr>
                  ))}
                  <tr className="table__total">
                    <th scope="row" colSpan={4}>
                      {t('accounting.deferrals.total', { account: view.deferredAccount })}
                    </th>
                    <td
                      className="numeric nowrap"
                      data-testid="deferral-total"
                      data-cents={view.totalCents}
                    >
                      {formatMoney(view.totalCents, currency)}
                    </td>
                  </tr>
                </tfoot>
              </table>
            </div>
          )}
          {view.posted && (
            <div className="stack" data-testid="deferral-posted">
              <Alert kind="info">
                {t('accounting.deferrals.posted', {
                  amount: formatMoney(view.posted.totalCents, currency),
                  account: view.deferredAccount,
                })}
              </Alert>
              <ul className="plain-list">
                <li>
                  <Link to={`${base}/${view.posted.entryId}`} data-testid="deferral-entry-link">
                    {t('accounting.deferrals.entryLink', { date: day(view.fiscalYearEnd) })}
                  </Link>
                </li>
                <li>
                  {view.posted.reversalEntryId ? (
                    <Link
                      to={`${base}/${view.posted.reversalEntryId}`}
                      data-testid="deferral-reversal-link"
                    >
                      {t('accounting.deferrals.reversalLink', {
                        date: day(nextDay(view.fiscalYearEnd)),
                      })}
                    </Link>
                  ) : (
                    t('accounting.deferrals.noReversal')
                  )}
                </li>
              </ul>
              {view.posted.totalCents !== view.totalCents && (
                <Alert kind="warning">
                  {t('accounting.deferrals.changed', {
                    posted: formatMoney(view.posted.totalCents, currency),
                    now: formatMoney(view.totalCents, currency),
                  })}
                </Alert>
              )}
            </div>
          )}
          {view.closed && <Alert kind="info">{t('accounting.deferrals.closed')}</Alert>}
          {canClose && !view.closed && !view.posted && view.totalCents > 0 && (
            <div className="form-actions">
              <button
                type="button"
                className="button"
                disabled={pending}
                aria-busy={pending}
                aria-describedby={`${id}-post-hint`}
                data-testid="deferral-post"
                onClick={() => void post()}
              >
                {pending && <span className="spinner" aria-hidden="true" />}
                {t('accounting.deferrals.post')}
              </button>
              <span id={`${id}-post-hint`} className="field__hint">
                {t('accounting.deferrals.postHint', { account: view.deferredAccount })}
              </span>
            </div>
          )}
          {canClose && !view.closed && view.posted && !cancelling && (
            <div className="form-actions">
              <button
                ref={cancelButtonRef}
                type="button"
                className="button button--danger"
                data-testid="deferral-cancel-open"
                onClick={openCancel}
              >
                {t('accounting.deferrals.cancel')}
              </button>
            </div>
          )}
          {canClose && !view.closed && view.posted && cancelling && (
            <form
              className="form panel panel--inset"
              noValidate
              aria-labelledby={`${id}-cancel-title`}
              data-testid="deferral-cancel-form"
              onSubmit={(event) => {
                event.preventDefault();
                void cancel();
              }}
              onKeyDown={(event) => {
                if (event.key === 'Escape' && !pending) {
                  event.stopPropagation();
                  closeCancel();
                }
              }}
            >
              <h4 id={`${id}-cancel-title`}>{t('accounting.deferrals.cancelTitle')}</h4>
              <p>{t('accounting.deferrals.cancelIntro')}</p>
              <div className={`field${reasonInvalid ? ' field--invalid' : ''}`}>
                <span className="field__label">
                  <label htmlFor={reasonId}>{t('accounting.deferrals.reason')}</label>
                  <span className="field__required" aria-hidden="true">
                    *
                  </span>
                </span>
                <textarea
                  id={reasonId}
                  rows={2}
                  maxLength={REASON_MAX}
                  value={reason}
                  aria-required
                  aria-invalid={reasonInvalid}
                  aria-describedby={`${reasonId}-hint`}
                  autoFocus
                  data-testid="deferral-cancel-reason"
                  onChange={(event) => setReason(event.target.value)}
                  onBlur={() => {
                    if (trimmed) setTouched(true);
                  }}
                />
                <p
                  id={`${reasonId}-hint`}
                  className={reasonInvalid ? 'field__error' : 'field__hint'}
                  role={reasonInvalid ? 'alert' : undefined}
                >
                  {t('accounting.deferrals.reasonHint', { min: REASON_MIN, max: REASON_MAX })}
                </p>
              </div>
              <div className="button-row">
                <button
                  type="submit"
                  className="button button--danger"
                  disabled={pending}
                  aria-busy={pending}
                  data-testid="deferral-cancel-submit"
                >
                  {pending && <span className="spinner" aria-hidden="true" />}
                  {t('accounting.deferrals.cancelSubmit')}
                </button>
                <button
                  type="button"
                  className="button"
                  disabled={pending}
                  data-testid="deferral-cancel-close"
                  onClick={closeCancel}
                >
                  {t('accounting.deferrals.keep')}
                </button>
              </div>
            </form>
          )}
        </>
      )}
    </section>
  );
}
