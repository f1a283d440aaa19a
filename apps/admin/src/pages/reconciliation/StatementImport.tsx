import {
  useId,
  useImperativeHandle,
  useRef,
  useState,
  type ChangeEvent,
  type FormEvent,
  type ReactNode,
  type Ref,
} from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import {
  STATEMENT_MAX_BYTES,
  type BankAccountView,
  type BankStatementView,
  type StatementImportView,
} from '@ruche/contracts';
import { ApiError, type UploadProgress } from '../../api/client';
import { reconciliationApi } from '../../api/reconciliation';
import { useCurrentOrganization } from '../../auth/CurrentOrganization';
import { Alert } from '../../components/Alert';
import { useFormatters } from '../../i18n/format';
import { errorMessage, serverMessage, validationMessage } from '../../i18n/messages';
import { formatMoney, useDayFormatter } from '../accounting/money';
import { useFileSize } from '../members/import/ImportParts';
import { STATEMENT_FORMAT_LABELS, statementPeriod } from './bankFormat';

/** What the file input offers (the server reads the format from the content anyway). */
const ACCEPT = [
  '.xml',
  '.ofx',
  '.qfx',
  '.txt',
  '.qif',
  '.csv',
  'application/xml',
  'text/xml',
  'application/x-ofx',
  'text/csv',
].join(',');

/** The answer to a CSV file when the account has no column mapping yet. */
export const CSV_MAPPING_NEEDED = 'bank.csv_mapping_needed';

/** What the account page may ask of the import: send a file again (after its CSV format is saved). */
export interface StatementImportHandle {
  importFile: (file: File) => void;
}

/**
 * The message of a failed import: the server's reasons about the file (not a statement, another
 * account's IBAN, another currency...), "too large" for the body limit (413), else the general error.
 */
function importError(t: TFunction, error: unknown, name: string, limit: string): string {
  if (error instanceof ApiError) {
    if (error.status === 413) return t('reconciliation.import.tooLarge', { name, size: limit });
    if (error.body.errors.length > 0) {
      return error.body.errors
        .map((reason) => validationMessage(t, serverMessage(t, reason.code, reason.message)))
        .join(' ');
    }
  }
  return errorMessage(t, error);
}

/**
 * Importer un relevé: sends a statement file (CAMT.053, OFX, QIF, CFONB 120, CSV) as the raw body
 * with an upload progress bar, then says what it brought: per statement its period, closing
 * balance, lines and new lines, and its problems as warnings (balances that do not add up...);
 * "already imported" when it added nothing. The automatic pass it starts is followed by the page
 * (`onImported` gets the answer, with its `run`). A CSV file of an account without a saved format
 * goes to `onCsvMappingNeeded`, which opens the CSV format editor with it.
 */
