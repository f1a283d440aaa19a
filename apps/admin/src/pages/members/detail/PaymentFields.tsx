import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { OFFLINE_PAYMENT_METHODS, type PaymentInput } from '@ruche/contracts';
import { today } from '../../accounting/money';

export type OfflineMethod = (typeof OFFLINE_PAYMENT_METHODS)[number];

/** A payment received at the desk, as typed. */
export interface PaymentValues {
  method: OfflineMethod;
  paidOn: string;
  reference: string;
  /** E-mail the payment confirmation (attestation, invoice) to the member. */
  notify: boolean;
}

export const emptyPayment = (): PaymentValues => ({
  method: 'cheque',
  paidOn: today(),
  reference: '',
  notify: true,
});

export function toPaymentInput(values: PaymentValues): PaymentInput {
  return {
    method: values.method,
    paidOn: values.paidOn,
    reference: values.reference.trim() || null,
    notify: values.notify,
  };
}

interface PaymentFieldsProps {
  value: PaymentValues;
  onChange: (value: PaymentValues) => void;
  /** Messages under each input (`method`, `paidOn`, `reference`). */
  errors?: Partial<Record<keyof PaymentValues, string>>;
  testId: string;
  /**
   * Who the confirmation goes to: an address, null when the member has none (nothing can be
   * sent), undefined when not known here (a household membership held by another member).
   */
  recipient?: string | null;
}

/**
 * Method, date and reference (cheque number, transfer label) of a payment, and whether the
 * member gets the payment confirmation by e-mail.
 */
export function PaymentFields({
  value,
  onChange,
  errors = {},
  testId,
  recipient,
}: PaymentFieldsProps) {
  const { t } = useTranslation();
  const id = useId();
  const field = (name: keyof PaymentValues, label: string, control: ReactNode) => (
    <div className={`field${errors[name] ? ' field--invalid' : ''}`}>
      <label htmlFor={`${id}-${name}`}>{label}</label>
      {control}
      {errors[name] && (
        <p
          id={`${id}-${name}-error`}
          className="field__error"
          data-testid={`${testId}-${name}-error`}
        >
          {errors[name]}
        </p>
      )}
    </div>
  );
  const describedBy = (name: keyof PaymentValues) =>
    errors[name] ? `${id}-${name}-error` : undefined;

  return (
    <div className="form-row">
      {field(
        'method',
        t('memberships.payment.method'),
        <select
          id={`${id}-method`}
          value={value.method}
          aria-invalid={Boolean(errors.method)}
          aria-describedby={describedBy('method')}
          data-testid={`${testId}-method`}
          onChange={(event) =>
            onChange({
              ...value,
              method:
                OFFLINE_PAYMENT_METHODS.find((method) => method === event.target.value) ?? 'cheque',
            })
          }
        >
          {OFFLINE_PAYMENT_METHODS.map((method) => (
            <option key={method} value={method}>
              {t(`memberships.payment.methods.${method}`)}
            </option>
          ))}
        </select>,
      )}
      {field(
        'paidOn',
        t('memberships.payment.paidOn'),
        <input
          id={`${id}-paidOn`}
          type="date"
          required
          value={value.paidOn}
          aria-invalid={Boolean(errors.paidOn)}
          aria-describedby={describedBy('paidOn')}
          data-testid={`${testId}-paid-on`}
          onChange={(event) => onChange({ ...value, paidOn: event.target.value })}
        />,
      )}
      {field(
        'reference',
        value.method === 'cheque'
          ? t('memberships.payment.chequeNumber')
          : t('memberships.payment.reference'),
        <input
          id={`${id}-reference`}
          type="text"
          maxLength={100}
          value={value.reference}
          aria-invalid={Boolean(errors.reference)}
          aria-describedby={describedBy('reference')}
          data-testid={`${testId}-reference`}
          onChange={(event) => onChange({ ...value, reference: event.target.value })}
        />,
      )}
      <label className="checkbox-field">
        <input
          type="checkbox"
          checked={value.notify && recipient !== null}
          disabled={recipient === null}
          aria-describedby={`${id}-notify-hint`}
          data-testid={`${testId}-notify`}
          onChange={(event) => onChange({ ...value, notify: event.target.checked })}
        />
        <span>
          {t('memberships.payment.notify')}
          <span id={`${id}-notify-hint`} className="field__hint">
            {recipient === null
              ? t('memberships.payment.notifyNoEmail')
              : recipient
                ? t('memberships.payment.notifyTo', { email: recipient })
                : t('memberships.payment.notifyHint')}
          </span>
        </span>
      </label>
    </div>
  );
}
