import { electronicFormatIBAN, extractIBAN } from 'ibantools';
import type { ParsedStatement, StatementAccountIdentity } from './statement';

/**
 * Countries whose IBAN holds a French RIB (BBAN of 23: bank code 5, branch code 5, account
 * number 11, RIB key 2): France, Monaco and the French overseas territories.
 */
const RIB_COUNTRIES = new Set([
  'FR',
  'MC',
  'GP',
  'MQ',
  'GF',
  'RE',
  'PM',
  'YT',
  'NC',
  'PF',
  'WF',
  'TF',
  'BL',
  'MF',
]);

/** Upper case, letters and digits only: "0001234 5678-9" -> "000123456789". */
const compact = (value: string | null | undefined): string | null => {
  const v = (value ?? '').toUpperCase().replace(/[^A-Z0-9]/g, '');
  return v === '' ? null : v;
};

/** An IBAN at a glance (country, check digits, then 10 to 30 letters and digits). */
export function looksLikeIban(value: string | null | undefined): boolean {
  const v = compact(value);
  return !!v && /^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(v);
}

/**
 * What a file's other account id (CAMT `Othr/Id`, OFX `ACCTID`) says: an IBAN, an account number
 * (letters and digits, at least 4 digits: 5 to 34 characters once spaces, dots and dashes are
 * left out), or nothing comparable (a name, an internal code).
 */
export function accountIdKind(value: string | null | undefined): 'iban' | 'account' | null {
  if (!value) return null;
  if (looksLikeIban(value)) return 'iban';
  const v = value
    .trim()
    .toUpperCase()
    .replace(/[\s.-]/g, '');
  return /^[A-Z0-9]{5,34}$/.test(v) && (v.match(/\d/g)?.length ?? 0) >= 4 ? 'account' : null;
}

interface IbanParts {
  iban: string;
  bban: string;
  /** Whether the BBAN is a French RIB (bank, branch, account, key). */
  rib: boolean;
  bank: string | null;
  branch: string | null;
  account: string | null;
  key: string | null;
}

function ibanParts(iban: string): IbanParts {
  const electronic = electronicFormatIBAN(iban) ?? compact(iban) ?? '';
  const country = electronic.slice(0, 2);
  const bban = electronic.slice(4);
  if (RIB_COUNTRIES.has(country) && bban.length === 23)
    return {
      iban: electronic,
      bban,
      rib: true,
      bank: bban.slice(0, 5),
      branch: bban.slice(5, 10),
      account: bban.slice(10, 21),
      key: bban.slice(21, 23),
    };
  const extracted = extractIBAN(electronic);
  const bank = extracted.bankIdentifier ?? null;
  const branch = extracted.branchIdentifier ?? null;
  const prefix = `${bank ?? ''}${branch ?? ''}`;
  return {
    iban: electronic,
    bban,
    rib: false,
    bank,
    branch,
    account:
      extracted.accountNumber ??
      (prefix && bban.startsWith(prefix) ? bban.slice(prefix.length) : null),
    key: null,
  };
}

/** Two codes are the same, a shorter all-digit one read with its leading zeros. */
function sameCode(given: string, own: string | null): boolean {
  if (own === null) return true;
  if (/^\d+$/.test(given) && given.length < own.length)
    return given.padStart(own.length, '0') === own;
  return given === own;
}

/** Same kind of code (as long, digits or letters alike): from the same national scheme. */
const sameShape = (a: string, b: string) =>
  a.length === b.length && /^\d+$/.test(a) === /^\d+$/.test(b);

const withoutZeros = (v: string) => v.replace(/^0+/, '');

/** A French file's account number against the RIB: alone, with its key, or the whole RIB. */
function ribAccountMatches(given: string, own: IbanParts): boolean {
  const account = own.account ?? '';
  const forms = [account, `${account}${own.key}`, `${own.bank}${own.branch}${account}`, own.bban];
  // Some banks leave out the account number's leading zeros.
  return forms.includes(given) || sameCode(given, account);
}

/** How a statement's account reads in a message ("FR76 …", "bank 30004, branch 00823, account …"). */
export function describeStatementAccount(
  s: Pick<ParsedStatement, 'iban' | 'account'>,
): string | null {
  if (s.iban) return s.iban;
  const id = s.account;
  if (!id) return null;
  const parts = [
    id.bankCode ? `bank ${id.bankCode}` : null,
    id.branchCode ? `branch ${id.branchCode}` : null,
    id.accountNumber ? `account ${id.accountNumber}` : null,
    id.key ? `key ${id.key}` : null,
  ].filter((p): p is string => p !== null);
  return parts.length > 0 ? parts.join(', ') : null;
}

/**
 * Whether a statement is for another account than the bank account's IBAN: its IBAN when it
 * gives one; otherwise its bank details (CFONB 120, OFX, CAMT `Othr/Id`) against the IBAN's parts
 * (a French IBAN: bank code, branch code, account number, RIB key). For a foreign IBAN, only what
 * follows the same national scheme is compared (a bank code of another shape says nothing). A
 * file without any account identity is not refused. Returns the file's account, described, when
 * it differs; null otherwise.
 */
export function otherAccount(
  accountIban: string,
  s: Pick<ParsedStatement, 'iban' | 'account'>,
): string | null {
  const own = ibanParts(accountIban);
  if (s.iban) return compact(s.iban) === own.iban ? null : s.iban;
  const id: StatementAccountIdentity | null | undefined = s.account;
  if (!id) return null;
  const bank = compact(id.bankCode);
  const branch = compact(id.branchCode);
  const account = compact(id.accountNumber);
  const key = compact(id.key);
  const differs = () => describeStatementAccount(s);
  if (own.rib) {
    // A bank given as a BIC (letters) is not a RIB bank code: the other parts are compared.
    if (bank && /^\d+$/.test(bank) && !sameCode(bank, own.bank)) return differs();
    if (branch && !sameCode(branch, own.branch)) return differs();
    if (key && !sameCode(key, own.key)) return differs();
    if (account && !ribAccountMatches(account, own)) return differs();
    return null;
  }
  // Another country's bank code (or a BIC) says nothing about this IBAN: the account still does.
  if (bank && own.bank && sameShape(bank, own.bank) && bank !== own.bank) return differs();
  if (branch && own.branch && sameShape(branch, own.branch) && branch !== own.branch)
    return differs();
  // An account number that an IBAN could hold (letters and digits) must be in its BBAN; one
  // written otherwise (`1452687~7`) cannot be compared.
  if (account && /^[A-Z0-9 .-]+$/i.test(id.accountNumber ?? '')) {
    const digits = withoutZeros(account);
    if (digits !== '' && !own.bban.includes(digits)) return differs();
  }
  return null;
}
