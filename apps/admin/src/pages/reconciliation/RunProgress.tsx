import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReconciliationRunView } from '@ruche/contracts';
import { Alert } from '../../components/Alert';
import { useFormatters } from '../../i18n/format';
import { errorMessage } from '../../i18n/messages';

/**
 * The automatic matching pass: a progress bar (lines processed out of the lines to look at) while
 * it runs, then what it did ("12 lignes rapprochées automatiquement, 5 suggestions") or why it
 * failed. `data-status` carries the raw status (for tests).
 */
export function RunProgress({
  run,
  pollError,
  onDismiss,
}: {
  run: ReconciliationRunView;
  pollError: unknown;
  onDismiss: () => void;
}) {
  const { t } = useTranslation();
  const format = useFormatters();
  const id = useId();
  const total = run.total;
  const processed = total > 0 ? Math.min(run.processed, total) : run.processed;
  const value = t('reconciliation.run.progressValue', {
    processed: format.number(processed),
    total: format.number(total),
  });
  const attributes = {
    'data-testid': 'recon-run-progress',
    'data-run-id': run.id,
    'data-status': run.status,
    'data-processed': run.processed,
    'data-total': run.total,
    'data-auto-matched': run.autoMatched,
    'data-suggested': run.suggested,
  };

  if (run.status === 'done' || run.status === 'failed') {
    const summary =
      run.status === 'failed'
        ? t('reconciliation.run.failed', { error: run.error ?? t('errors.unexpected') })
        : run.total === 0
          ? t('reconciliation.run.nothing')
          : t('reconciliation.run.summary', {
              matched: t('reconciliation.run.matched', {
                count: run.autoMatched,
                formatted: format.number(run.autoMatched),
              }),
              suggested: t('reconciliation.run.suggested', {
                count: run.suggested,
                formatted: format.number(run.suggested),
              }),
            });
    return (
      <div className="recon-run" {...attributes}>
        <Alert kind={run.status === 'failed' ? 'error' : 'success'}>
          <span data-testid="recon-run-summary">{summary}</span>
          <button type="button" className="button button--small" onClick={onDismiss}>
            {t('reconciliation.run.dismiss')}
          </button>
        </Alert>
      </div>
    );
  }

  const determinate = run.status === 'running' && total > 0;
  return (
    <div className="import-progress recon-run" {...attributes}>
      <label htmlFor={id}>
        {run.status === 'queued' ? t('reconciliation.run.queued') : t('reconciliation.run.running')}
      </label>
      {determinate ? (
        <progress id={id} max={total} value={processed} aria-valuetext={value} />
      ) : (
        <progress id={id} />
      )}
      <span className="muted" aria-live="polite">
        {determinate ? value : t('reconciliation.run.waiting')}
      </span>
      {pollError !== null && (
        <span className="field__error" role="alert">
          {errorMessage(t, pollError)}
        </span>
      )}
    </div>
  );
}
