import { useState, type ChangeEvent, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ATTACHMENT_MAX_BYTES, type FecImportQuery, type FecImportReport } from '@ruche/contracts';
import { accountingApi } from '../../../api/accounting';
import { ApiError } from '../../../api/client';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Alert } from '../../../components/Alert';
import { FeedbackAlert } from '../../../components/FeedbackAlert';
import { useAction } from '../../../components/useAction';

/** The API's limit on raw bodies (10 MB, as for attachments), checked before sending. */
const FEC_IMPORT_MAX_BYTES = ATTACHMENT_MAX_BYTES;
/** The server reports at most this many rejected lines. */
const MAX_REPORTED = 1000;

/** The body limit (413 without an accounting code) reads as "the file is larger than 10 MB". */
function fecImportError(error: unknown): unknown {
  return error instanceof ApiError && error.status === 413 && !error.code.startsWith('accounting.')
    ? new ApiError(error.status, { ...error.body, code: 'accounting.fec_too_large' })
    : error;
}

/**
 * Importer un FEC: sends a FEC file (text/plain) to the server, optionally with the fiscal year it
 * covers, then shows the import report with every rejected line. Calls `onImported` after an
 * import so that the reports can reload.
 */
export function FecImport({ onImported }: { onImported?: () => void }) {
  const { t, i18n } = useTranslation();
  const organization = useCurrentOrganization();
  const { pending, feedback, run } = useAction();
  const [file, setFile] = useState<File | null>(null);
  const [tooLarge, setTooLarge] = useState<string | null>(null);
  const [startDate, setStartDate] = useState('');
  const [endDate, setEndDate] = useState('');
  const [report, setReport] = useState<FecImportReport | null>(null);

  const choose = (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0] ?? null;
    setTooLarge(null);
    if (chosen && chosen.size > FEC_IMPORT_MAX_BYTES) {
      setTooLarge(t('accounting.reports.fec.import.tooLarge', { name: chosen.name }));
      setFile(null);
      event.target.value = '';
      return;
    }
    setFile(chosen);
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!file) return;
    const query: FecImportQuery = {
      ...(startDate ? { startDate } : {}),
      ...(endDate ? { endDate } : {}),
    };
    void run('import', async () => {
      setReport(null);
      let result: FecImportReport;
      try {
        result = await accountingApi.importFec(organization.id, file, query);
      } catch (error) {
        throw fecImportError(error);
      }
      setReport(result);
      onImported?.();
    });
  };

  /** The name of a rejection code ("fec.unbalanced", "accounting.fiscal_year_closed"), else the code. */
  const codeLabel = (code: string) => {
    const key = code.startsWith('fec.')
      ? `accounting.reports.fec.import.codes.${code.slice('fec.'.length)}`
      : `errors.${code}`;
    return i18n.exists(key) ? t(key) : code;
  };

  const list = (values: string[]) =>
    values.length === 0
      ? t('accounting.reports.fec.import.none')
      : values.map((value, index) => (
          <span key={value}>
            {index > 0 && ', '}
            <code>{value}</code>
          </span>
        ));

  return (
    <div className="fec-import" data-testid="fec-import">
      <h3>{t('accounting.reports.fec.import.title')}</h3>
      <p className="muted">{t('accounting.reports.fec.import.intro')}</p>
      <form onSubmit={submit}>
        <div className="filter-bar">
          <label className="field">
            <span>{t('accounting.reports.fec.import.file')}</span>
            <input
              type="file"
              accept=".txt,text/plain"
              data-testid="fec-import-input"
              onChange={choose}
            />
          </label>
        </div>
        <fieldset className="form-section">
          <legend>{t('accounting.reports.fec.import.fiscalYear')}</legend>
          <div className="filter-bar">
            <label className="field">
              <span>{t('accounting.reports.fec.import.startDate')}</span>
              <input
                type="date"
                data-testid="fec-import-start"
                value={startDate}
                max={endDate || undefined}
                onChange={(event) => setStartDate(event.target.value)}
              />
            </label>
            <label className="field">
              <span>{t('accounting.reports.fec.import.endDate')}</span>
              <input
                type="date"
                data-testid="fec-import-end"
                value={endDate}
                min={startDate || undefined}
                onChange={(event) => setEndDate(event.target.value)}
              />
            </label>
            <button
              type="submit"
              className="button button--primary"
              data-testid="fec-import-submit"
              disabled={!file || pending !== null}
            >
              {pending === 'import'
                ? t('accounting.reports.fec.import.importing')
                : t('accounting.reports.fec.import.submit')}
            </button>
          </div>
        </fieldset>
      </form>
      {tooLarge && <Alert kind="error">{tooLarge}</Alert>}
      <FeedbackAlert feedback={feedback} />
      {report && (
        <div data-testid="fec-import-report">
          {report.rejectedLines === 0 ? (
            <Alert kind="success">{t('accounting.reports.fec.import.done')}</Alert>
          ) : (
            <Alert kind="error">
              {t('accounting.reports.fec.import.doneWithRejects', { count: report.rejectedLines })}
            </Alert>
          )}
          <dl className="details">
            <dt>{t('accounting.reports.fec.import.linesRead')}</dt>
            <dd data-testid="fec-import-lines-read">{report.linesRead}</dd>
            <dt>{t('accounting.reports.fec.import.entriesImported')}</dt>
            <dd data-testid="fec-import-entries-imported">{report.entriesImported}</dd>
            <dt>{t('accounting.reports.fec.import.entriesSkipped')}</dt>
            <dd data-testid="fec-import-entries-skipped">{report.entriesSkipped}</dd>
            <dt>{t('accounting.reports.fec.import.linesImported')}</dt>
            <dd data-testid="fec-import-lines-imported">{report.linesImported}</dd>
            <dt>{t('accounting.reports.fec.import.rejectedLines')}</dt>
            <dd data-testid="fec-import-rejected-lines">{report.rejectedLines}</dd>
            <dt>{t('accounting.reports.fec.import.accountsCreated')}</dt>
            <dd data-testid="fec-import-accounts-created">{list(report.accountsCreated)}</dd>
            <dt>{t('accounting.reports.fec.import.journalsCreated')}</dt>
            <dd data-testid="fec-import-journals-created">{list(report.journalsCreated)}</dd>
          </dl>
          {report.rejected.length > 0 && (
            <div className="table-wrap">
              <table className="table">
                <caption>{t('accounting.reports.fec.import.rejectedTitle')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('accounting.reports.fec.import.line')}</th>
                    <th scope="col">{t('accounting.reports.fec.import.entry')}</th>
                    <th scope="col">{t('accounting.reports.fec.import.reason')}</th>
                    <th scope="col">{t('accounting.reports.fec.import.message')}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.rejected.map((rejected, index) => (
                    <tr
                      key={`${rejected.line}:${index}`}
                      data-testid="fec-import-rejected-row"
                      data-code={rejected.code}
                    >
                      <td>{rejected.line}</td>
                      <td>{rejected.entry ?? '–'}</td>
                      <td>{codeLabel(rejected.code)}</td>
                      <td className="cell-note">{rejected.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {report.rejected.length >= MAX_REPORTED && (
            <p className="muted">
              {t('accounting.reports.fec.import.truncated', { count: report.rejected.length })}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
