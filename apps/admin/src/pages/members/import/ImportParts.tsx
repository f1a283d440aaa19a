import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportMode, ImportStatus } from '@ruche/contracts';
import type { BadgeTone } from '../../../components/Badge';

const STATUS_TONES: Record<ImportStatus, BadgeTone> = {
  uploaded: 'neutral',
  mapped: 'neutral',
  queued: 'warning',
  running: 'accent',
  done: 'success',
  failed: 'danger',
};

/** The status of an import (with the mode of its run, once it has one). */
export function ImportStatusBadge({
  status,
  mode,
  testId,
}: {
  status: ImportStatus;
  mode: ImportMode | null;
  testId?: string;
}) {
  const { t } = useTranslation();
  const ran = status !== 'uploaded' && status !== 'mapped';
  return (
    <span
      className={`badge badge--${STATUS_TONES[status]}`}
      data-testid={testId}
      data-status={status}
      data-mode={mode ?? undefined}
    >
      {ran && mode
        ? t('contacts.import.statusWithMode', {
            status: t(`contacts.import.status.${status}`),
            mode: t(`contacts.import.modes.${mode}`),
          })
        : t(`contacts.import.status.${status}`)}
    </span>
  );
}

const STEPS = ['upload', 'mapping', 'run'] as const;
export type ImportStep = (typeof STEPS)[number];

/** The three steps of the import, the current one marked. */
export function ImportSteps({ current }: { current: ImportStep }) {
  const { t } = useTranslation();
  return (
    <ol className="import-steps" aria-label={t('contacts.import.steps.label')}>
      {STEPS.map((step) => (
        <li key={step} aria-current={step === current ? 'step' : undefined}>
          {t(`contacts.import.steps.${step}`)}
        </li>
      ))}
    </ol>
  );
}

/** A file size in the UI language ("20 Mo", "350 kB"). */
export function useFileSize(): (bytes: number) => string {
  const { i18n } = useTranslation();
  const locale = i18n.language;
  return useMemo(() => {
    const megabytes = new Intl.NumberFormat(locale, {
      style: 'unit',
      unit: 'megabyte',
      maximumFractionDigits: 1,
    });
    const kilobytes = new Intl.NumberFormat(locale, {
      style: 'unit',
      unit: 'kilobyte',
      maximumFractionDigits: 0,
    });
    return (bytes) =>
      bytes >= 1024 * 1024
        ? megabytes.format(bytes / (1024 * 1024))
        : kilobytes.format(Math.max(1, Math.ceil(bytes / 1024)));
  }, [locale]);
}
