import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { reasonInputSchema } from '@ruche/contracts';
import { FormErrors } from '../../components/FormErrors';
import { validationMessage } from '../../i18n/messages';
import { formProblems } from './reconFormat';

/**
 * A required reason (3 characters at least, kept in the audit log) and the button that confirms:
 * "Ignorer" a line, "Annuler le rapprochement". `testId` prefixes the test ids of its parts
 * (`-form`, `-reason`, `-reason-error`, `-submit`, `-cancel`, `-errors`).
 */
export function ReasonForm({
  title,
  hint,
  submitLabel,
  testId,
  danger = false,
  autoFocus = false,
  onSubmit,
  onCancel,
}: {
  title: string;
  hint: string;
  submitLabel: string;
  testId: string;
  danger?: boolean;
  autoFocus?: boolean;
  onSubmit: (reason: string) => Promise<unknown>;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [general, setGeneral] = useState<string[]>([]);
  const [pending, setPending] = useState(false);

  const submit = async () => {
    setError(null);
    setGeneral([]);
    const parsed = reasonInputSchema.safeParse({ reason });
    if (!parsed.success) {
      const typed = reason.trim();
      setError(
        !typed
          ? t('errors.required')
          : typed.length < 3
            ? t('reconciliation.reason.tooShort')
            : validationMessage(t, parsed.error.issues[0]?.message),
      );
      return;
    }
    setPending(true);
    try {
      await onSubmit(parsed.data.reason);
    } catch (failure) {
      const split = formProblems(t, failure, ['reason']);
      setError(split.byField['reason'] ?? null);
      setGeneral(split.general);
    } finally {
      setPending(false);
    }
  };

  const reasonId = `${id}-reason`;
  return (
    <form
      className="form panel panel--inset"
      noValidate
      aria-labelledby={`${id}-title`}
      data-testid={`${testId}-form`}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h3 id={`${id}-title`}>{title}</h3>
      <FormErrors messages={general} testId={`${testId}-errors`} />
      <div className={`field${error ? ' field--invalid' : ''}`}>
        <span className="field__label">
          <label htmlFor={reasonId}>{t('reconciliation.reason.label')}</label>
          <span className="field__required" aria-hidden="true">
            *
          </span>
        </span>
        <input
          id={reasonId}
          type="text"
          maxLength={500}
          value={reason}
          aria-required
          aria-invalid={Boolean(error)}
          aria-describedby={`${reasonId}-hint${error ? ` ${reasonId}-error` : ''}`}
          autoFocus={autoFocus}
          data-testid={`${testId}-reason`}
          onChange={(event) => setReason(event.target.value)}
        />
        <p id={`${reasonId}-hint`} className="field__hint">
          {hint}
        </p>
        {error && (
          <p
            id={`${reasonId}-error`}
            className="field__error"
            role="alert"
            data-testid={`${testId}-reason-error`}
          >
            {error}
          </p>
        )}
      </div>
      <div className="button-row">
        <button
          type="submit"
          className={`button ${danger ? 'button--danger' : 'button--primary'}`}
          disabled={pending}
          aria-busy={pending}
          data-testid={`${testId}-submit`}
        >
          {pending && (
            <span className={`spinner${danger ? '' : ' spinner--light'}`} aria-hidden="true" />
          )}
          {submitLabel}
        </button>
        {onCancel && (
          <button
            type="button"
            className="button"
            disabled={pending}
            data-testid={`${testId}-cancel`}
            onClick={onCancel}
          >
            {t('common.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
