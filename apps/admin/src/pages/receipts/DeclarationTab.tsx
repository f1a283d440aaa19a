import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { receiptsApi } from '../../api/receipts';
import { useResource } from '../../api/useResource';
import { useCurrentOrganization } from '../../auth/CurrentOrganization';
import { EmptyState } from '../../components/EmptyState';
import { ResourceState } from '../../components/ResourceState';
import { currentYear, YearSelect } from '../../components/YearSelect';
import { useFormatters } from '../../i18n/format';
import { formatMoney } from '../accounting/money';

/**
 * `receipts/declaration`: the yearly declaration of art. 222 bis CGI: how many receipts were
 * issued for the gifts of a year and for what total, per tax article, to report to the tax office.
 */
export function DeclarationTab() {
  const { t } = useTranslation();
  const format = useFormatters();
  const organization = useCurrentOrganization();
  const [year, setYear] = useState(String(currentYear() - 1));
  const declaration = useResource(`receipts:declaration:${organization.id}:${year}`, (signal) =>
    receiptsApi.declaration(organization.id, Number(year), signal),
  );
  const data = declaration.data;

  return (
    <section className="panel" aria-labelledby="declaration-title">
      <h2 id="declaration-title">{t('receipts.declaration.title', { year })}</h2>
      <p className="muted" data-testid="declaration-legal">
        {t('receipts.declaration.legal')}
      </p>
      <div className="filter-bar">
        <YearSelect
          label={t('receipts.declaration.year')}
          value={year}
          testId="declaration-year"
          onChange={setYear}
        />
      </div>
      <ResourceState resource={declaration} />
      {data && data.byArticle.length === 0 && (
        <EmptyState>{t('receipts.declaration.empty', { year })}</EmptyState>
      )}
      {data && data.byArticle.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="declaration-table">
            <caption className="visually-hidden">
              {t('receipts.declaration.title', { year })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('receipts.declaration.columns.article')}</th>
                <th scope="col">{t('receipts.declaration.columns.model')}</th>
                <th scope="col" className="numeric">
                  {t('receipts.declaration.columns.count')}
                </th>
                <th scope="col" className="numeric">
                  {t('receipts.declaration.columns.total')}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.byArticle.map((line) => (
                <tr
                  key={`${line.article}-${line.model}`}
                  data-testid="declaration-row"
                  data-article={line.article}
                >
                  <td>{t(`receipts.articles.${line.article}`)}</td>
                  <td>{t('receipts.detail.modelValue', { model: line.model })}</td>
                  <td className="numeric" data-testid="declaration-count">
                    {format.number(line.count)}
                  </td>
                  <td className="numeric nowrap" data-testid="declaration-total">
                    {formatMoney(line.totalCents, data.currency)}
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr className="table__total">
                <th scope="row" colSpan={2}>
                  {t('receipts.declaration.totalRow')}
                </th>
                <td className="numeric" data-testid="declaration-count-all">
                  {format.number(data.count)}
                </td>
                <td className="numeric nowrap" data-testid="declaration-total-all">
                  {formatMoney(data.totalCents, data.currency)}
                </td>
              </tr>
            </tfoot>
          </table>
        </div>
      )}
      {data && (
        <p className="muted" data-testid="declaration-cancelled">
          {t('receipts.declaration.cancelled', { count: data.cancelled })}
        </p>
      )}
    </section>
  );
}
