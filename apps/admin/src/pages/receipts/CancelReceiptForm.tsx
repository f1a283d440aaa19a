import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { cancelReceiptInputSchema, type ReceiptView } from '@ruche/contracts';
import { receiptsApi } from '../../api/receipts';
import { useCurrentOrganization } from '../../auth/CurrentOrganization';
import { Alert } from '../../components/Alert';
import { FormErrors } from '../../components/FormErrors';
import { splitErrors } from '../../components/useFormErrors';
import { validationMessage } from '../../i18n/messages';

const FIELDS = ['reason', 'replace'] as const;
type CancelField = (typeof FIELDS)[number];

interface Errors {
  byField: Partial<Record<CancelField, string>>;
  general: string[];
}

const NO_ERRORS: Errors = { byField: {}, general: [] };

/**
 * "Annuler ce reçu": an inline form (a required reason, and whether to issue a corrected receipt
 * for the same gifts) whose submit button is the confirmation. A cancelled receipt keeps its
 * number in the register.
 */
export function CancelReceiptForm({
  receipt,
  onCancelled,
}: {
  receipt: ReceiptView;
  onCancelled: (updated: ReceiptView) => void;
}) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [replace, setReplace] = useState(false);
  const [pending, setPending] = useState(false);
  const [errors, setErrors] = useState<Errors>(NO_ERRORS);

  const start = () => {
    setReason('');
    setReplace(false);
    setErrors(NO_ERRORS);
    setOpen(true);
  };
  const close = () => {
    setOpen(false);
    setErrors(NO_ERRORS);
  };

  const submit = async () => {
    setErrors(NO_ERRORS);
    const body = { reason, replace };
    const parsed = cancelReceiptInputSchema.safeParse(body);
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
      const updated = await receiptsApi.cancel(organization.id, receipt.id, parsed.data);
      setOpen(false);
      onCancelled(updated);
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
        <button
          type="button"
          className="button button--danger"
          data-testid="receipt-cancel-open"
          onClick={start}
        >
          {t('receipts.cancel.open')}
        </button>
      </div>
    );
  }

  const reasonId = `${id}-reason`;
  const replaceId = `${id}-replace`;
  return (
    <form
      className="form panel panel--inset"
      noValidate
      role="dialog"
      aria-labelledby={`${id}-title`}
      data-testid="receipt-cancel-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h3 id={`${id}-title`}>{t('receipts.cancel.title', { reference: receipt.reference })}</h3>
      <Alert kind="warning">
        <span>{t('receipts.cancel.explanation')}</span>
      </Alert>
      <FormErrors messages={errors.general} testId="receipt-cancel-errors" />
      <div className="form-grid">
        <div className={`field form-grid__full${errors.byField.reason ? ' field--invalid' : ''}`}>
          <span className="field__label">
            <label htmlFor={reasonId}>{t('receipts.cancel.reason')}</label>
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
            autoFocus
            data-testid="receipt-cancel-reason"
            onChange={(event) => setReason(event.target.value)}
          />
          <p id={`${reasonId}-hint`} className="field__hint">
            {t('receipts.cancel.reasonHint')}
          </p>
          {errors.byField.reason && (
            <p
              id={`${reasonId}-error`}
              className="field__error"
              role="alert"
              data-testid="receipt-cancel-reason-error"
            >
              {errors.byField.reason}
            </p>
          )}
        </div>
        <div className={`form-grid__full${errors.byField.replace ? ' field--invalid' : ''}`}>
          <div className="checkbox-field">
            <input
              id={replaceId}
              type="checkbox"
              checked={replace}
              aria-describedby={`${replaceId}-hint`}
              data-testid="receipt-cancel-replace"
              onChange={(event) => setReplace(event.target.checked)}
            />
            <label htmlFor={replaceId}>{t('receipts.cancel.replace')}</label>
          </div>
          <p id={`${replaceId}-hint`} className="field__hint">
            {t('receipts.cancel.replaceHint')}
          </p>
          {errors.byField.replace && (
            <p className="field__error" role="alert">
              {errors.byField.replace}
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
          data-testid="receipt-cancel-submit"
        >
          {pending && <span className="spinner spinner--light" aria-hidden="true" />}
          {replace ? t('receipts.cancel.confirmReplace') : t('receipts.cancel.confirm')}
        </button>
        <button
          type="button"
          className="button"
          disabled={pending}
          data-testid="receipt-cancel-close"
          onClick={close}
        >
          {t('receipts.cancel.keep')}
        </button>
      </div>
    </form>
  );
}
