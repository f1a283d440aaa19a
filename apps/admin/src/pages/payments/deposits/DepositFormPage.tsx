import { useId, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { chequeDepositInputSchema, type PaymentView } from '@ruche/contracts';
import { ApiError } from '../../../api/client';
import { chequeDepositsApi } from '../../../api/payments';
import { useResource } from '../../../api/useResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { EmptyState } from '../../../components/EmptyState';
import { FormErrors } from '../../../components/FormErrors';
import { ResourceState } from '../../../components/ResourceState';
import { SubmitButton } from '../../../components/SubmitButton';
import { splitErrors } from '../../../components/useFormErrors';
import { validationMessage } from '../../../i18n/messages';
import { formatMoney, today, useDayFormatter, useOrgCurrency } from '../../accounting/money';

const FIELDS = ['paymentIds', 'depositedOn'] as const;
type DepositField = (typeof FIELDS)[number];

interface Errors {
  byField: Partial<Record<DepositField, string>>;
  general: string[];
}

const NO_ERRORS: Errors = { byField: {}, general: [] };

/**
 * `payments/deposits/new`: a deposit slip. Ticks the cheques taken to the bank together among
 * those received and not deposited yet, with their running count and total, and the day; then
 * the slip's page (its PDF to print, its entry).
 */
export function DepositFormPage() {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const organization = useCurrentOrganization();
  const navigate = useNavigate();
  const orgCurrency = useOrgCurrency();
  const id = useId();
  const cheques = useResource(`cheques:undeposited:${organization.id}`, (signal) =>
    chequeDepositsApi.undepositedCheques(organization.id, signal),
  );
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [depositedOn, setDepositedOn] = useState(today());
  const [pending, setPending] = useState(false);
  const [errors, setErrors] = useState<Errors>(NO_ERRORS);

  const items = cheques.data?.items ?? [];
  /** Only the ticked cheques still on offer count (one may have been deposited meanwhile). */
  const chosen = items.filter((payment) => selected.has(payment.id));
  const totalCents = chosen.reduce((sum, payment) => sum + payment.amountCents, 0);
  const currency = items[0]?.currency ?? orgCurrency;
  const allChosen = items.length > 0 && chosen.length === items.length;

  const toggle = (paymentId: string, checked: boolean) => {
    setSelected((previous) => {
      const next = new Set(previous);
      if (checked) next.add(paymentId);
      else next.delete(paymentId);
      return next;
    });
    setErrors((previous) => ({
      ...previous,
      byField: { ...previous.byField, paymentIds: undefined },
    }));
  };
  const toggleAll = (checked: boolean) => {
    setSelected(checked ? new Set(items.map((payment) => payment.id)) : new Set());
    setErrors((previous) => ({
      ...previous,
      byField: { ...previous.byField, paymentIds: undefined },
    }));
  };

  const submit = async () => {
    setErrors(NO_ERRORS);
    const body = { paymentIds: chosen.map((payment) => payment.id), depositedOn };
    const parsed = chequeDepositInputSchema.safeParse(body);
    if (!parsed.success) {
      const next: Errors = { byField: {}, general: [] };
      for (const issue of parsed.error.issues) {
        const field = FIELDS.find((name) => name === issue.path[0]);
        const message = validationMessage(t, issue.message);
        if (field) next.byField[field] ??= message;
        else next.general.push(message);
      }
      setErrors(next);
      return;
    }
    setPending(true);
    try {
      const deposit = await chequeDepositsApi.create(organization.id, body);
      await navigate(`/orgs/${organization.id}/payments/deposits/${deposit.id}`);
    } catch (error) {
      const split = splitErrors(t, error, FIELDS);
      setErrors({ byField: split.byField, general: split.general });
      // A cheque deposited meanwhile, or no longer a cheque: show the list as it now stands.
      if (error instanceof ApiError && error.status === 409) cheques.reload();
      setPending(false);
    }
  };

  const dateId = `${id}-date`;
  const chequesErrorId = `${id}-cheques-error`;

  return (
    <section className="panel" aria-labelledby="deposit-form-title">
      <p>
        <Link to=".." relative="path" data-testid="deposit-back">
          ← {t('payments.deposits.backToList')}
        </Link>
      </p>
      <h2 id="deposit-form-title">{t('payments.deposits.newTitle')}</h2>
      <p className="muted">{t('payments.deposits.newIntro')}</p>
      <form
        className="form"
        noValidate
        data-testid="deposit-form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <FormErrors messages={errors.general} testId="deposit-errors" />
        <ResourceState resource={cheques} />
        {cheques.data && items.length === 0 && (
          <EmptyState>{t('payments.deposits.noCheque')}</EmptyState>
        )}
        {cheques.data && items.length > 0 && (
          <div
            className={errors.byField.paymentIds ? 'field--invalid' : undefined}
            aria-describedby={errors.byField.paymentIds ? chequesErrorId : undefined}
          >
            {cheques.data.total > items.length && (
              <p className="muted" data-testid="deposit-more">
                {t('payments.deposits.more', { shown: items.length, total: cheques.data.total })}
              </p>
            )}
            <div className="table-wrap">
              <table className="table" data-testid="deposit-cheques">
                <caption className="visually-hidden">
                  {t('payments.deposits.chequesCaption')}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">
                      <input
                        type="checkbox"
                        checked={allChosen}
                        aria-label={t('payments.deposits.selectAll')}
                        data-testid="deposit-select-all"
                        onChange={(event) => toggleAll(event.target.checked)}
                      />
                    </th>
                    <th scope="col">{t('payments.deposits.cheque.receivedOn')}</th>
                    <th scope="col">{t('payments.deposits.cheque.drawer')}</th>
                    <th scope="col">{t('payments.deposits.cheque.label')}</th>
                    <th scope="col">{t('payments.deposits.cheque.number')}</th>
                    <th scope="col">{t('payments.deposits.cheque.bank')}</th>
                    <th scope="col" className="numeric">
                      {t('payments.deposits.cheque.amount')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((payment) => (
                    <ChequeChoice
                      key={payment.id}
                      payment={payment}
                      checked={selected.has(payment.id)}
                      receivedOn={day(payment.paidOn)}
                      onToggle={(checked) => toggle(payment.id, checked)}
                    />
                  ))}
                </tbody>
                <tfoot>
                  <tr className="table__total">
                    <th scope="row" colSpan={6}>
                      <span data-testid="deposit-selected-count" data-count={chosen.length}>
                        {t('payments.deposits.selected', { count: chosen.length })}
                      </span>
                    </th>
                    <td className="numeric nowrap" data-testid="deposit-selected-total">
                      {formatMoney(totalCents, currency)}
                    </td>
                  </tr>
                </tfoot>
              </table>
            </div>
            {errors.byField.paymentIds && (
              <p
                id={chequesErrorId}
                className="field__error"
                role="alert"
                data-testid="deposit-paymentIds-error"
              >
                {errors.byField.paymentIds}
              </p>
            )}
          </div>
        )}
        <div className="form-grid">
          <div
            className={`field field--narrow${errors.byField.depositedOn ? ' field--invalid' : ''}`}
          >
            <span className="field__label">
              <label htmlFor={dateId}>{t('payments.deposits.depositedOn')}</label>
              <span className="field__required" aria-hidden="true">
                *
              </span>
            </span>
            <input
              id={dateId}
              type="date"
              value={depositedOn}
              aria-required
              aria-invalid={Boolean(errors.byField.depositedOn)}
              aria-describedby={errors.byField.depositedOn ? `${dateId}-error` : undefined}
              data-testid="deposit-date"
              onChange={(event) => setDepositedOn(event.target.value)}
            />
            {errors.byField.depositedOn && (
              <p
                id={`${dateId}-error`}
                className="field__error"
                role="alert"
                data-testid="deposit-date-error"
              >
                {errors.byField.depositedOn}
              </p>
            )}
          </div>
        </div>
        <div className="form-actions button-row">
          <Link to=".." relative="path" className="button">
            {t('common.cancel')}
          </Link>
          <SubmitButton pending={pending} testId="deposit-submit">
            {chosen.length > 0
              ? t('payments.deposits.submitCount', {
                  count: chosen.length,
                  amount: formatMoney(totalCents, currency),
                })
              : t('payments.deposits.submit')}
          </SubmitButton>
        </div>
      </form>
    </section>
  );
}

/** One cheque on offer: its checkbox is named by who wrote it and how much. */
function ChequeChoice({
  payment,
  checked,
  receivedOn,
  onToggle,
}: {
  payment: PaymentView;
  checked: boolean;
  receivedOn: string;
  onToggle: (checked: boolean) => void;
}) {
  const { t } = useTranslation();
  const drawer = payment.cheque?.drawer ?? payment.contactName;
  const amount = formatMoney(payment.amountCents, payment.currency);
  return (
    <tr data-testid="deposit-cheque-option" data-payment-id={payment.id} data-selected={checked}>
      <td>
        <input
          type="checkbox"
          checked={checked}
          aria-label={t('payments.deposits.chooseCheque', {
            drawer: drawer ?? payment.label,
            amount,
          })}
          data-testid="deposit-cheque"
          data-payment-id={payment.id}
          onChange={(event) => onToggle(event.target.checked)}
        />
      </td>
      <td className="nowrap">{receivedOn}</td>
      <td>
        {drawer ?? t('common.none')}
        {payment.cheque?.drawer && payment.contactName && payment.contactName !== drawer && (
          <span className="cell-note">{payment.contactName}</span>
        )}
      </td>
      <td>{payment.label}</td>
      <td>{payment.cheque?.number ?? t('common.none')}</td>
      <td>{payment.cheque?.bank ?? t('common.none')}</td>
      <td className="numeric nowrap">{amount}</td>
    </tr>
  );
}
