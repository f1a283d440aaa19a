import { useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import {
  IMPORT_OUTCOMES,
  type CustomFieldDefinitionView,
  type ImportCounts,
  type ImportMode,
  type ImportOutcome,
  type ImportRowView,
} from '@ruche/contracts';
import { importsApi } from '../../../api/imports';
import { usePagedResource } from '../../../api/usePagedResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import type { BadgeTone } from '../../../components/Badge';
import { EmptyState } from '../../../components/EmptyState';
import { Pagination } from '../../../components/Pagination';
import { ResourceState } from '../../../components/ResourceState';
import { useFormatters } from '../../../i18n/format';
import { validationMessage } from '../../../i18n/messages';
import { targetLabel } from './importMapping';

const OUTCOME_TONES: Record<ImportOutcome, BadgeTone> = {
  created: 'success',
  updated: 'accent',
  duplicate: 'warning',
  rejected: 'danger',
};

type OutcomeFilter = ImportOutcome | 'all';
const OUTCOME_FILTERS: readonly OutcomeFilter[] = ['all', ...IMPORT_OUTCOMES];

interface ImportReportProps {
  importId: string;
  mode: ImportMode;
  counts: ImportCounts;
  /** Changes with each run, so that a new run's rows are fetched again. */
  runKey: string;
  customFields: readonly CustomFieldDefinitionView[];
}

/** The rows of a finished run, by outcome, with the reasons of each (line numbers of the file). */
export function ImportReport({ importId, mode, counts, runKey, customFields }: ImportReportProps) {
  const { t } = useTranslation();
  const format = useFormatters();
  const organization = useCurrentOrganization();
  const [outcome, setOutcome] = useState<OutcomeFilter>('all');
  const rows = usePagedResource(
    `imports:rows:${organization.id}:${importId}:${mode}:${outcome}:${runKey}`,
    (page, signal) =>
      importsApi.rows(
        organization.id,
        importId,
        { mode, outcome: outcome === 'all' ? undefined : outcome },
        page,
        signal,
      ),
  );
  const total = IMPORT_OUTCOMES.reduce((sum, item) => sum + counts[item], 0);
  const countOf = (filter: OutcomeFilter) => (filter === 'all' ? total : counts[filter]);

  return (
    <section aria-labelledby="import-report-title" data-testid="import-report">
      <h3 id="import-report-title">{t('contacts.import.report.title')}</h3>
      <p className="muted">{t('contacts.import.report.lineHint')}</p>
      <fieldset className="import-outcomes">
        <legend className="visually-hidden">{t('contacts.import.report.show')}</legend>
        <div className="segmented">
          {OUTCOME_FILTERS.map((filter) => (
            <label key={filter} className="segmented__option">
              <input
                type="radio"
                name="import-outcome"
                value={filter}
                checked={outcome === filter}
                data-testid={`import-outcome-${filter}`}
                onChange={() => setOutcome(filter)}
              />
              {t('contacts.import.report.filter', {
                label: t(`contacts.import.report.filters.${filter}`),
                value: format.number(countOf(filter)),
              })}
            </label>
          ))}
        </div>
      </fieldset>
      <div data-testid="import-rows" data-mode={mode} aria-busy={rows.loading}>
        <ResourceState resource={rows} />
        {rows.data?.items.length === 0 && (
          <EmptyState>{t('contacts.import.report.empty')}</EmptyState>
        )}
        {rows.data && rows.data.items.length > 0 && (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col" className="numeric">
                    {t('contacts.import.report.columns.row')}
                  </th>
                  <th scope="col">{t('contacts.import.report.columns.outcome')}</th>
                  <th scope="col">{t('contacts.import.report.columns.label')}</th>
                  <th scope="col">{t('contacts.import.report.columns.reasons')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.data.items.map((row) => (
                  <ReportRow
                    key={`${row.rowNumber}:${row.outcome}`}
                    row={row}
                    mode={mode}
                    customFields={customFields}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
        {rows.data && <Pagination page={rows.data} onChange={rows.setOffset} />}
      </div>
    </section>
  );
}

function ReportRow({
  row,
  mode,
  customFields,
}: {
  row: ImportRowView;
  mode: ImportMode;
  customFields: readonly CustomFieldDefinitionView[];
}) {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const label = row.label.trim() || t('common.none');
  return (
    <tr data-testid="import-row" data-outcome={row.outcome} data-row-number={row.rowNumber}>
      <td className="numeric">{row.rowNumber}</td>
      <td>
        <span className={`badge badge--${OUTCOME_TONES[row.outcome]}`}>
          {t(`contacts.import.outcomes.${mode}.${row.outcome}`)}
        </span>
      </td>
      <td>
        {row.contactId ? (
          <Link to={`/orgs/${organization.id}/contacts/${row.contactId}`}>{label}</Link>
        ) : (
          label
        )}
      </td>
      <td>
        {row.messages.length === 0 ? (
          t('common.none')
        ) : (
          <ul className="plain-list import-reasons">
            {row.messages.map((item, index) => {
              const message = validationMessage(t, item.message);
              // Columns have a label; reasons about the whole row ("row") show alone.
              const field = targetLabel(t, item.field, customFields);
              return (
                <li key={index}>
                  {field ? t('common.fieldIssue', { label: field, message }) : message}
                </li>
              );
            })}
          </ul>
        )}
      </td>
    </tr>
  );
}
