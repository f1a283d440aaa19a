import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import {
  DONATION_KINDS,
  DONATION_STATUSES,
  type DonationKind,
  type DonationStatus,
  type DonationView,
} from '@ruche/contracts';
import { donationsApi, type DonationFilters } from '../../api/donations';
import { usePagedResource } from '../../api/usePagedResource';
import { useCurrentOrganization } from '../../auth/CurrentOrganization';
import { DebouncedInput } from '../../components/DebouncedInput';
import { EmptyState } from '../../components/EmptyState';
import { Pagination } from '../../components/Pagination';
import { ResourceState } from '../../components/ResourceState';
import { YearSelect } from '../../components/YearSelect';
import { useFormatters } from '../../i18n/format';
import { DONATIONS_RECORD_PERMISSION } from '../../layout/navigation';
import { formatMoney, useDayFormatter } from '../accounting/money';
import { methodLabel } from '../payments/paymentLabels';
import { DonationStatusBadge } from './DonationStatusBadge';
import { useCampaigns } from './useCampaigns';

type FilterKey = 'year' | 'campaignId' | 'status' | 'kind' | 'q' | 'contactId';

const oneOf =
  <T extends string>(values: readonly T[]) =>
  (value: string): value is T =>
    values.some((candidate) => candidate === value);
const isStatus = oneOf<DonationStatus>(DONATION_STATUSES);
const isKind = oneOf<DonationKind>(DONATION_KINDS);

/**
 * `donations`: the gifts, newest first, filtered from the URL (year, campaign, status, kind,
 * search, contact); "Enregistrer un don" for a gift received at the desk.
 */
