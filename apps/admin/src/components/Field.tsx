import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { validationMessage } from '../i18n/messages';

interface FieldControlProps {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby'?: string;
  'aria-required'?: boolean;
}

interface FieldProps {
  label: string;
  /** A react-hook-form field error (only its message is shown). */
  error?: { message?: string };
  hint?: string;
  className?: string;
  /** `data-testid` of the validation message, when there is one. */
  errorTestId?: string;
  /**
   * Marks the field as mandatory: `aria-required` on the control and a star next to the label
   * (outside it, so that the label text stays the field's name).
   */
  required?: boolean;
  /** Announces the validation message as soon as it appears (`role="alert"`). */
  alertError?: boolean;
  /** Renders the control with the id and ARIA attributes that tie it to its label and messages. */
  children: (control: FieldControlProps) => ReactNode;
}

/** A labelled form control with its hint and validation message. */
export function Field({
  label,
  error,
  hint,
  className,
  errorTestId,
  required,
  alertError,
  children,
}: FieldProps) {
  const { t } = useTranslation();
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field--invalid' : ''}${className ? ` ${className}` : ''}`}>
      {required ? (
        <span className="field__label">
          <label htmlFor={id}>{label}</label>
          <span className="field__required" aria-hidden="true">
            *
          </span>
        </span>
      ) : (
        <label htmlFor={id}>{label}</label>
      )}
      {children({
        id,
        'aria-invalid': Boolean(error),
        'aria-describedby': describedBy,
        ...(required ? { 'aria-required': true } : {}),
      })}
      {hint && (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
      {error && (
        <p
          id={errorId}
          className="field__error"
          data-testid={errorTestId}
          role={alertError ? 'alert' : undefined}
        >
          {validationMessage(t, error.message)}
        </p>
      )}
    </div>
  );
}
