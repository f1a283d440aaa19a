/**
 * The CSV formats of Ruche's exports, written for French spreadsheets: UTF-8 with a byte order
 * mark, `;` separator, decimal comma, dates YYYY-MM-DD. Documented in libs/accounting/README.md.
 */
export const CSV_BOM = '\ufeff';
export const CSV_DELIMITER = ';';

/** One line per entry line: what another accounting tool needs to import Ruche's entries. */
export const ENTRIES_CSV_COLUMNS = [
  'journal',
  'numero',
  'date',
  'piece',
  'date_piece',
  'libelle_ecriture',
  'compte',
  'libelle_compte',
  'debit',
  'credit',
  'libelle_ligne',
  'analytique',
  'tiers',
  'libelle_tiers',
  'date_validation',
  'source',
] as const;

export const TRIAL_BALANCE_CSV_COLUMNS = ['compte', 'libelle', 'solde_ouverture', 'debit', 'credit', 'solde_cloture'] as const;

export const GENERAL_LEDGER_CSV_COLUMNS = ['compte', 'libelle_compte', 'date', 'journal', 'numero', 'piece', 'libelle', 'debit', 'credit', 'solde'] as const;

/** Journal listing: one row per entry line, then a total row per journal and a grand total. */
export const JOURNAL_LISTING_CSV_COLUMNS = ['journal', 'numero', 'date', 'piece', 'libelle_ecriture', 'compte', 'libelle_compte', 'libelle_ligne', 'debit', 'credit'] as const;

export const ANALYTIC_CSV_COLUMNS = ['analytique', 'produits', 'charges', 'resultat'] as const;
