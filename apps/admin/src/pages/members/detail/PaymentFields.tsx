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
}

export const emptyPayment = (): PaymentValues => ({
  method: 'cheque',
  paidOn: today(),
  reference: '',
});

export function toPaymentInput(values: PaymentValues): PaymentInput {
  return {
    method: values.method,
    paidOn: values.paidOn,
    reference: values.reference.trim() || null,
  };
}

interface PaymentFieldsProps {
  value: PaymentValues;
  onChange: (value: PaymentValues) => void;
  /** Messages under each input (`method`, `paidOn`, `reference`). */
  errors?: Partial<Record<keyof PaymentValues, string>>;
  testId: string;
}

/** Method, date and reference (cheque number, transfer label) of a payment. */
export function PaymentFields({ value, onChange, errors = {}, testId }: PaymentFieldsProps) {
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
    </div>
  );
}
