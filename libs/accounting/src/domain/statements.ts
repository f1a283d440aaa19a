/**
 * The annual statements of an association in the ANC 2018-06 layout: income statement (compte de
 * résultat, with the contributions in kind at its foot) and balance sheet (bilan). Which accounts
 * feed which line is data below; each account feeds the line of its longest matching prefix,
 * so a sub-account is never counted twice. Pure: balances in, amounts out.
 */

/** Balance of an account over a period: debit positive. */
export interface Balance {
  accountNumber: string;
  balanceCents: number;
}

export interface StatementLineDef {
  key: string;
  label: string;
  /** Account prefixes feeding the line. */
  prefixes: readonly string[];
  /** Balance-sheet lines that depend on the balance's side (a bank overdraft is a debt). */
  when?: 'debit' | 'credit';
}

export interface StatementSectionDef {
  key: string;
  label: string;
  /** `income`/`liability` lines show credit balances as positive amounts; `expense`/`asset` debit. */
  nature: 'income' | 'expense' | 'asset' | 'liability';
  lines: readonly StatementLineDef[];
}

export const INCOME_STATEMENT: readonly StatementSectionDef[] = [
  {
    key: 'operating_income',
    label: 'Produits d’exploitation',
    nature: 'income',
    lines: [
      { key: 'membership_fees', label: 'Cotisations', prefixes: ['756'] },
      { key: 'sales', label: 'Ventes de biens et services', prefixes: ['70'] },
      { key: 'subsidies', label: 'Subventions', prefixes: ['74'] },
      { key: 'generosity', label: 'Ressources liées à la générosité du public (dons, mécénat, legs)', prefixes: ['754'] },
      { key: 'financial_contributions', label: 'Contributions financières', prefixes: ['755'] },
      { key: 'reversals', label: 'Reprises sur amortissements, dépréciations, provisions et transferts de charges', prefixes: ['781', '79'] },
      { key: 'dedicated_funds_used', label: 'Utilisations des fonds dédiés', prefixes: ['789'] },
      { key: 'other_income', label: 'Autres produits', prefixes: ['75', '71', '72', '73'] },
    ],
  },
  {
    key: 'operating_expenses',
    label: 'Charges d’exploitation',
    nature: 'expense',
    lines: [
      { key: 'purchases', label: 'Achats de marchandises et d’approvisionnements', prefixes: ['601', '602', '607', '603'] },
      { key: 'external', label: 'Autres achats et charges externes', prefixes: ['604', '605', '606', '608', '609', '61', '62'] },
      { key: 'financial_aid', label: 'Aides financières', prefixes: ['657'] },
      { key: 'taxes', label: 'Impôts, taxes et versements assimilés', prefixes: ['63'] },
      { key: 'salaries', label: 'Salaires et traitements', prefixes: ['641', '642', '643', '644', '648'] },
      { key: 'social_charges', label: 'Charges sociales', prefixes: ['645', '646', '647'] },
      { key: 'depreciation', label: 'Dotations aux amortissements, dépréciations et provisions', prefixes: ['681'] },
      { key: 'dedicated_funds_carried', label: 'Reports en fonds dédiés', prefixes: ['689'] },
      { key: 'other_expenses', label: 'Autres charges', prefixes: ['65'] },
    ],
  },
  { key: 'financial_income', label: 'Produits financiers', nature: 'income', lines: [{ key: 'financial_income', label: 'Produits financiers', prefixes: ['76', '786'] }] },
  { key: 'financial_expenses', label: 'Charges financières', nature: 'expense', lines: [{ key: 'financial_expenses', label: 'Charges financières', prefixes: ['66', '686'] }] },
  { key: 'exceptional_income', label: 'Produits exceptionnels', nature: 'income', lines: [{ key: 'exceptional_income', label: 'Produits exceptionnels', prefixes: ['77', '787'] }] },
  { key: 'exceptional_expenses', label: 'Charges exceptionnelles', nature: 'expense', lines: [{ key: 'exceptional_expenses', label: 'Charges exceptionnelles', prefixes: ['67', '687'] }] },
  { key: 'income_tax', label: 'Impôts sur les sociétés', nature: 'expense', lines: [{ key: 'income_tax', label: 'Impôts sur les sociétés', prefixes: ['69'] }] },
];

/** Shown at the foot of the income statement (class 8, no cash effect). */
export const CONTRIBUTIONS_IN_KIND: readonly StatementSectionDef[] = [
  {
    key: 'in_kind_resources',
    label: 'Contributions volontaires en nature (produits)',
    nature: 'income',
    lines: [
      { key: 'gifts_in_kind', label: 'Dons en nature', prefixes: ['870'] },
      { key: 'services_in_kind', label: 'Prestations en nature', prefixes: ['871'] },
      { key: 'volunteering', label: 'Bénévolat', prefixes: ['875'] },
      { key: 'other_in_kind_resources', label: 'Autres contributions', prefixes: ['87'] },
    ],
  },
  {
    key: 'in_kind_uses',
    label: 'Contributions volontaires en nature (charges)',
    nature: 'expense',
    lines: [
      { key: 'relief_in_kind', label: 'Secours en nature', prefixes: ['860'] },
      { key: 'free_use_of_goods', label: 'Mise à disposition gratuite de biens', prefixes: ['861'] },
      { key: 'services', label: 'Prestations', prefixes: ['862'] },
      { key: 'volunteer_staff', label: 'Personnel bénévole', prefixes: ['864'] },
      { key: 'other_in_kind_uses', label: 'Autres emplois', prefixes: ['86'] },
    ],
  },
];

