import { useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { donationsApi } from '../../../api/donations';
import { useResource } from '../../../api/useResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { EmptyState } from '../../../components/EmptyState';
import { ResourceState } from '../../../components/ResourceState';
import { currentYear, YearSelect } from '../../../components/YearSelect';
import { useFormatters } from '../../../i18n/format';
import { formatMoney } from '../../accounting/money';

/** `donations/donors`: what each donor gave in a calendar year, with the year's total. */
export function DonorsTab() {
  const { t } = useTranslation();
  const format = useFormatters();
  const organization = useCurrentOrganization();
  const [year, setYear] = useState(String(currentYear()));
  const donors = useResource(`donations:donors:${organization.id}:${year}`, (signal) =>
    donationsApi.donors(organization.id, Number(year), signal),
  );
  const list = donors.data;
  const currency = list?.[0]?.currency ?? 'EUR';
  const total = list?.reduce((sum, donor) => sum + donor.totalCents, 0) ?? 0;
  const count = list?.reduce((sum, donor) => sum + donor.count, 0) ?? 0;

  return (
    <section className="panel" aria-labelledby="donors-title">
      <div className="panel__header">
        <h2 id="donors-title">
          {t('donations.donors.title', { year })}
          {list && (
            <span className="heading-count" data-testid="donors-count">
              {t('donations.donors.count', { count: list.length })}
            </span>
          )}
        </h2>
      </div>
      <div className="filter-bar">
        <YearSelect
          label={t('donations.donors.year')}
          value={year}
          testId="donors-year"
          onChange={setYear}
        />
      </div>
      <ResourceState resource={donors} />
      {list?.length === 0 && <EmptyState>{t('donations.donors.empty', { year })}</EmptyState>}
      {list && list.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="donors-table">
            <caption className="visually-hidden">{t('donations.donors.title', { year })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('donations.donors.columns.donor')}</th>
                <th scope="col" className="numeric">
                  {t('donations.donors.columns.count')}
                </th>
                <th scope="col" className="numeric">
                  {t('donations.donors.columns.total')}
                </th>
                <th scope="col">{t('donations.donors.columns.gifts')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((donor) => (
                <tr key={donor.contactId} data-testid="donor-row" data-contact-id={donor.contactId}>
                  <td>
                    <Link to={`/orgs/${organization.id}/contacts/${donor.contactId}`}>
                      {donor.donorName}
                    </Link>
                  </td>
                  <td className="numeric">{format.number(donor.count)}</td>
                  <td className="numeric nowrap" data-testid="donor-total">
                    {formatMoney(donor.totalCents, donor.currency)}
                  </td>
                  <td>
                    <Link
                      to={`/orgs/${organization.id}/donations?year=${year}&contactId=${encodeURIComponent(donor.contactId)}`}
                    >
                      {t('donations.donors.seeGifts', { name: donor.donorName })}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr className="table__total">
                <th scope="row">{t('donations.donors.totalRow')}</th>
                <td className="numeric">{format.number(count)}</td>
                <td className="numeric nowrap" data-testid="donors-total">
                  {formatMoney(total, currency)}
                </td>
                <td />
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </section>
  );
}
