import { useTranslation } from 'react-i18next';
import type { BankStatementView } from '@ruche/contracts';
import type { Resource } from '../../api/useResource';
import { EmptyState } from '../../components/EmptyState';
import { ResourceState } from '../../components/ResourceState';
import { useFormatters } from '../../i18n/format';
import { formatMoney, useDayFormatter } from '../accounting/money';
import { STATEMENT_FORMAT_LABELS, statementPeriod } from './bankFormat';

/** The statements imported on a bank account, latest import first, with their problems. */
export function BankStatements({
  statements,
  currency,
}: {
  statements: Resource<BankStatementView[]>;
  currency: string;
}) {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const format = useFormatters();
  const money = (cents: number | null) =>
    cents === null ? t('common.none') : formatMoney(cents, currency);

  return (
    <section className="panel" aria-labelledby="bank-statements-title">
      <h2 id="bank-statements-title">
        {t('reconciliation.statements.title')}
        {statements.data && (
          <span className="heading-count" data-testid="bank-statements-total">
            {format.number(statements.data.length)}
          </span>
        )}
      </h2>
      <ResourceState resource={statements} />
      {statements.data?.length === 0 && (
        <EmptyState>{t('reconciliation.statements.empty')}</EmptyState>
      )}
      {statements.data && statements.data.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="bank-statements-table">
            <caption className="visually-hidden">{t('reconciliation.statements.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('reconciliation.statements.columns.importedAt')}</th>
                <th scope="col">{t('reconciliation.statements.columns.file')}</th>
                <th scope="col">{t('reconciliation.statements.columns.period')}</th>
                <th scope="col" className="numeric">
                  {t('reconciliation.statements.columns.openingBalance')}
                </th>
                <th scope="col" className="numeric">
                  {t('reconciliation.statements.columns.closingBalance')}
                </th>
                <th scope="col" className="numeric">
                  {t('reconciliation.statements.columns.lines')}
                </th>
                <th scope="col" className="numeric">
                  {t('reconciliation.statements.columns.newLines')}
                </th>
                <th scope="col">{t('reconciliation.statements.columns.problems')}</th>
              </tr>
            </thead>
            <tbody>
              {statements.data.map((statement) => (
                <tr
                  key={statement.id}
                  data-testid="bank-statement-row"
                  data-statement-id={statement.id}
                  data-problems={statement.problems.length}
                >
                  <td className="nowrap">{format.dateTime(statement.importedAt)}</td>
                  <td data-testid="bank-statement-file">
                    {statement.fileName}
                    <span className="cell-note">
                      {STATEMENT_FORMAT_LABELS[statement.format]}
                      {statement.statementRef && ` · ${statement.statementRef}`}
                    </span>
                  </td>
                  <td data-testid="bank-statement-period">
                    {statementPeriod(t, day, statement.openingDate, statement.closingDate)}
                  </td>
                  <td className="numeric nowrap">{money(statement.openingBalanceCents)}</td>
                  <td className="numeric nowrap" data-testid="bank-statement-closing">
                    {money(statement.closingBalanceCents)}
                  </td>
                  <td className="numeric" data-testid="bank-statement-lines">
                    {format.number(statement.lineCount)}
                  </td>
                  <td className="numeric" data-testid="bank-statement-new-lines">
                    {format.number(statement.newLineCount)}
                  </td>
                  <td>
                    {statement.problems.length === 0 ? (
                      <span className="muted">{t('reconciliation.statements.noProblem')}</span>
                    ) : (
                      <ul className="error-list">
                        {statement.problems.map((problem, index) => (
                          <li
                            key={index}
                            className="cell-warning"
                            data-testid="bank-statement-problem"
                          >
                            {problem}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
