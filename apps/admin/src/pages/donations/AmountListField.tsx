import { useId } from 'react';
import type { UseFormRegisterReturn } from 'react-hook-form';
import { useTranslation } from 'react-i18next';

/** The most amounts a list holds (the contracts' limit). */
export const MAX_AMOUNTS = 6;

interface AmountListFieldProps {
  legend: string;
  hint?: string;
  currency: string;
  /** The rows of the list (from `useFieldArray`). */
  rows: readonly { id: string }[];
  register: (index: number) => UseFormRegisterReturn;
  /** The message under a row, if any. */
  errorAt: (index: number) => string | undefined;
  /** A message about the whole list (too many amounts...). */
  error?: string;
  onAdd: () => void;
  onRemove: (index: number) => void;
  disabled?: boolean;
  testId: string;
}

/** A short list of amounts in euros, one input each, that can be added to and removed from. */
export function AmountListField({
  legend,
  hint,
  currency,
  rows,
  register,
  errorAt,
  error,
  onAdd,
  onRemove,
  disabled,
  testId,
}: AmountListFieldProps) {
  const { t } = useTranslation();
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <fieldset
      className={`field field--group form-grid__full${error ? ' field--invalid' : ''}`}
      aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined}
      data-testid={testId}
    >
      <legend>{legend}</legend>
      {hint && (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
      {rows.length === 0 && <p className="muted">{t('donations.amounts.none')}</p>}
      <ol className="amount-list">
        {rows.map((row, index) => {
          const inputId = `${id}-${index}`;
          const rowError = errorAt(index);
          return (
            <li key={row.id} className={`amount-list__row${rowError ? ' field--invalid' : ''}`}>
              <label htmlFor={inputId}>
                {t('donations.amounts.label', { number: index + 1, currency })}
              </label>
              <input
                id={inputId}
                type="text"
                inputMode="decimal"
                autoComplete="off"
                aria-invalid={Boolean(rowError)}
                aria-describedby={rowError ? `${inputId}-error` : undefined}
                data-testid={`${testId}-${index}`}
                {...register(index)}
              />
              <button
                type="button"
                className="button button--small"
                disabled={disabled}
                data-testid={`${testId}-remove-${index}`}
                onClick={() => onRemove(index)}
              >
                {t('donations.amounts.remove', { number: index + 1 })}
              </button>
              {rowError && (
                <p
                  id={`${inputId}-error`}
                  className="field__error"
                  data-testid={`${testId}-${index}-error`}
                >
                  {rowError}
                </p>
              )}
            </li>
          );
        })}
      </ol>
      {rows.length < MAX_AMOUNTS && (
        <button
          type="button"
          className="button button--small"
          disabled={disabled}
          data-testid={`${testId}-add`}
          onClick={onAdd}
        >
          {t('donations.amounts.add')}
        </button>
      )}
      {error && (
        <p id={errorId} className="field__error" data-testid={`${testId}-error`}>
          {error}
        </p>
      )}
    </fieldset>
  );
}
