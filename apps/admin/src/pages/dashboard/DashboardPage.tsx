import { useTranslation } from 'react-i18next';
import { orgsApi } from '../../api/orgs';
import { useResource } from '../../api/useResource';
import { useCurrentOrganization } from '../../auth/CurrentOrganization';
import { Alert } from '../../components/Alert';
import { ResourceState } from '../../components/ResourceState';
import { DashboardTitle } from './DashboardTitle';
import { LivePanel } from './LivePanel';
import { RecentActivity } from './RecentActivity';
import { StatCards } from './StatCards';
import { useLiveEvents } from './useLiveEvents';

export function DashboardPage() {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  if (!organization.can('dashboard.read')) {
    return (
      <>
        <DashboardTitle name={organization.name} />
        <Alert kind="info">{t('dashboard.restricted')}</Alert>
      </>
    );
  }
  return <DashboardOverview />;
}

function DashboardOverview() {
  const organization = useCurrentOrganization();
  const dashboard = useResource(`dashboard:${organization.id}`, (signal) =>
    orgsApi.dashboard(organization.id, signal),
  );
  const live = useLiveEvents(
    organization.id,
    organization.can('events.subscribe'),
    dashboard.reload,
  );
  const data = dashboard.data;

  return (
    <>
      <DashboardTitle name={data?.organization.name ?? organization.name} />
      <ResourceState resource={dashboard} />
      {data && <StatCards dashboard={data} />}
      <div className="dashboard-columns">
        <RecentActivity entries={data?.recentActivity} />
        <LivePanel status={live.status} events={live.events} />
      </div>
    </>
  );
}
