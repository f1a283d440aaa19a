import { useTranslation } from 'react-i18next';
import { orgsApi } from '../../../api/orgs';
import { useResource } from '../../../api/useResource';
import { useCurrentOrganization } from '../../../auth/CurrentOrganization';
import { Alert } from '../../../components/Alert';
import { ResourceState } from '../../../components/ResourceState';
import { IdentityForm } from './IdentityForm';

export function IdentityTab() {
  const { t } = useTranslation();
  const organization = useCurrentOrganization();
  const resource = useResource(`organization:${organization.id}`, (signal) =>
    orgsApi.get(organization.id, signal),
  );
  const readOnly = !organization.can('organization.update');
  return (
    <section aria-labelledby="identity-title">
      <h2 id="identity-title">{t('settings.tabs.identity')}</h2>
      {readOnly && <Alert kind="info">{t('identity.readOnly')}</Alert>}
      <ResourceState resource={resource} />
      {resource.data && (
        <IdentityForm key={resource.data.id} organization={resource.data} readOnly={readOnly} />
      )}
    </section>
  );
}
