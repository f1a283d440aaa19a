const KEY = 'ruche.lastOrganization';

export function rememberOrganization(orgId: string): void {
  localStorage.setItem(KEY, orgId);
}

export function lastOrganization(): string | null {
  return localStorage.getItem(KEY);
}
