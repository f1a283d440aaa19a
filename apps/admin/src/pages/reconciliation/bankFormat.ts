import type { TFunction } from 'i18next';
import type { StatementFormat } from '@ruche/contracts';

/** An IBAN in groups of 4 characters ("FR76 3000 6000 …"), as printed on bank details. */
export function formatIban(iban: string): string {
  return iban
    .replace(/\s+/g, '')
    .toUpperCase()
    .replace(/(.{4})(?=.)/g, '$1 ');
}

/** The days a statement covers ("du 1 mars 2026 au 31 mars 2026"), or what is known of them. */
export function statementPeriod(
  t: TFunction,
  day: (value: string | null) => string,
  from: string | null,
  to: string | null,
): string {
  if (from && to) return t('reconciliation.statements.period', { from: day(from), to: day(to) });
  if (from) return t('reconciliation.statements.periodFrom', { from: day(from) });
  if (to) return t('reconciliation.statements.periodTo', { to: day(to) });
  return t('common.none');
}

/** The name of a statement format (the same in every language). */
export const STATEMENT_FORMAT_LABELS: Record<StatementFormat, string> = {
  'camt.053': 'CAMT.053',
  ofx: 'OFX',
  qif: 'QIF',
  csv: 'CSV',
  cfonb120: 'CFONB 120',
};
