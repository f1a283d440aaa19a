import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { validationMessage } from '../i18n/messages';

interface FieldControlProps {
  id: string;
  'aria-invalid': boolean;
  'aria-describedby'?: string;
}

interface FieldProps {
  label: string;
  /** A react-hook-form field error (only its message is shown). */
  error?: { message?: string };
  hint?: string;
  className?: string;
  /** `data-testid` of the validation message, when there is one. */
  errorTestId?: string;
  /** Renders the control with the id and ARIA attributes that tie it to its label and messages. */
  children: (control: FieldControlProps) => ReactNode;
}

/** A labelled form control with its hint and validation message. */
export function Field({ label, error, hint, className, errorTestId, children }: FieldProps) {
  const { t } = useTranslation();
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field--invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': Boolean(error), 'aria-describedby': describedBy })}
      {hint && (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="field__error" data-testid={errorTestId}>
          {validationMessage(t, error.message)}
        </p>
      )}
    </div>
  );
}
