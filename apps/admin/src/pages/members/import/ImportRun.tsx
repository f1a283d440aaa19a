import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import {
  IMPORT_OUTCOMES,
  type CustomFieldDefinitionView,
  type ImportCounts,
  type ImportMode,
  type ImportView,
} from '@ruche/contracts';
import { Alert } from '../../../components/Alert';
import { useFormatters } from '../../../i18n/format';
import { isInProgress } from './importMapping';
import { ImportReport } from './ImportReport';

interface ImportRunProps {
  view: ImportView;
  /** The run being started, if any (the mapping may be saved first). */
  starting: ImportMode | null;
  /** Another action is under way: the buttons wait. */
  busy: boolean;
  error: string | null;
  /** The mapping has unsaved changes (saved before the run starts). */
  dirty: boolean;
  customFields: readonly CustomFieldDefinitionView[];
  onRun: (mode: ImportMode) => void;
}

/** Step 3: dry run and import buttons, live progress, then the counts and the row report. */
export function ImportRun({
  view,
  starting,
  busy,
  error,
  dirty,
  customFields,
  onRun,
}: ImportRunProps) {
  const { t } = useTranslation();
  const format = useFormatters();
  const inProgress = isInProgress(view.status);
  const disabled = busy || inProgress;
  const finished = view.status === 'done' && view.mode !== null && view.counts !== null;

  return (
    <section className="panel" aria-labelledby="import-run-title" data-testid="import-run">
      <h2 id="import-run-title">{t('contacts.import.run.title')}</h2>
      <p className="muted">{t('contacts.import.run.intro')}</p>
      <div className="button-row">
        <button
          type="button"
          className="button"
          data-testid="import-dry-run"
          disabled={disabled}
          aria-busy={starting === 'dry_run'}
          onClick={() => onRun('dry_run')}
        >
          {starting === 'dry_run' && <span className="spinner" aria-hidden="true" />}
          {t('contacts.import.run.dryRun')}
        </button>
        <button
          type="button"
          className="button button--primary"
          data-testid="import-apply"
          disabled={disabled}
          aria-busy={starting === 'apply'}
          onClick={() => onRun('apply')}
        >
          {starting === 'apply' && <span className="spinner spinner--light" aria-hidden="true" />}
          {t('contacts.import.run.apply')}
        </button>
        {dirty && !inProgress && (
          <span className="muted">{t('contacts.import.run.savesFirst')}</span>
        )}
      </div>
      {error && (
        <div className="import-run__feedback">
          <Alert kind="error">
            <span data-testid="import-run-error">{error}</span>
          </Alert>
        </div>
      )}
      {inProgress && <ImportProgress view={view} />}
      {view.status === 'failed' && (
        <div className="import-run__feedback">
          <Alert kind="error">
            <span data-testid="import-failed">
              {view.error
                ? t('contacts.import.run.failed', { error: view.error })
                : t('contacts.import.run.failedNoReason')}
            </span>
          </Alert>
        </div>
      )}
      {finished && view.mode && view.counts && (
        <div className="import-run__result" data-testid="import-result" data-mode={view.mode}>
          <div className="import-run__feedback">
            {view.mode === 'dry_run' ? (
              <Alert kind="info">{t('contacts.import.run.dryRunDone')}</Alert>
            ) : (
              <Alert kind="success">
                {t('contacts.import.run.applyDone', {
                  date: format.dateTime(view.finishedAt),
                })}
              </Alert>
            )}
          </div>
          <ImportCountList mode={view.mode} counts={view.counts} />
          <ImportReport
            importId={view.id}
            mode={view.mode}
            counts={view.counts}
            runKey={view.finishedAt ?? ''}
            customFields={customFields}
          />
        </div>
      )}
    </section>
  );
}

/** Rows processed out of the file's rows (indeterminate while queued). */
function ImportProgress({ view }: { view: ImportView }) {
  const { t } = useTranslation();
  const format = useFormatters();
  const id = useId();
  const total = view.rowCount;
  const processed = total > 0 ? Math.min(view.processedRows, total) : view.processedRows;
  const determinate = view.status === 'running' && total > 0;
  const label =
    view.status === 'queued'
      ? t('contacts.import.run.queued')
      : t(`contacts.import.run.running.${view.mode ?? 'apply'}`);
  const value = t('contacts.import.run.progressValue', {
    processed: format.number(processed),
    total: format.number(total),
  });
  return (
    <div
      className="import-progress"
      data-testid="import-progress"
      data-processed={view.processedRows}
      data-total={total}
    >
      <label htmlFor={id}>{label}</label>
      {determinate ? (
        <progress id={id} max={total} value={processed} aria-valuetext={value} />
      ) : (
        <progress id={id} />
      )}
      <span className="muted">{value}</span>
    </div>
  );
}

/** The counts of the run (what would happen, for a dry run). */
function ImportCountList({ mode, counts }: { mode: ImportMode; counts: ImportCounts }) {
  const { t } = useTranslation();
  const format = useFormatters();
  const items = [
    ...IMPORT_OUTCOMES.map((outcome) => ({
      key: outcome,
      testId: `import-count-${outcome}`,
      value: counts[outcome],
      tone:
        outcome === 'rejected' ? ' stat--alert' : outcome === 'duplicate' ? ' stat--warning' : '',
    })),
    {
      key: 'membershipsCreated' as const,
      testId: 'import-count-memberships',
      value: counts.membershipsCreated,
      tone: '',
    },
  ];
  return (
    <ul className="stats" aria-label={t(`contacts.import.counts.label.${mode}`)}>
      {items.map((item) => (
        <li
          key={item.key}
          className={`stat${item.value > 0 ? item.tone : ''}`}
          data-testid={item.testId}
          data-value={item.value}
        >
          <span className="stat__value">{format.number(item.value)}</span>
          <span className="stat__label">{t(`contacts.import.counts.${mode}.${item.key}`)}</span>
        </li>
      ))}
    </ul>
  );
}
