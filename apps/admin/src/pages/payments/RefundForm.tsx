import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { refundInputSchema, type PaymentView } from '@ruche/contracts';
import { paymentsApi } from '../../api/payments';
import { useCurrentOrganization } from '../../auth/CurrentOrganization';
import { Alert } from '../../components/Alert';
import { FormErrors } from '../../components/FormErrors';
import { splitErrors } from '../../components/useFormErrors';
import { validationMessage } from '../../i18n/messages';
import { amountToCents, formatMoney } from '../accounting/money';
import { centsToAmount } from './paymentLabels';

const FIELDS = ['amount', 'reason'] as const;
type RefundField = (typeof FIELDS)[number];

interface Errors {
  byField: Partial<Record<RefundField, string>>;
  general: string[];
}

const NO_ERRORS: Errors = { byField: {}, general: [] };

/**
 * "Rembourser": an inline form (amount, at most what is left, and a required reason) whose submit
 * button is the confirmation; the refund goes through Stripe and the payment comes back updated.
 */
export function RefundForm({
  payment,
  onRefunded,
}: {
  payment: PaymentView;
  /** The refund was asked (Stripe confirms it, or not, later): `amountCents` given back. */
  onRefunded: (amountCents: number, updated: PaymentView) => void;
}) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [pending, setPending] = useState(false);
  const [errors, setErrors] = useState<Errors>(NO_ERRORS);
  const max = payment.refundableCents;
  const maxLabel = formatMoney(max, payment.currency);

  const start = () => {
    setAmount(centsToAmount(max));
    setReason('');
    setErrors(NO_ERRORS);
    setOpen(true);
  };
  const close = () => {
    setOpen(false);
    setErrors(NO_ERRORS);
  };

  const submit = async () => {
    setErrors(NO_ERRORS);
    const body = { amount: amount.trim(), reason };
    const parsed = refundInputSchema.safeParse(body);
    const next: Errors = { byField: {}, general: [] };
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = FIELDS.find((name) => name === issue.path[0]);
        const message = validationMessage(t, issue.message);
        if (field) next.byField[field] ??= message;
        else next.general.push(message);
      }
    } else if (parsed.data.amount !== undefined) {
      if (parsed.data.amount <= 0 || parsed.data.amount > max) {
        next.byField.amount = t('payments.refund.tooLarge', { max: maxLabel });
      }
    }
    if (Object.keys(next.byField).length > 0 || next.general.length > 0) {
      setErrors(next);
      return;
    }
    const cents = parsed.success ? (parsed.data.amount ?? max) : max;
    setPending(true);
    try {
      const updated = await paymentsApi.refund(organization.id, payment.id, body);
      setOpen(false);
      onRefunded(cents, updated);
    } catch (error) {
      const split = splitErrors(t, error, FIELDS);
      setErrors({ byField: split.byField, general: split.general });
    } finally {
      setPending(false);
    }
  };

  if (!open) {
    return (
      <div className="button-row">
        <button type="button" className="button" data-testid="payment-refund-open" onClick={start}>
          {t('payments.refund.open')}
        </button>
      </div>
    );
  }

  const typed = amountToCents(amount);
  const amountId = `${id}-amount`;
  const reasonId = `${id}-reason`;
  return (
    <form
      className="form panel panel--inset"
      noValidate
      aria-labelledby={`${id}-title`}
      data-testid="payment-refund-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h3 id={`${id}-title`}>{t('payments.refund.title')}</h3>
      <Alert kind="info">
        <span>
          {t(
            payment.provider === 'manual'
              ? 'payments.refund.explanationManual'
              : 'payments.refund.explanation',
            { max: maxLabel },
          )}
        </span>
      </Alert>
      <FormErrors messages={errors.general} testId="payment-refund-errors" />
      <div className="form-grid">
        <div className={`field field--narrow${errors.byField.amount ? ' field--invalid' : ''}`}>
          <label htmlFor={amountId}>
            {t('payments.refund.amount', { currency: payment.currency })}
          </label>
          <input
            id={amountId}
            type="text"
            inputMode="decimal"
            autoComplete="off"
            value={amount}
            aria-invalid={Boolean(errors.byField.amount)}
            aria-describedby={`${amountId}-hint${errors.byField.amount ? ` ${amountId}-error` : ''}`}
            data-testid="payment-refund-amount"
            onChange={(event) => setAmount(event.target.value)}
          />
          <p id={`${amountId}-hint`} className="field__hint">
            {t('payments.refund.amountHint', { max: maxLabel })}
          </p>
          {errors.byField.amount && (
            <p
              id={`${amountId}-error`}
              className="field__error"
              role="alert"
              data-testid="payment-refund-amount-error"
            >
              {errors.byField.amount}
            </p>
          )}
        </div>
        <div className={`field form-grid__full${errors.byField.reason ? ' field--invalid' : ''}`}>
          <span className="field__label">
            <label htmlFor={reasonId}>{t('payments.refund.reason')}</label>
            <span className="field__required" aria-hidden="true">
              *
            </span>
          </span>
          <textarea
            id={reasonId}
            rows={2}
            maxLength={500}
            value={reason}
            aria-required
            aria-invalid={Boolean(errors.byField.reason)}
            aria-describedby={`${reasonId}-hint${errors.byField.reason ? ` ${reasonId}-error` : ''}`}
            data-testid="payment-refund-reason"
            onChange={(event) => setReason(event.target.value)}
          />
          <p id={`${reasonId}-hint`} className="field__hint">
            {t('payments.refund.reasonHint')}
          </p>
          {errors.byField.reason && (
            <p
              id={`${reasonId}-error`}
              className="field__error"
              role="alert"
              data-testid="payment-refund-reason-error"
            >
              {errors.byField.reason}
            </p>
          )}
        </div>
      </div>
      <div className="button-row">
        <button
          type="submit"
          className="button button--danger"
          disabled={pending}
          aria-busy={pending}
          data-testid="payment-refund-submit"
        >
          {pending && <span className="spinner spinner--light" aria-hidden="true" />}
          {typed > 0 && typed <= max
            ? t('payments.refund.confirm', { amount: formatMoney(typed, payment.currency) })
            : t('payments.refund.confirmAny')}
        </button>
        <button
          type="button"
          className="button"
          disabled={pending}
          data-testid="payment-refund-cancel"
          onClick={close}
        >
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