export const BALANCE_SHEET: readonly StatementSectionDef[] = [
  {
    key: 'fixed_assets',
    label: 'Actif immobilisé',
    nature: 'asset',
    lines: [
      { key: 'intangible', label: 'Immobilisations incorporelles (nettes)', prefixes: ['20', '280', '290'] },
      { key: 'tangible', label: 'Immobilisations corporelles (nettes)', prefixes: ['21', '22', '23', '281', '291'] },
      { key: 'financial_assets', label: 'Immobilisations financières', prefixes: ['26', '27', '296', '297'] },
    ],
  },
  {
    key: 'current_assets',
    label: 'Actif circulant',
    nature: 'asset',
    lines: [
      { key: 'stocks', label: 'Stocks et en-cours', prefixes: ['3'] },
      { key: 'receivables_users', label: 'Créances usagers et comptes rattachés', prefixes: ['41'], when: 'debit' },
      { key: 'receivables_depreciation', label: 'Dépréciations des créances', prefixes: ['49'] },
      { key: 'other_receivables', label: 'Autres créances', prefixes: ['40', '42', '43', '44', '45', '46', '47', '48'], when: 'debit' },
      { key: 'investments', label: 'Valeurs mobilières de placement', prefixes: ['50', '590'] },
      { key: 'cash', label: 'Disponibilités', prefixes: ['51', '53', '54', '58'], when: 'debit' },
      { key: 'prepaid_expenses', label: 'Charges constatées d’avance', prefixes: ['486'] },
    ],
  },
  {
    key: 'equity',
    label: 'Fonds propres',
    nature: 'liability',
    lines: [
      { key: 'funds_without_recovery', label: 'Fonds propres sans droit de reprise', prefixes: ['102'] },
      { key: 'funds_with_recovery', label: 'Fonds propres avec droit de reprise', prefixes: ['103'] },
      { key: 'revaluation', label: 'Écarts de réévaluation', prefixes: ['104', '105'] },
      { key: 'reserves', label: 'Réserves', prefixes: ['106', '10'] },
      { key: 'retained_earnings', label: 'Report à nouveau', prefixes: ['11'] },
      { key: 'result', label: 'Excédent ou déficit de l’exercice', prefixes: ['12', '6', '7'] },
      { key: 'investment_subsidies', label: 'Subventions d’investissement', prefixes: ['13'] },
      { key: 'regulated_provisions', label: 'Provisions réglementées', prefixes: ['14'] },
    ],
  },
  { key: 'deferred_funds', label: 'Fonds reportés et dédiés', nature: 'liability', lines: [{ key: 'deferred_funds', label: 'Fonds reportés et dédiés', prefixes: ['19'] }] },
  { key: 'provisions', label: 'Provisions', nature: 'liability', lines: [{ key: 'provisions', label: 'Provisions pour risques et charges', prefixes: ['15'] }] },
  {
    key: 'debts',
    label: 'Dettes',
    nature: 'liability',
    lines: [
      { key: 'loans', label: 'Emprunts et dettes assimilées', prefixes: ['16', '17', '18'] },
      { key: 'bank_overdrafts', label: 'Concours bancaires courants', prefixes: ['51'], when: 'credit' },
      { key: 'suppliers', label: 'Dettes fournisseurs et comptes rattachés', prefixes: ['40'], when: 'credit' },
      { key: 'tax_social', label: 'Dettes fiscales et sociales', prefixes: ['42', '43', '44'], when: 'credit' },
      { key: 'other_debts', label: 'Autres dettes', prefixes: ['41', '45', '46', '47', '48', '53', '54', '58'], when: 'credit' },
      { key: 'deferred_income', label: 'Produits constatés d’avance', prefixes: ['487'] },
    ],
  },
];

export interface StatementLine {
  key: string;
  label: string;
  amountCents: number;
}

export interface StatementSection {
  key: string;
  label: string;
  nature: StatementSectionDef['nature'];
  lines: StatementLine[];
  totalCents: number;
}

interface Candidate {
  section: StatementSectionDef;
  line: StatementLineDef;
  prefix: string;
}

/**
 * Sums the balances into the sections. For each account, the lines whose `when` fits the
 * balance's side compete; the longest prefix wins. Accounts matching no line are returned
 * apart (a chart extension the layout does not know), so nothing disappears silently.
 */
export function buildStatement(defs: readonly StatementSectionDef[], balances: readonly Balance[]): { sections: StatementSection[]; unclassified: Balance[] } {
  const amounts = new Map<string, number>();
  const unclassified: Balance[] = [];
  for (const b of balances) {
    if (b.balanceCents === 0) continue;
    const side = b.balanceCents > 0 ? 'debit' : 'credit';
    let best: Candidate | null = null;
    for (const section of defs) {
      for (const line of section.lines) {
        if (line.when && line.when !== side) continue;
        for (const prefix of line.prefixes) {
          if (b.accountNumber.startsWith(prefix) && (!best || prefix.length > best.prefix.length)) best = { section, line, prefix };
        }
      }
    }
    if (!best) {
      unclassified.push(b);
      continue;
    }
    const sign = best.section.nature === 'income' || best.section.nature === 'liability' ? -1 : 1;
    const key = `${best.section.key}/${best.line.key}`;
    amounts.set(key, (amounts.get(key) ?? 0) + sign * b.balanceCents);
  }
  const sections = defs.map((section) => {
    const lines = section.lines.map((line) => ({ key: line.key, label: line.label, amountCents: amounts.get(`${section.key}/${line.key}`) ?? 0 }));
    return { key: section.key, label: section.label, nature: section.nature, lines, totalCents: lines.reduce((sum, l) => sum + l.amountCents, 0) };
  });
  return { sections, unclassified };
}
