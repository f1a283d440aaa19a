import { transliterate } from 'transliteration';
import { formatCentsComma } from './amounts';

/**
 * The FEC (Fichier des Écritures Comptables, LPF art. A47 A-1): columns, formatting, file name,
 * and the structural checks run before export. Pure: no I/O.
 */
export const FEC_COLUMNS = [
  'JournalCode',
  'JournalLib',
  'EcritureNum',
  'EcritureDate',
  'CompteNum',
  'CompteLib',
  'CompAuxNum',
  'CompAuxLib',
  'PieceRef',
  'PieceDate',
  'EcritureLib',
  'Debit',
  'Credit',
  'EcritureLet',
  'DateLet',
  'ValidDate',
  'Montantdevise',
  'Idevise',
] as const;

export interface FecLine {
  journalCode: string;
  journalLabel: string;
  entryNumber: number;
  /** YYYY-MM-DD */
  entryDate: string;
  accountNumber: string;
  accountLabel: string;
  auxNumber: string | null;
  auxLabel: string | null;
  pieceRef: string;
  pieceDate: string;
  label: string;
  debitCents: number;
  creditCents: number;
  validDate: string;
  /** EcritureLet: the lettering code of the reconciliation match in force on this line, if any. */
  letter?: string | null;
  /** DateLet (YYYY-MM-DD): when that match was made. */
  letterDate?: string | null;
}

export function fecDate(isoDate: string): string {
  return isoDate.replaceAll('-', '');
}

/** Text fields cannot hold the separator or a line break. */
export function fecText(value: string | null | undefined): string {
  // \x01 and \x02 are the delimiter and quote of the COPY that streams the file: never in a field.
  // eslint-disable-next-line no-control-regex
  return (value ?? '').replace(/[\t|\r\n\x01\x02]+/g, ' ').replace(/ {2,}/g, ' ').trim();
}

export function fecFields(line: FecLine): string[] {
  return [
    fecText(line.journalCode),
    fecText(line.journalLabel),
    String(line.entryNumber),
    fecDate(line.entryDate),
    fecText(line.accountNumber),
    fecText(line.accountLabel),
    fecText(line.auxNumber),
    fecText(line.auxLabel),
    fecText(line.pieceRef),
    fecDate(line.pieceDate),
    fecText(line.label),
    formatCentsComma(line.debitCents),
    formatCentsComma(line.creditCents),
    fecText(line.letter),
    line.letterDate ? fecDate(line.letterDate) : '',
    fecDate(line.validDate),
    '',
    '',
  ];
}

/**
 * Characters ISO-8859-15 cannot hold: everything outside Latin-1 but €, Š, š, Ž, ž, Œ, œ, Ÿ, and
 * the eight Latin-1 code points Latin-9 gave to those (¤ ¦ ¨ ´ ¸ ¼ ½ ¾). Astral characters
 * (emoji) match as one.
 */
// eslint-disable-next-line no-control-regex
const NOT_LATIN9 = /[^\x00-\xA3\xA5\xA7\xA9-\xB3\xB5-\xB7\xB9-\xBB\xBF-\xFF\u20AC\u0160\u0161\u017D\u017E\u0152\u0153\u0178]/gu;

/**
 * Text for a FEC in ISO-8859-15: what the encoding cannot hold is transliterated (’ → ', “ → ",
 * … → ..., ł → l, Ő → O), not turned into "?", so that labels stay readable for the
 * administration's tools. Text that fits is returned as is.
 */
export function toLatin9(text: string): string {
  NOT_LATIN9.lastIndex = 0;
  if (!NOT_LATIN9.test(text)) return text;
  return text.replace(NOT_LATIN9, (ch) => transliterate(ch));
}

/** `<SIREN>FEC<closing date>.txt`; without a SIREN, the RNA number or another identifier. */
export function fecFileName(identifier: string, fiscalYearEnd: string): string {
  return `${identifier.replace(/[^A-Za-z0-9]/g, '')}FEC${fecDate(fiscalYearEnd)}.txt`;
}

export interface FecProblem {
  code: string;
  message: string;
  entryNumber?: number;
}

/**
 * Checks a FEC as its lines stream by (constant memory): continuous numbering, balanced
 * entries, valid dates inside the fiscal year, one positive side per line, known accounts.
 */
export class FecValidator {
  readonly problems: FecProblem[] = [];
  entries = 0;
  lines = 0;
  debitCents = 0;
  creditCents = 0;
  private current: { number: number; debit: number; credit: number; lines: number } | null = null;
  private static readonly MAX_PROBLEMS = 1000;

  /**
   * `firstNumber`: the EcritureNum the file starts at, 1 unless number 1 is kept for an opening
   * entry not posted yet (the caller reports that on its own).
   */
  constructor(
    private readonly fiscalYearStart: string,
    private readonly fiscalYearEnd: string,
    private readonly firstNumber = 1,
  ) {}

  private report(problem: FecProblem): void {
    if (this.problems.length < FecValidator.MAX_PROBLEMS) this.problems.push(problem);
  }

  add(line: FecLine): void {
    this.lines++;
    if (!this.current || this.current.number !== line.entryNumber) {
      this.closeEntry();
      const expected = this.current ? this.current.number + 1 : this.firstNumber;
      if (line.entryNumber !== expected) {
        this.report({ code: 'fec.numbering_gap', message: `EcritureNum ${line.entryNumber} follows ${expected - 1}`, entryNumber: line.entryNumber });
      }
      this.entries++;
      this.current = { number: line.entryNumber, debit: 0, credit: 0, lines: 0 };
    }
    const entry = this.current;
    entry.lines++;
    entry.debit += line.debitCents;
    entry.credit += line.creditCents;
    this.debitCents += line.debitCents;
    this.creditCents += line.creditCents;
    if (line.debitCents < 0 || line.creditCents < 0) this.report({ code: 'fec.negative_amount', message: 'Negative amount', entryNumber: line.entryNumber });
    if (line.debitCents !== 0 && line.creditCents !== 0) this.report({ code: 'fec.both_sides', message: 'A line has both a debit and a credit', entryNumber: line.entryNumber });
    if (!/^\d{3,}$/.test(line.accountNumber) || !line.accountLabel.trim()) {
      this.report({ code: 'fec.account', message: `Account "${line.accountNumber}" needs 3 digits or more and a label`, entryNumber: line.entryNumber });
    }
    if (line.entryDate < this.fiscalYearStart || line.entryDate > this.fiscalYearEnd) {
      this.report({ code: 'fec.date_outside_year', message: `EcritureDate ${line.entryDate} is outside the fiscal year`, entryNumber: line.entryNumber });
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(line.validDate)) this.report({ code: 'fec.valid_date', message: 'ValidDate missing', entryNumber: line.entryNumber });
    if (!line.journalCode.trim() || !line.label.trim() || !line.pieceRef.trim()) {
      this.report({ code: 'fec.missing_field', message: 'JournalCode, EcritureLib and PieceRef are required', entryNumber: line.entryNumber });
    }
  }

  private closeEntry(): void {
    const entry = this.current;
    if (!entry) return;
    if (entry.lines < 2) this.report({ code: 'fec.single_line', message: 'An entry has one line', entryNumber: entry.number });
    if (entry.debit !== entry.credit) this.report({ code: 'fec.unbalanced', message: `Entry ${entry.number} is unbalanced`, entryNumber: entry.number });
  }

  finish(): FecProblem[] {
    this.closeEntry();
    if (this.debitCents !== this.creditCents) this.report({ code: 'fec.totals', message: 'Total debits and credits differ' });
    return this.problems;
  }
}
