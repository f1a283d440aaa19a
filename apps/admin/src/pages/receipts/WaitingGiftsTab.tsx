import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { ReceiptGiftView, ReceiptView } from '@ruche/contracts';
import { receiptsApi, type ReceiptGiftFilters } from '../../api/receipts';
import { usePagedResource } from '../../api/usePagedResource';
import { useCurrentOrganization } from '../../auth/CurrentOrganization';
import { Alert } from '../../components/Alert';
import { EmptyState } from '../../components/EmptyState';
import { FeedbackAlert } from '../../components/FeedbackAlert';
import { Pagination } from '../../components/Pagination';
import { ResourceState } from '../../components/ResourceState';
import { useAction } from '../../components/useAction';
import { YearSelect } from '../../components/YearSelect';
import { formatMoney, useDayFormatter } from '../accounting/money';
import { giftMethodLabel, lineSourcePath } from './receiptLabels';

type FilterKey = 'year' | 'state' | 'contactId';

/**
 * `receipts/waiting`: the gifts not covered by a receipt yet (or every gift), each with why it
 * waits; "Émettre le reçu" issues its receipt now, without waiting for the year-end batch.
 */
export function WaitingGiftsTab() {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const organization = useCurrentOrganization();
  const [params, setParams] = useSearchParams();
  const { pending, feedback, run } = useAction();
  const [issued, setIssued] = useState<ReceiptView | null>(null);
  const value = (key: FilterKey) => params.get(key) ?? '';
  const filters: ReceiptGiftFilters = {
    state: value('state') === 'all' ? 'all' : 'waiting',
    year: value('year'),
    contactId: value('contactId'),
  };
  const key = `receipts:gifts:${organization.id}:${JSON.stringify(filters)}`;
  const gifts = usePagedResource(key, (page, signal) =>
    receiptsApi.gifts(organization.id, filters, page, signal),
  );
  const canIssue = organization.can('receipts.issue');

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

  const issue = async (gift: ReceiptGiftView) => {
    setIssued(null);
    const done = await run(`issue:${gift.id}`, async () => {
      setIssued(await receiptsApi.issueGift(organization.id, gift.id));
    });
    if (done) gifts.reload();
  };

  return (
    <section className="panel" aria-labelledby="receipt-gifts-title">
      <div className="panel__header">
        <h2 id="receipt-gifts-title">
          {t('receipts.waiting.title')}
          {gifts.data && (
            <span className="heading-count" data-testid="receipt-gifts-total">
              {t('receipts.waiting.total', { count: gifts.data.total })}
            </span>
          )}
        </h2>
      </div>
      <p className="muted">{t('receipts.waiting.intro')}</p>
      <form
        className="filter-bar"
        role="search"
        aria-label={t('receipts.filters.label')}
        onSubmit={(event) => event.preventDefault()}
      >
        <YearSelect
          label={t('receipts.filters.year')}
          value={filters.year ?? ''}
          allLabel={t('receipts.filters.allYears')}
          testId="receipt-gifts-filter-year"
          onChange={(next) => setFilter('year', next)}
        />
        <label className="field">
          <span>{t('receipts.waiting.state')}</span>
          <select
            value={filters.state}
            data-testid="receipt-gifts-filter-state"
            onChange={(event) => setFilter('state', event.target.value === 'all' ? 'all' : '')}
          >
            <option value="waiting">{t('receipts.waiting.states.waiting')}</option>
            <option value="all">{t('receipts.waiting.states.all')}</option>
          </select>
        </label>
      </form>
      {filters.contactId && (
        <p className="muted" data-testid="receipt-gifts-contact-filter">
          {t('receipts.filters.oneContact')}{' '}
          <button
            type="button"
            className="button button--small"
            onClick={() => setFilter('contactId', '')}
          >
            {t('receipts.filters.allContacts')}
          </button>
        </p>
      )}
      <FeedbackAlert feedback={feedback} />
      {issued && (
        <Alert kind="success">
          <span data-testid="receipt-gift-issued">
            {t('receipts.waiting.issued')}{' '}
            <Link
              to={`/orgs/${organization.id}/receipts/${issued.id}`}
              data-testid="receipt-gift-issued-link"
            >
              {issued.reference}
            </Link>
          </span>
        </Alert>
      )}
      <ResourceState resource={gifts} />
      {gifts.data?.items.length === 0 && (
        <EmptyState>
          {filters.state === 'waiting'
            ? t('receipts.waiting.empty')
            : t('receipts.waiting.emptyAll')}
        </EmptyState>
      )}
      {gifts.data && gifts.data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="receipt-gifts-table">
            <caption className="visually-hidden">{t('receipts.waiting.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('receipts.waiting.columns.receivedOn')}</th>
                <th scope="col">{t('receipts.waiting.columns.donor')}</th>
                <th scope="col">{t('receipts.waiting.columns.gift')}</th>
                <th scope="col">{t('receipts.waiting.columns.mode')}</th>
                <th scope="col" className="numeric">
                  {t('receipts.waiting.columns.amount')}
                </th>
                <th scope="col">{t('receipts.waiting.columns.receipt')}</th>
                {canIssue && <th scope="col">{t('common.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {gifts.data.items.map((gift) => (
                <tr
                  key={gift.id}
                  data-testid="receipt-gift-row"
                  data-gift-id={gift.id}
                  data-blocked={gift.blockedReason !== null}
                >
                  <td className="nowrap">{day(gift.receivedOn)}</td>
                  <td>
                    <Link to={`/orgs/${organization.id}/contacts/${gift.contactId}`}>
                      {gift.donorName}
                    </Link>
                  </td>
                  <td>
                    <Link to={lineSourcePath(organization.id, gift, gift.contactId)}>
                      {t(`receipts.sourceKinds.${gift.sourceKind}`)}
                    </Link>
                    <span className="cell-note">
                      {t(`receipts.natures.${gift.nature}`)}
                      {gift.method && ` · ${giftMethodLabel(t, gift.method)}`}
                    </span>
                  </td>
                  <td>{t(`receipts.modes.${gift.mode}`)}</td>
                  <td className="numeric nowrap" data-testid="receipt-gift-amount">
                    {formatMoney(gift.amountCents - gift.withdrawnCents, gift.currency)}
                    {gift.withdrawnCents > 0 && (
                      <span className="cell-note">
                        {t('receipts.waiting.withdrawn', {
                          amount: formatMoney(gift.withdrawnCents, gift.currency),
                        })}
                      </span>
                    )}
                  </td>
                  <td data-testid="receipt-gift-receipt">
                    {gift.receiptId ? (
                      <Link to={`/orgs/${organization.id}/receipts/${gift.receiptId}`}>
                        {gift.receiptReference ?? gift.receiptId}
                      </Link>
                    ) : gift.blockedReason ? (
                      <span className="cell-error" data-testid="receipt-gift-blocked">
                        {t('receipts.waiting.blocked', { reason: gift.blockedReason })}
                      </span>
                    ) : (
                      <span className="muted">{t('receipts.waiting.notYet')}</span>
                    )}
                  </td>
                  {canIssue && (
                    <td>
                      {!gift.receiptId && (
                        <button
                          type="button"
                          className="button button--small"
                          disabled={pending !== null}
                          aria-busy={pending === `issue:${gift.id}`}
                          aria-label={t('receipts.waiting.issueFor', {
                            name: gift.donorName,
                            date: day(gift.receivedOn),
                          })}
                          data-testid="receipt-gift-issue"
                          onClick={() => void issue(gift)}
                        >
                          {t('receipts.waiting.issue')}
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {gifts.data && <Pagination page={gifts.data} onChange={gifts.setOffset} />}
    </section>
  );
}