export function StatementImport({
  account,
  onImported,
  onCsvMappingNeeded,
  onSending,
  after,
  ref,
}: {
  account: BankAccountView;
  onImported: (result: StatementImportView) => void;
  onCsvMappingNeeded?: (file: File) => void;
  /** A file starts to be sent (what the previous import showed may go). */
  onSending?: () => void;
  /** Shown under the form: the progress of the automatic pass the import started. */
  after?: ReactNode;
  ref?: Ref<StatementImportHandle>;
}) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const fileSize = useFileSize();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<StatementImportView | null>(null);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [csvNeeded, setCsvNeeded] = useState<string | null>(null);
  const limit = fileSize(STATEMENT_MAX_BYTES);

  const choose = (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0] ?? null;
    setFile(chosen);
    setError(
      chosen && chosen.size > STATEMENT_MAX_BYTES
        ? t('reconciliation.import.tooLarge', { name: chosen.name, size: limit })
        : null,
    );
  };

  const send = async (chosen: File) => {
    setPending(true);
    setError(null);
    setResult(null);
    setCsvNeeded(null);
    setProgress({ loaded: 0, total: chosen.size });
    onSending?.();
    try {
      const imported = await reconciliationApi.importStatement(
        organization.id,
        account.id,
        chosen,
        setProgress,
      );
      setResult(imported);
      setFile(null);
      if (input.current) input.current.value = '';
      onImported(imported);
    } catch (failure) {
      if (
        failure instanceof ApiError &&
        failure.code === CSV_MAPPING_NEEDED &&
        onCsvMappingNeeded
      ) {
        setCsvNeeded(chosen.name);
        onCsvMappingNeeded(chosen);
      } else setError(importError(t, failure, chosen.name, limit));
    } finally {
      setPending(false);
      setProgress(null);
    }
  };

  useImperativeHandle(ref, () => ({ importFile: (chosen: File) => void send(chosen) }));

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!file) {
      setError(t('reconciliation.import.chooseFirst'));
      return;
    }
    if (file.size > STATEMENT_MAX_BYTES) {
      setError(t('reconciliation.import.tooLarge', { name: file.name, size: limit }));
      return;
    }
    void send(file);
  };

  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <section className="panel" aria-labelledby={`${id}-title`} data-testid="bank-import">
      <h2 id={`${id}-title`}>{t('reconciliation.import.title')}</h2>
      <p className="muted">{t('reconciliation.import.intro')}</p>
      <form className="form" onSubmit={submit} noValidate>
        <div className={`field${error ? ' field--invalid' : ''}`}>
          <label htmlFor={`${id}-file`}>{t('reconciliation.import.file')}</label>
          <input
            ref={input}
            id={`${id}-file`}
            type="file"
            accept={ACCEPT}
            data-testid="bank-import-file"
            aria-invalid={error !== null}
            aria-describedby={error ? `${hintId} ${errorId}` : hintId}
            disabled={pending}
            onChange={choose}
          />
          <p id={hintId} className="field__hint">
            {t('reconciliation.import.hint', { size: limit })}
          </p>
          {error && (
            <p id={errorId} className="field__error" role="alert" data-testid="bank-import-error">
              {error}
            </p>
          )}
        </div>
        <div className="button-row">
          <button
            type="submit"
            className="button button--primary"
            data-testid="bank-import-submit"
            disabled={pending}
            aria-busy={pending}
          >
            {pending && <span className="spinner spinner--light" aria-hidden="true" />}
            {pending ? t('reconciliation.import.sending') : t('reconciliation.import.submit')}
          </button>
        </div>
      </form>
      {pending && progress && <UploadBar progress={progress} />}
      {after}
      {csvNeeded && (
        <Alert kind="info">
          <span data-testid="bank-import-csv-needed">
            {t('reconciliation.import.csvNeeded', { name: csvNeeded })}
          </span>
        </Alert>
      )}
      {result && <ImportResult result={result} currency={account.currency} />}
    </section>
  );
}

/** The bytes sent so far, then "reading the statement" once the whole file has left. */
function UploadBar({ progress }: { progress: UploadProgress }) {
  const { t } = useTranslation();
  const fileSize = useFileSize();
  const id = useId();
  const sent = progress.total > 0 && progress.loaded >= progress.total;
  const value = t('reconciliation.import.uploaded', {
    loaded: fileSize(progress.loaded),
    total: fileSize(progress.total),
  });
  return (
    <div
      className="import-progress"
      data-testid="recon-upload-progress"
      data-loaded={progress.loaded}
      data-total={progress.total}
    >
      <label htmlFor={id}>
        {sent ? t('reconciliation.import.reading') : t('reconciliation.import.uploading')}
      </label>
      {progress.total > 0 && !sent ? (
        <progress id={id} max={progress.total} value={progress.loaded} aria-valuetext={value} />
      ) : (
        <progress id={id} />
      )}
      {progress.total > 0 && <span className="muted">{value}</span>}
    </div>
  );
}

