import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { orgsApi } from '../../api/orgs';
import { useResource } from '../../api/useResource';
import { useCurrentOrganization } from '../../auth/CurrentOrganization';

/** Formats cents as money in the given currency, French style (1 234,50 €). */
export function formatMoney(cents: number, currency: string): string {
  try {
    return new Intl.NumberFormat('fr-FR', { style: 'currency', currency }).format(cents / 100);
  } catch {
    return new Intl.NumberFormat('fr-FR', { minimumFractionDigits: 2 }).format(cents / 100);
  }
}

/**
 * A typed amount ("12,50", "12.5", "1 234,00") as cents, only for the live totals of the entry
 * form; the server parses the strings that are sent. Not a number: 0.
 */
export function amountToCents(value: string | undefined): number {
  const text = (value ?? '').replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (!text) return 0;
  const amount = Number(text);
  return Number.isFinite(amount) ? Math.round(amount * 100) : 0;
}

/** The currency of the current organization (EUR until it is known). */
export function useOrgCurrency(): string {
  const organization = useCurrentOrganization();
  const resource = useResource(`organization:${organization.id}`, (signal) =>
    orgsApi.get(organization.id, signal),
  );
  return useMemo(() => resource.data?.currency ?? 'EUR', [resource.data]);
}

/** Today as YYYY-MM-DD in the browser's time zone. */
export function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Formats a calendar day ("YYYY-MM-DD") in the UI language, without time-zone shifts. */
export function useDayFormatter(): (day: string | null) => string {
  const { i18n } = useTranslation();
  const locale = i18n.language;
  return useMemo(() => {
    const formatter = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
    return (day) => (day ? formatter.format(new Date(`${day.slice(0, 10)}T00:00:00Z`)) : '—');
  }, [locale]);
}
