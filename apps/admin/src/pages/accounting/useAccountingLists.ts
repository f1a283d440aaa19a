import { accountingApi } from '../../api/accounting';
import { useResource } from '../../api/useResource';
import { useCurrentOrganization } from '../../auth/CurrentOrganization';

export function useAccounts() {
  const organization = useCurrentOrganization();
  return useResource(`accounting:accounts:${organization.id}`, (signal) =>
    accountingApi.accounts(organization.id, signal),
  );
}

export function useJournals() {
  const organization = useCurrentOrganization();
  return useResource(`accounting:journals:${organization.id}`, (signal) =>
    accountingApi.journals(organization.id, signal),
  );
}

export function useFiscalYears() {
  const organization = useCurrentOrganization();
  return useResource(`accounting:fiscal-years:${organization.id}`, (signal) =>
    accountingApi.fiscalYears(organization.id, signal),
  );
}