export function DonationsList() {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const format = useFormatters();
  const organization = useCurrentOrganization();
  const navigate = useNavigate();
  const campaigns = useCampaigns();
  const [params, setParams] = useSearchParams();
  const value = (key: FilterKey) => params.get(key) ?? '';
  const status = value('status');
  const kind = value('kind');
  const filters: DonationFilters = {
    year: value('year'),
    campaignId: value('campaignId'),
    status: isStatus(status) ? status : '',
    kind: isKind(kind) ? kind : '',
    q: value('q'),
    contactId: value('contactId'),
  };
  const key = `donations:${organization.id}:${JSON.stringify(filters)}`;
  const donations = usePagedResource(key, (page, signal) =>
    donationsApi.list(organization.id, filters, page, signal),
  );
  const filtered = Object.values(filters).some(Boolean);

  const setFilter = (name: FilterKey, next: string) => {
    setParams(
      (previous) => {
        const updated = new URLSearchParams(previous);
        if (next) updated.set(name, next);
        else updated.delete(name);
        return updated;
      },
      { replace: true },
    );
  };

  const query = params.size > 0 ? `?${params.toString()}` : '';
  const open = (donationId: string) => navigate(`${donationId}${query}`);
  const dateOf = (donation: DonationView) =>
    donation.receivedOn ? day(donation.receivedOn) : format.date(donation.createdAt);

  return (
    <section className="panel" aria-labelledby="donations-list-title">
      <div className="panel__header">
        <h2 id="donations-list-title">
          {t('donations.list.title')}
          {donations.data && (
            <span className="heading-count" data-testid="donations-total">
              {t('donations.list.total', { count: donations.data.total })}
            </span>
          )}
        </h2>
        {organization.can(DONATIONS_RECORD_PERMISSION) && (
          <Link to="new" className="button button--primary" data-testid="donations-new">
            {t('donations.form.new')}
          </Link>
        )}
      </div>
      <form
        className="filter-bar"
        role="search"
        aria-label={t('donations.filters.label')}
        onSubmit={(event) => event.preventDefault()}
      >
        <label className="field filter-bar__search">
          <span>{t('donations.filters.q')}</span>
          <DebouncedInput
            type="search"
            value={filters.q ?? ''}
            placeholder={t('donations.filters.qPlaceholder')}
            data-testid="donations-filter-q"
            onChange={(next) => setFilter('q', next.trim())}
          />
        </label>
        <YearSelect
          label={t('donations.filters.year')}
          value={filters.year ?? ''}
          allLabel={t('donations.filters.allYears')}
          testId="donations-filter-year"
          onChange={(next) => setFilter('year', next)}
        />
        <label className="field">
          <span>{t('donations.filters.campaign')}</span>
          <select
            value={filters.campaignId}
            data-testid="donations-filter-campaign"
            onChange={(event) => setFilter('campaignId', event.target.value)}
          >
            <option value="">{t('donations.filters.all')}</option>
            {campaigns.data?.map((campaign) => (
              <option key={campaign.id} value={campaign.id}>
                {campaign.name}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('donations.filters.status')}</span>
          <select
            value={filters.status}
            data-testid="donations-filter-status"
            onChange={(event) => setFilter('status', event.target.value)}
          >
            <option value="">{t('donations.filters.all')}</option>
            {DONATION_STATUSES.map((option) => (
              <option key={option} value={option}>
                {t(`donations.statuses.${option}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('donations.filters.kind')}</span>
          <select
            value={filters.kind}
            data-testid="donations-filter-kind"
            onChange={(event) => setFilter('kind', event.target.value)}
          >
            <option value="">{t('donations.filters.all')}</option>
            {DONATION_KINDS.map((option) => (
              <option key={option} value={option}>
                {t(`donations.kinds.${option}`)}
              </option>
            ))}
          </select>
        </label>
        {filtered && (
          <div className="filter-bar__actions">
            <button
              type="button"
              className="button button--small"
              data-testid="donations-filter-reset"
              onClick={() => setParams(new URLSearchParams(), { replace: true })}
            >
              {t('donations.filters.reset')}
            </button>
          </div>
        )}
      </form>
      {filters.contactId && (
        <p className="muted" data-testid="donations-contact-filter">
          {t('donations.filters.oneContact')}{' '}
          <button
            type="button"
            className="button button--small"
            onClick={() => setFilter('contactId', '')}
          >
            {t('donations.filters.allContacts')}
          </button>
        </p>
      )}
      <ResourceState resource={donations} />
      {donations.data?.items.length === 0 && (
        <EmptyState>
          {filtered ? t('donations.list.noMatch') : t('donations.list.empty')}
        </EmptyState>
      )}
      {donations.data && donations.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="donations-table">
            <caption className="visually-hidden">{t('donations.list.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('donations.columns.date')}</th>
                <th scope="col">{t('donations.columns.donor')}</th>
                <th scope="col">{t('donations.columns.kind')}</th>
                <th scope="col">{t('donations.columns.campaign')}</th>
                <th scope="col">{t('donations.columns.status')}</th>
                <th scope="col">{t('donations.columns.receipt')}</th>
                <th scope="col" className="numeric">
                  {t('donations.columns.amount')}
                </th>
              </tr>
            </thead>
            <tbody>
              {donations.data.items.map((donation) => (
                <tr
                  key={donation.id}
                  className="table__row--link"
                  data-testid="donation-row"
                  data-donation-id={donation.id}
                  data-status={donation.status}
                  tabIndex={0}
                  onClick={() => void open(donation.id)}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter') void open(donation.id);
                  }}
                >
                  <td className="nowrap" data-testid="donation-date">
                    <Link
                      to={`${donation.id}${query}`}
                      data-testid="donation-link"
                      onClick={(event) => event.stopPropagation()}
                    >
                      {dateOf(donation)}
                    </Link>
                  </td>
                  <td data-testid="donation-donor">
                    <Link
                      to={`/orgs/${organization.id}/contacts/${donation.contactId}`}
                      onClick={(event) => event.stopPropagation()}
                    >
                      {donation.donorName}
                    </Link>
                  </td>
                  <td data-testid="donation-kind">
                    {t(`donations.kinds.${donation.kind}`)}
                    <span className="cell-note">
                      {donation.kind === 'money'
                        ? methodLabel(t, donation.method)
                        : (donation.description ?? '')}
                      {donation.frequency === 'monthly' &&
                        ` · ${t('donations.frequencies.monthly')}`}
                    </span>
                  </td>
                  <td>{donation.campaignName ?? t('common.none')}</td>
                  <td>
                    <DonationStatusBadge status={donation.status} testId="donation-status" />
                  </td>
                  <td data-testid="donation-receipt">
                    {donation.receiptId ? (
                      <Link
                        to={`/orgs/${organization.id}/receipts/${donation.receiptId}`}
                        onClick={(event) => event.stopPropagation()}
                      >
                        {donation.receiptReference ?? t('donations.detail.openReceipt')}
                      </Link>
                    ) : donation.wantsReceipt ? (
                      <span className="muted">{t('donations.receipt.waiting')}</span>
                    ) : (
                      <span className="muted">{t('donations.receipt.notWanted')}</span>
                    )}
                  </td>
                  <td className="numeric nowrap" data-testid="donation-amount">
                    {formatMoney(donation.amountCents, donation.currency)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {donations.data && <Pagination page={donations.data} onChange={donations.setOffset} />}
    </section>
  );
}
