import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { StatementSectionView, StatementView } from '@ruche/contracts';
import { Alert } from '../../../components/Alert';
import { formatMoney, useDayFormatter } from '../money';

/** Money in the statement's currency; an empty cell for a missing previous-year amount. */
export function useStatementMoney(statement: StatementView | undefined) {
  const currency = statement?.currency ?? 'EUR';
  return (cents: number | null) => (cents === null ? '' : formatMoney(cents, currency));
}

/** The column headers of a statement table: item, current year, previous year (when there is one). */
export function StatementHead({ statement }: { statement: StatementView }) {
  const { t } = useTranslation();
  const day = useDayFormatter();
  return (
    <thead>
      <tr>
        <th scope="col">{t('accounting.reports.statements.item')}</th>
        <th scope="col" className="numeric">
          {t('accounting.reports.statements.current')}
          <span className="cell-note">
            {t('accounting.fiscalYears.range', {
              start: day(statement.startDate),
              end: day(statement.endDate),
            })}
          </span>
        </th>
        {statement.previous && (
          <th scope="col" className="numeric">
            {t('accounting.reports.statements.previous')}
            <span className="cell-note">
              {t('accounting.fiscalYears.range', {
                start: day(statement.previous.startDate),
                end: day(statement.previous.endDate),
              })}
            </span>
          </th>
        )}
      </tr>
    </thead>
  );
}

/** One section of a statement: its heading row, its lines and its total. */
export function StatementSectionRows({
  statement,
  section,
}: {
  statement: StatementView;
  section: StatementSectionView;
}) {
  const { t } = useTranslation();
  const money = useStatementMoney(statement);
  const withPrevious = statement.previous !== null;
  return (
    <tbody data-testid="statement-section" data-section={section.key}>
      <tr>
        <th scope="colgroup" colSpan={withPrevious ? 3 : 2}>
          {section.label}
        </th>
      </tr>
      {section.lines.map((line) => (
        <tr key={line.key} data-testid="statement-line" data-line={line.key}>
          <td>{line.label}</td>
          <td className="numeric nowrap">{money(line.amountCents)}</td>
          {withPrevious && <td className="numeric nowrap">{money(line.previousCents)}</td>}
        </tr>
      ))}
      <tr className="table__total">
        <th scope="row">
          {t('accounting.reports.statements.sectionTotal', { label: section.label })}
        </th>
        <td className="numeric nowrap">{money(section.totalCents)}</td>
        {withPrevious && <td className="numeric nowrap">{money(section.previousTotalCents)}</td>}
      </tr>
    </tbody>
  );
}

/** A table of statement sections, with optional extra rows (a result, a total) at its foot. */
export function StatementTable({
  statement,
  sections,
  foot,
}: {
  statement: StatementView;
  sections: StatementSectionView[];
  foot?: ReactNode;
}) {
  return (
    <div className="table-wrap">
      <table className="table">
        <StatementHead statement={statement} />
        {sections.map((section) => (
          <StatementSectionRows key={section.key} statement={statement} section={section} />
        ))}
        {foot && <tfoot>{foot}</tfoot>}
      </table>
    </div>
  );
}

/** The statement's warnings (provisional figures...), translated when the code is known. */
export function StatementWarnings({ statement }: { statement: StatementView }) {
  const { t, i18n } = useTranslation();
  if (statement.warnings.length === 0) return null;
  const label = (code: string, message: string) => {
    const key = `accounting.reports.statements.warnings.${code.replace(/^accounting\./, '')}`;
    return i18n.exists(key) ? t(key) : message;
  };
  return (
    <Alert kind="info">
      <ul className="error-list">
        {statement.warnings.map((warning, index) => (
          <li
            key={`${warning.code}:${index}`}
            data-testid="statement-warning"
            data-code={warning.code}
          >
            {label(warning.code, warning.message)}
          </li>
        ))}
      </ul>
    </Alert>
  );
}

/** Accounts with a balance that the layout does not place: listed so that nothing is hidden. */
export function StatementUnclassified({ statement }: { statement: StatementView }) {
  const { t } = useTranslation();
  const money = useStatementMoney(statement);
  if (statement.unclassified.length === 0) return null;
  return (
    <div data-testid="statement-unclassified">
      <h3>{t('accounting.reports.statements.unclassifiedTitle')}</h3>
      <p className="muted">{t('accounting.reports.statements.unclassifiedHint')}</p>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{t('accounting.reports.statements.account')}</th>
              <th scope="col" className="numeric">
                {t('accounting.reports.statements.balance')}
              </th>
            </tr>
          </thead>
          <tbody>
            {statement.unclassified.map((row) => (
              <tr key={row.accountNumber}>
                <td className="nowrap">{row.accountNumber}</td>
                <td className="numeric nowrap">{money(row.balanceCents)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
