import { reconciliationApi } from '../../api/reconciliation';
import { useResource } from '../../api/useResource';
import { useCurrentOrganization } from '../../auth/CurrentOrganization';

/** The organization's bank accounts (the list, each account's page and its form). */
export function useBankAccounts() {
  const organization = useCurrentOrganization();
  return useResource(`bank-accounts:${organization.id}`, (signal) =>
    reconciliationApi.accounts(organization.id, signal),
  );
}