/** What an import brought: the counts, then each statement of the file with its problems. */
function ImportResult({ result, currency }: { result: StatementImportView; currency: string }) {
  const { t } = useTranslation();
  const format = useFormatters();
  const problems = result.statements.some((statement) => statement.problems.length > 0);
  const summary = result.alreadyImported
    ? { kind: 'info' as const, text: t('reconciliation.import.sameFile') }
    : result.lines === 0
      ? { kind: 'info' as const, text: t('reconciliation.import.noLines') }
      : result.newLines === 0
        ? {
            kind: 'info' as const,
            text: t('reconciliation.import.alreadyImported', { count: result.lines }),
          }
        : {
            kind: 'success' as const,
            text:
              result.duplicates > 0
                ? t('reconciliation.import.doneWithDuplicates', {
                    count: result.newLines,
                    duplicates: format.number(result.duplicates),
                  })
                : t('reconciliation.import.done', { count: result.newLines }),
          };

  return (
    <div
      className="stack"
      data-testid="bank-import-result"
      data-new-lines={result.newLines}
      data-duplicates={result.duplicates}
      data-already-imported={result.alreadyImported}
    >
      <h3>{t('reconciliation.import.resultTitle')}</h3>
      <Alert kind={summary.kind}>
        <span data-testid="bank-import-summary">{summary.text}</span>
      </Alert>
      {problems && (
        <Alert kind="warning">
          <span data-testid="bank-import-has-problems">
            {t('reconciliation.import.withProblems')}
          </span>
        </Alert>
      )}
      <dl className="details">
        <dt>{t('reconciliation.import.lines')}</dt>
        <dd data-testid="bank-import-lines">{format.number(result.lines)}</dd>
        <dt>{t('reconciliation.import.newLines')}</dt>
        <dd data-testid="bank-import-new-lines">{format.number(result.newLines)}</dd>
        <dt>{t('reconciliation.import.duplicates')}</dt>
        <dd data-testid="bank-import-duplicates">{format.number(result.duplicates)}</dd>
      </dl>
      {result.statements.map((statement) => (
        <ImportedStatement key={statement.id} statement={statement} currency={currency} />
      ))}
    </div>
  );
}

function ImportedStatement({
  statement,
  currency,
}: {
  statement: BankStatementView;
  currency: string;
}) {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const format = useFormatters();
  const money = (cents: number | null) =>
    cents === null ? t('common.none') : formatMoney(cents, currency);
  return (
    <article
      className="stack"
      data-testid="bank-import-statement"
      data-statement-id={statement.id}
      data-problems={statement.problems.length}
    >
      <h4>
        {statement.statementRef
          ? t('reconciliation.import.statement', { ref: statement.statementRef })
          : t('reconciliation.import.statementNoRef')}
      </h4>
      <dl className="details">
        <dt>{t('reconciliation.import.period')}</dt>
        <dd data-testid="bank-import-statement-period">
          {statementPeriod(t, day, statement.openingDate, statement.closingDate)}
        </dd>
        <dt>{t('reconciliation.import.openingBalance')}</dt>
        <dd className="nowrap">{money(statement.openingBalanceCents)}</dd>
        <dt>{t('reconciliation.import.closingBalance')}</dt>
        <dd className="nowrap" data-testid="bank-import-statement-closing">
          {money(statement.closingBalanceCents)}
        </dd>
        <dt>{t('reconciliation.import.lines')}</dt>
        <dd data-testid="bank-import-statement-lines">{format.number(statement.lineCount)}</dd>
        <dt>{t('reconciliation.import.newLines')}</dt>
        <dd data-testid="bank-import-statement-new-lines">
          {format.number(statement.newLineCount)}
        </dd>
        <dt>{t('reconciliation.import.format')}</dt>
        <dd>{STATEMENT_FORMAT_LABELS[statement.format]}</dd>
      </dl>
      {statement.problems.length > 0 && (
        <Alert kind="warning">
          <div>
            <strong>{t('reconciliation.import.problems')}</strong>
            <ul className="error-list">
              {statement.problems.map((problem, index) => (
                <li key={index} data-testid="bank-import-problem">
                  {problem}
                </li>
              ))}
            </ul>
          </div>
        </Alert>
      )}
    </article>
  );
}
