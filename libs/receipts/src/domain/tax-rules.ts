import type { OrganismType, TaxRatesView } from '@ruche/contracts';

/**
 * Tax reduction rates as dated rules (shared/domain/reference.md §1.7): they change by finance
 * law, so each rule has its validity and its source, and the preview uses the rule in force on
 * the gift's date. Display only: the association never computes the donor's tax.
 */
export interface TaxRule {
  scheme: 'individual' | 'individual_higher' | 'company' | 'ifi';
  rateBp: number;
  /** Yearly ceiling of gifts the rate applies to (the higher individual rate), else null. */
  ceilingCents: number | null;
  validFrom: string;
  validTo: string | null;
  /** Only for these organism types (null: any). */
  organismTypes: readonly OrganismType[] | null;
  source: string;
}

export const TAX_RULES: readonly TaxRule[] = [
  {
    scheme: 'individual',
    rateBp: 6600,
    ceilingCents: null,
    validFrom: '2005-01-01',
    validTo: null,
    organismTypes: null,
    source: 'CGI art. 200-1',
  },
  {
    scheme: 'individual_higher',
    rateBp: 7500,
    ceilingCents: 100_000,
    validFrom: '2020-01-01',
    validTo: '2025-10-13',
    organismTypes: ['aid_to_people_in_difficulty'],
    source: 'CGI art. 200-1 ter (loi 2025-127) [verify]',
  },
  {
    scheme: 'individual_higher',
    rateBp: 7500,
    ceilingCents: 200_000,
    validFrom: '2025-10-14',
    validTo: null,
    organismTypes: ['aid_to_people_in_difficulty'],
    source: 'CGI art. 200-1 ter (loi de finances 2026) [verify]',
  },
  {
    scheme: 'company',
    rateBp: 6000,
    ceilingCents: null,
    validFrom: '2003-01-01',
    validTo: null,
    organismTypes: null,
    source: 'CGI art. 238 bis (40 % above 2 M€ per beneficiary)',
  },
  {
    scheme: 'ifi',
    rateBp: 7500,
    ceilingCents: 5_000_000,
    validFrom: '2018-01-01',
    validTo: null,
    organismTypes: null,
    source: 'CGI art. 978 [verify]',
  },
];

function ruleOn(
  scheme: TaxRule['scheme'],
  day: string,
  organismType: OrganismType | null,
  rules: readonly TaxRule[],
): TaxRule | null {
  return (
    rules.find(
      (r) =>
        r.scheme === scheme &&
        r.validFrom <= day &&
        (r.validTo === null || day <= r.validTo) &&
        (r.organismTypes === null ||
          (organismType !== null && r.organismTypes.includes(organismType))),
    ) ?? null
  );
}

/** The rates in force on a day for an organism type. */
export function taxRatesOn(
  day: string,
  organismType: OrganismType | null,
  rules: readonly TaxRule[] = TAX_RULES,
): TaxRatesView {
  const individual = ruleOn('individual', day, organismType, rules);
  const higher = ruleOn('individual_higher', day, organismType, rules);
  const company = ruleOn('company', day, organismType, rules);
  return {
    individualRateBp: individual?.rateBp ?? 0,
    individualHigherRate:
      higher && higher.ceilingCents !== null
        ? { rateBp: higher.rateBp, ceilingCents: higher.ceilingCents }
        : null,
    companyRateBp: company?.rateBp ?? 0,
    validOn: day,
  };
}
