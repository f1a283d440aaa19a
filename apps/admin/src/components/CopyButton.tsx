import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

interface CopyButtonProps {
  value: string;
  /** The accessible name, saying what is copied ("Copier l'URL du webhook"). */
  label: string;
  testId?: string;
}

/** Copies `value` to the clipboard, then says so for a moment (or that it could not). */
export function CopyButton({ value, label, testId }: CopyButtonProps) {
  const { t } = useTranslation();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');

  useEffect(() => {
    if (state === 'idle') return;
    const timer = window.setTimeout(() => setState('idle'), 2500);
    return () => window.clearTimeout(timer);
  }, [state]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setState('copied');
    } catch {
      setState('failed');
    }
  };

  return (
    <span className="copy-button">
      <button
        type="button"
        className="button button--small"
        aria-label={label}
        title={label}
        data-testid={testId}
        onClick={() => void copy()}
      >
        {state === 'copied' ? t('common.copied') : t('common.copy')}
      </button>
      <span className="copy-button__status" role="status">
        {state === 'failed' && t('common.copyFailed')}
        {state === 'copied' && <span className="visually-hidden">{t('common.copied')}</span>}
      </span>
    </span>
  );
}
