import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { DashboardView } from '@ruche/contracts';
import type { Permission } from '@ruche/core';
import { useCurrentOrganization } from '../../auth/CurrentOrganization';
import { useFormatters } from '../../i18n/format';

interface Stat {
  key: string;
  value: number;
  /** Settings page with the details, and the permission needed to open it. */
  to: string;
  permission: Permission;
  alert?: boolean;
}

function stats(dashboard: DashboardView): Stat[] {
  return [
    { key: 'users', value: dashboard.users, to: 'users', permission: 'users.read' },
    {
      key: 'pendingInvitations',
      value: dashboard.pendingInvitations,
      to: 'users',
      permission: 'users.read',
    },
    {
      key: 'emailsPending',
      value: dashboard.emails.pending,
      to: 'emails',
      permission: 'emails.read',
    },
    { key: 'emailsSent', value: dashboard.emails.sent, to: 'emails', permission: 'emails.read' },
    {
      key: 'emailsFailed',
      value: dashboard.emails.failed,
      to: 'emails',
      permission: 'emails.read',
      alert: true,
    },
    {
      key: 'failedJobs',
      value: dashboard.failedJobs,
      to: 'jobs',
      permission: 'jobs.read',
      alert: true,
    },
  ];
}

export function StatCards({ dashboard }: { dashboard: DashboardView }) {
  const { t } = useTranslation();
  const format = useFormatters();
  const organization = useCurrentOrganization();
  return (
    <ul className="stats">
      {stats(dashboard).map((stat) => {
        const body = (
          <>
            <span className="stat__value">{format.number(stat.value)}</span>
            <span className="stat__label">{t(`dashboard.stats.${stat.key}`)}</span>
          </>
        );
        const className = `stat${stat.alert && stat.value > 0 ? ' stat--alert' : ''}`;
        return (
          <li key={stat.key}>
            {organization.can(stat.permission) ? (
              <Link className={className} to={`/orgs/${organization.id}/settings/${stat.to}`}>
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
