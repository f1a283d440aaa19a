import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

export interface MultiSelectOption {
  value: string;
  label: string;
}

interface MultiSelectProps {
  label: string;
  options: readonly MultiSelectOption[];
  selected: readonly string[];
  onChange: (selected: string[]) => void;
  testId?: string;
}

/** A compact list of checkboxes that opens under its summary ("Tous", "Actif, Échu"...). */
export function MultiSelect({ label, options, selected, onChange, testId }: MultiSelectProps) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDetailsElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent | KeyboardEvent) => {
      if (
        event instanceof KeyboardEvent
          ? event.key === 'Escape'
          : !ref.current?.contains(event.target as Node)
      ) {
        setOpen(false);
      }
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);

  const chosen = options.filter((option) => selected.includes(option.value));
  const summary =
    chosen.length === 0
      ? t('common.all')
      : chosen.length <= 2
        ? chosen.map((option) => option.label).join(', ')
        : t('common.selectedCount', { count: chosen.length });

  const toggle = (value: string, checked: boolean) =>
    onChange(
      checked
        ? [...selected.filter((item) => item !== value), value]
        : selected.filter((item) => item !== value),
    );

  return (
    <div className="field multi-select">
      <span aria-hidden="true">{label}</span>
      <details
        ref={ref}
        open={open}
        onToggle={(event) => setOpen(event.currentTarget.open)}
        data-testid={testId}
      >
        <summary>
          <span className="visually-hidden">{label} : </span>
          {summary}
        </summary>
        <fieldset className="multi-select__panel">
          <legend className="visually-hidden">{label}</legend>
          {options.map((option) => (
            <label key={option.value} className="checkbox-field">
              <input
                type="checkbox"
                value={option.value}
                checked={selected.includes(option.value)}
                onChange={(event) => toggle(option.value, event.target.checked)}
              />
              {option.label}
            </label>
          ))}
          {selected.length > 0 && (
            <button type="button" className="button button--small" onClick={() => onChange([])}>
              {t('common.clear')}
            </button>
          )}
        </fieldset>
      </details>
    </div>
  );
}
