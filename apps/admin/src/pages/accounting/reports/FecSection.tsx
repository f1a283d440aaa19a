import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FecCheckView, FecQuery } from '@ruche/contracts';
import { roleHasPermission } from '@ruche/core';
import { accountingApi, accountingDownloads } from '../../../api/accounting';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Alert } from '../../../components/Alert';
import { FeedbackAlert } from '../../../components/FeedbackAlert';
import { useAction } from '../../../components/useAction';
import { FecImport } from './FecImport';
import { formatMoney, useOrgCurrency } from '../money';

const ENCODINGS = ['iso-8859-15', 'utf-8'] as const satisfies readonly FecQuery['encoding'][];
const SEPARATORS = ['tab', 'pipe'] as const satisfies readonly FecQuery['separator'][];

/**
 * FEC et exports: checks the FEC of the fiscal year and links to the FEC and the entries CSV;
 * those who configure the accounting can also import a FEC (`onImported` runs after an import).
 * The import block stays at the same place in the tree so that its report survives a reload.
 */
export function FecSection({
  fiscalYearId,
  onImported,
}: {
  /** Null without any fiscal year: only the import is offered. */
  fiscalYearId: string | null;
  onImported?: () => void;
}) {
  const { t, i18n } = useTranslation();
  const organization = useCurrentOrganization();
  const currency = useOrgCurrency();
  const { pending, feedback, run } = useAction();
  const [result, setResult] = useState<FecCheckView | null>(null);
  const [encoding, setEncoding] = useState<FecQuery['encoding']>('iso-8859-15');
  const [separator, setSeparator] = useState<FecQuery['separator']>('tab');
  const check = fiscalYearId && result?.fiscalYearId === fiscalYearId ? result : null;
  const canImport = roleHasPermission(organization.role, 'accounting.configure');

  const verify = (id: string) =>
    void run('check', async () => {
      setResult(null);
      setResult(await accountingApi.fecCheck(organization.id, id));
    });

  /** The French (or English) name of a problem code ("fec.unbalanced"), else the code itself. */
  const problemLabel = (code: string) => {
    const key = `accounting.reports.fec.problems.${code.replace(/^fec\./, '')}`;
    return i18n.exists(key) ? t(key) : code;
  };

  if (!fiscalYearId && !canImport) return null;

  return (
    <section className="panel" aria-labelledby="fec-title">
      <div className="panel__header">
        <h2 id="fec-title">{t('accounting.reports.fec.title')}</h2>
        {fiscalYearId && (
          <button
            type="button"
            className="button button--primary"
            data-testid="fec-check"
            disabled={pending !== null}
            onClick={() => verify(fiscalYearId)}
          >
            {t('accounting.reports.fec.check')}
          </button>
        )}
      </div>
      {fiscalYearId && <p className="muted">{t('accounting.reports.fec.intro')}</p>}
      <FeedbackAlert feedback={feedback} />
      {check && (
        <div data-testid="fec-check-result">
          <dl className="details">
            <dt>{t('accounting.reports.fec.fileName')}</dt>
            <dd>
              <code>{check.fileName}</code>
            </dd>
            <dt>{t('accounting.reports.fec.entries')}</dt>
            <dd>{check.entries}</dd>
            <dt>{t('accounting.reports.fec.lines')}</dt>
            <dd>{check.lines}</dd>
            <dt>{t('accounting.reports.fec.debit')}</dt>
            <dd>{formatMoney(check.debitCents, currency)}</dd>
            <dt>{t('accounting.reports.fec.credit')}</dt>
            <dd>{formatMoney(check.creditCents, currency)}</dd>
          </dl>
          {check.warnings.length > 0 && (
            <Alert kind="warning">
              <ul className="error-list">
                {check.warnings.map((warning) => (
                  <li key={warning.code} data-testid="fec-warning" data-code={warning.code}>
                    <strong>{problemLabel(warning.code)}</strong>
                    <span className="cell-note">{warning.message}</span>
                  </li>
                ))}
              </ul>
            </Alert>
          )}
          {check.problems.length === 0 ? (
            check.warnings.length === 0 && (
              <Alert kind="success">{t('accounting.reports.fec.ok')}</Alert>
            )
          ) : (
            <Alert kind="error">
              <p>{t('accounting.reports.fec.problemsTitle', { count: check.problems.length })}</p>
              <ul className="error-list">
                {check.problems.map((problem, index) => (
                  <li key={index} data-testid="fec-problem" data-code={problem.code}>
                    <strong>{problemLabel(problem.code)}</strong>
                    {problem.entryNumber !== undefined && (
                      <>
                        {' – '}
                        {t('accounting.reports.fec.entry', { number: problem.entryNumber })}
                      </>
                    )}
                    <span className="cell-note">{problem.message}</span>
                  </li>
                ))}
              </ul>
            </Alert>
          )}
        </div>
      )}
      {fiscalYearId && (
        <div className="filter-bar">
          <label className="field">
            <span>{t('accounting.reports.fec.encoding')}</span>
            <select
              value={encoding}
              data-testid="fec-encoding"
              onChange={(event) =>
                setEncoding(ENCODINGS.find((value) => value === event.target.value) ?? ENCODINGS[0])
              }
            >
              {ENCODINGS.map((value) => (
                <option key={value} value={value}>
                  {t(`accounting.reports.fec.encodings.${value}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t('accounting.reports.fec.separator')}</span>
            <select
              value={separator}
              data-testid="fec-separator"
              onChange={(event) =>
                setSeparator(
                  SEPARATORS.find((value) => value === event.target.value) ?? SEPARATORS[0],
                )
              }
            >
              {SEPARATORS.map((value) => (
                <option key={value} value={value}>
                  {t(`accounting.reports.fec.separators.${value}`)}
                </option>
              ))}
            </select>
          </label>
          <a
            className="button button--primary"
            href={accountingDownloads.fec(organization.id, { fiscalYearId, encoding, separator })}
            download
            data-testid="fec-download"
          >
            {t('accounting.reports.fec.download')}
          </a>
          <a
            className="button"
            href={accountingDownloads.entriesCsv(organization.id, fiscalYearId)}
            download
            data-testid="entries-csv"
          >
            {t('accounting.reports.fec.entriesCsv')}
          </a>
        </div>
      )}
      {canImport && <FecImport onImported={onImported} />}
    </section>
  );
}
