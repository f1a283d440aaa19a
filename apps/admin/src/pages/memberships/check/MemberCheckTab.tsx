import { useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { MemberCheckView } from '@ruche/contracts';
import { membershipsApi } from '../../../api/memberships';
import { useResource } from '../../../api/useResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { EmptyState } from '../../../components/EmptyState';
import { ResourceState } from '../../../components/ResourceState';
import { useDebouncedValue } from '../../../components/useDebouncedValue';
import { useDayFormatter } from '../../accounting/money';
import { MembershipStatusBadge } from '../MembershipStatusBadge';

const MIN_LENGTH = 2;

/** "Is this person a member in good standing?" at the door of an event: search, then a verdict. */
export function MemberCheckTab() {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const [query, setQuery] = useState('');
  const q = useDebouncedValue(query.trim(), 250);
  const searching = q.length >= MIN_LENGTH;
  const results = useResource(`memberships:check:${organization.id}:${q}`, (signal) =>
    searching ? membershipsApi.check(organization.id, q, signal) : Promise.resolve(null),
  );

  return (
    <section className="panel" aria-labelledby="member-check-title">
      <h2 id="member-check-title">{t('memberships.check.title')}</h2>
      <p className="muted">{t('memberships.check.intro')}</p>
      <form role="search" className="check-search" onSubmit={(event) => event.preventDefault()}>
        <label className="field">
          <span className="visually-hidden">{t('memberships.check.label')}</span>
          <input
            type="search"
            autoFocus
            autoComplete="off"
            value={query}
            placeholder={t('memberships.check.placeholder')}
            data-testid="member-check-input"
            onChange={(event) => setQuery(event.target.value)}
          />
        </label>
      </form>
      {searching && <ResourceState resource={results} />}
      {searching && results.data?.length === 0 && (
        <EmptyState>{t('memberships.check.none', { query: q })}</EmptyState>
      )}
      {searching && results.data && results.data.length > 0 && (
        <ul className="check-results" aria-live="polite">
          {results.data.map((result) => (
            <CheckResult key={result.contactId} result={result} />
          ))}
        </ul>
      )}
    </section>
  );
}

function CheckResult({ result }: { result: MemberCheckView }) {
  const { t } = useTranslation();
  const day = useDayFormatter();
  const organization = useCurrentOrganization();
  const verdict = (() => {
    if (result.inGoodStanding) {
      return result.validUntil
        ? t('memberships.check.goodUntil', { date: day(result.validUntil) })
        : t('memberships.check.goodLifetime');
    }
    switch (result.status) {
      case null:
        return t('memberships.check.never');
      case 'pending_payment':
        return t('memberships.check.pendingPayment');
      case 'upcoming':
        return t('memberships.check.upcoming');
      case 'cancelled':
        return t('memberships.check.cancelled');
      case 'lapsed':
        return result.validUntil
          ? t('memberships.check.lapsedOn', { date: day(result.validUntil) })
          : t('memberships.check.notGood');
      case 'active':
      case 'expiring_soon':
      case 'grace':
        return t('memberships.check.notGood');
    }
  })();
  return (
    <li
      className={`check-result check-result--${result.inGoodStanding ? 'good' : 'bad'}`}
      data-testid="member-check-result"
      data-good-standing={result.inGoodStanding}
    >
      <span className="check-result__mark" aria-hidden="true">
        {result.inGoodStanding ? '✓' : '✕'}
      </span>
      <div className="check-result__body">
        <p className="check-result__name">
          {organization.can('contacts.read') ? (
            <Link to={`/orgs/${organization.id}/contacts/${result.contactId}`}>
              {result.displayName}
            </Link>
          ) : (
            result.displayName
          )}{' '}
          <code>{result.reference}</code>
        </p>
        <p className="check-result__verdict" data-testid="member-check-verdict">
          {verdict}
        </p>
        <p className="muted">
          {[result.planName, result.city].filter(Boolean).join(' · ')}{' '}
          <MembershipStatusBadge status={result.status} />
        </p>
      </div>
    </li>
  );
}
