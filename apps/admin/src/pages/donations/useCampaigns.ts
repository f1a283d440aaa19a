import { donationsApi } from '../../api/donations';
import { useResource } from '../../api/useResource';
import { useCurrentOrganization } from '../../auth/CurrentOrganization';

/** The organization's donation campaigns (for the filters, the desk form and the campaigns tab). */
export function useCampaigns() {
  const organization = useCurrentOrganization();
  return useResource(`donation-campaigns:${organization.id}`, (signal) =>
    donationsApi.campaigns(organization.id, signal),
  );
}
