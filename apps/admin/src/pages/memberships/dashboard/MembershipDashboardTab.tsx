import { useCallback, useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { LiveEvent, MembershipDashboardView } from '@ruche/contracts';
import { membershipsApi } from '../../../api/memberships';
import { useResource } from '../../../api/useResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { EmptyState } from '../../../components/EmptyState';
import { ResourceState } from '../../../components/ResourceState';
import { useFormatters } from '../../../i18n/format';
import { useDayFormatter } from '../../accounting/money';
import { useLiveEvents, type LiveStatus } from '../../dashboard/useLiveEvents';
import { MembershipStatusBadge } from '../MembershipStatusBadge';
import { ActiveChart } from './ActiveChart';

/** The SSE event that changes the dashboard; several in a burst give one refetch. */
const STATUS_CHANGED = 'membership.status_changed';
const REFETCH_DELAY_MS = 200;

/** Calls `action` once, `delay` ms after the last of a burst of calls. */
function useDebouncedCallback(action: () => void, delay: number): () => void {
  const actionRef = useRef(action);
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => {
    actionRef.current = action;
  });
  useEffect(() => () => window.clearTimeout(timer.current), []);
  return useCallback(() => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => actionRef.current(), delay);
  }, [delay]);
}

/** Refetches after a lost connection comes back (events may have been missed meanwhile). */
function useReloadOnReconnect(status: LiveStatus, reload: () => void): void {
  const seenLive = useRef(false);
  const lost = useRef(false);
  useEffect(() => {
    if (status === 'live') {
      if (lost.current) reload();
      lost.current = false;
      seenLive.current = true;
    } else if (seenLive.current) {
      lost.current = true;
    }
  }, [status, reload]);
}

/** The coordinators' page, kept live over SSE: counts, 24 months of members, latest changes. */
export function MembershipDashboardTab() {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const dashboard = useResource(`memberships:dashboard:${organization.id}`, (signal) =>
    membershipsApi.dashboard(organization.id, signal),
  );
  const refetchSoon = useDebouncedCallback(dashboard.reload, REFETCH_DELAY_MS);
  const onEvent = useCallback(
    (event: LiveEvent) => {
      if (event.type === STATUS_CHANGED) refetchSoon();
    },
    [refetchSoon],
  );
  const live = useLiveEvents(organization.id, organization.can('events.subscribe'), onEvent);
  useReloadOnReconnect(live.status, dashboard.reload);
  const data = dashboard.data;

  return (
    <section data-testid="membership-dashboard" aria-busy={dashboard.loading}>
      <ResourceState resource={dashboard} />
      {data && (
        <>
          <Counts dashboard={data} />
          <div className="dashboard-columns dashboard-columns--wide">
            <section className="panel" aria-labelledby="active-chart-title">
              <h2 id="active-chart-title">{t('memberships.dashboard.chartTitle')}</h2>
              <ActiveChart points={data.activeByMonth} />
            </section>
            <RecentChanges dashboard={data} status={live.status} />
          </div>
        </>
      )}
    </section>
  );
}

interface Count {
  key: keyof MembershipDashboardView['counts'];
  testId: string;
  /** The directory, filtered to the contacts behind the count. */
  query: string;
  alert?: boolean;
}

function counts(dashboard: MembershipDashboardView): Count[] {
  const monthStart = `${dashboard.today.slice(0, 7)}-01`;
  return [
    { key: 'active', testId: 'count-active', query: 'statuses=active,expiring_soon' },
    { key: 'expiringSoon', testId: 'count-expiring-soon', query: 'statuses=expiring_soon' },
    { key: 'grace', testId: 'count-grace', query: 'statuses=grace', alert: true },
    { key: 'lapsed', testId: 'count-lapsed', query: 'statuses=lapsed' },
    {
      key: 'pendingPayment',
      testId: 'count-pending-payment',
      query: 'statuses=pending_payment',
      alert: true,
    },
    { key: 'newThisMonth', testId: 'count-new-this-month', query: `joinedFrom=${monthStart}` },
  ];
}

function Counts({ dashboard }: { dashboard: MembershipDashboardView }) {
  const { t } = useTranslation();
  const format = useFormatters();
  const organization = useCurrentOrganization();
  const canOpen = organization.can('contacts.read');
  return (
    <ul className="stats" aria-label={t('memberships.dashboard.countsLabel')}>
      {counts(dashboard).map((count) => {
        const value = dashboard.counts[count.key];
        const body = (
          <>
            <span className="stat__value" data-testid={count.testId} data-value={value}>
              {format.number(value)}
            </span>
            <span className="stat__label">
              {t(`memberships.dashboard.counts.${count.key}`, {
                days: dashboard.expiringSoonDays,
              })}
            </span>
          </>
        );
        const className = `stat${count.alert && value > 0 ? ' stat--warning' : ''}`;
        return (
          <li key={count.key}>
            {canOpen ? (
              <Link
                className={className}
                to={`/orgs/${organization.id}/contacts?${count.query.replace(/,/g, '%2C')}`}
              >
                {body}
              </Link>
            ) : (
              <div className={className}>{body}</div>
            )}
          </li>
        );
      })}
    </ul>
  );
}

function RecentChanges({
  dashboard,
  status,
}: {
  dashboard: MembershipDashboardView;
  status: LiveStatus;
}) {
  const { t } = useTranslation();
  const format = useFormatters();
  const day = useDayFormatter();
  const organization = useCurrentOrganization();
  const canOpen = organization.can('contacts.read');
  return (
    <section className="panel" aria-labelledby="recent-changes-title">
      <div className="panel__header">
        <h2 id="recent-changes-title">{t('memberships.dashboard.recentTitle')}</h2>
        <span className={`live live--${status}`} data-testid="live-status" role="status">
          <span aria-hidden="true">{status === 'live' ? '●' : '○'}</span>{' '}
          {t(`dashboard.live.${status}`)}
        </span>
      </div>
      {dashboard.recent.length === 0 && (
        <EmptyState>{t('memberships.dashboard.noChange')}</EmptyState>
      )}
      <ul className="feed" data-testid="recent-changes" aria-live="polite">
        {dashboard.recent.map((change) => (
          <li
            key={`${change.membershipId}:${change.changedAt}`}
            data-testid="recent-change-row"
            data-status={change.status}
          >
            <time dateTime={change.changedAt}>{format.dateTime(change.changedAt)}</time>
            <span className="feed__label">
              {canOpen ? (
                <Link to={`/orgs/${organization.id}/contacts/${change.contactId}`}>
                  {change.contactName}
                </Link>
              ) : (
                change.contactName
              )}{' '}
              <MembershipStatusBadge status={change.status} />
            </span>
            <span className="feed__meta">
              {change.validUntil
                ? t('memberships.dashboard.planUntil', {
                    plan: change.planName,
                    date: day(change.validUntil),
                  })
                : change.planName}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
