/**
 * What to do with a bank line that no ledger line explains (pure): the treasurer's label rules
 * (bank fees, subscriptions: "label contains X → account Y", as Odoo's reconciliation models)
 * and the account learned from the lines the treasurer already sent somewhere by hand.
 */
import { foldText, type BankLineFacts } from './matching';

export interface LabelRule {
  id: string;
  name: string;
  /** Compared without accents, case or spaces: "Frais  tenue" matches "FRAISTENUE DE COMPTE". */
  labelContains: string;
  /** Credits ('in'), debits ('out') or both. */
  direction: 'in' | 'out' | 'any';
  /** Bounds on the absolute amount, inclusive (null or absent: no bound). */
  minAmountCents?: number | null;
  maxAmountCents?: number | null;
  accountNumber: string;
  autoApply: boolean;
  /** Lower first: priority 1 is tried before priority 2. */
  priority: number;
}

export interface LearnedExample {
  label: string;
  accountNumber: string;
  /** Signed cents of the bank line, credits positive. */
  amountCents: number;
}

export interface LearnedSuggestion {
  accountNumber: string;
  /** Examples of the same signature and sign that went to this account. */
  count: number;
  signature: string;
}

/** Fewest concordant examples before the engine dares a suggestion. */
const MIN_LEARNED_EXAMPLES = 2;

function compact(text: string): string {
  return foldText(text).replace(/\s+/g, '');
}

function ruleApplies(
  line: BankLineFacts,
  rule: LabelRule,
  pattern: string,
  label: string,
): boolean {
  // An empty pattern would take every line: a rule must name something in the label.
  if (pattern.length === 0 || !label.includes(pattern)) return false;
  if (rule.direction === 'in' && line.amountCents <= 0) return false;
  if (rule.direction === 'out' && line.amountCents >= 0) return false;
  const amount = Math.abs(line.amountCents);
  if (rule.minAmountCents != null && amount < rule.minAmountCents) return false;
  if (rule.maxAmountCents != null && amount > rule.maxAmountCents) return false;
  return true;
}

/**
 * The rule for a line: among those whose label, direction and amount fit, the lowest priority
 * number, then the longest (most specific) label pattern, then the smallest id (stable).
 */
export function ruleFor(line: BankLineFacts, rules: readonly LabelRule[]): LabelRule | null {
  const label = compact(line.label);
  let best: LabelRule | null = null;
  let bestLength = 0;
  for (const rule of rules) {
    const pattern = compact(rule.labelContains);
    if (!ruleApplies(line, rule, pattern, label)) continue;
    const better =
      !best ||
      rule.priority < best.priority ||
      (rule.priority === best.priority &&
        (pattern.length > bestLength || (pattern.length === bestLength && rule.id < best.id)));
    if (better) {
      best = rule;
      bestLength = pattern.length;
    }
  }
  return best;
}

/**
 * What stays of a label from one month to the next: lowercase words without accents, without
 * any chunk holding a digit (dates, amounts, card numbers, references such as "ECH/150326" or
 * "po_1NQ8ZX") and without one-letter words. "PRLV SEPA FREE MOBILE 12345 ECH/150326" →
 * "prlv sepa free mobile".
 */
export function labelSignature(label: string): string {
  return foldText(label)
    .split(/\s+/)
    .filter((chunk) => !/[0-9]/.test(chunk))
    .flatMap((chunk) => chunk.split(/[^a-z]+/))
    .filter((word) => word.length > 1)
    .join(' ');
}

/** Per sign and signature, how many examples went to each account. */
type ExampleTally = Map<string, Map<string, number>>;

/**
 * Tallies by examples array: a statement asks once per line with the same examples, and the
 * signature of each example is computed once. The arrays are read-only inputs, so identity is
 * a sound key; a changed history comes as a new array.
 */
const tallies = new WeakMap<readonly LearnedExample[], ExampleTally>();

function tally(examples: readonly LearnedExample[]): ExampleTally {
  const known = tallies.get(examples);
  if (known) return known;
  const result: ExampleTally = new Map();
  for (const example of examples) {
    const sign = Math.sign(example.amountCents);
    const signature = labelSignature(example.label);
    if (sign === 0 || signature.length === 0) continue;
    const key = `${sign}:${signature}`;
    const accounts = result.get(key) ?? new Map<string, number>();
    accounts.set(example.accountNumber, (accounts.get(example.accountNumber) ?? 0) + 1);
    result.set(key, accounts);
  }
  tallies.set(examples, result);
  return result;
}

/**
 * The account the treasurer used for lines like this one: same label signature, same sign.
 * The most frequent account, when it has at least two examples and more than all the other
 * accounts together (a split history suggests nothing).
 */
export function learnedSuggestion(
  line: BankLineFacts,
  examples: readonly LearnedExample[],
): LearnedSuggestion | null {
  const signature = labelSignature(line.label);
  const sign = Math.sign(line.amountCents);
  if (signature.length === 0 || sign === 0) return null;
  const accounts = tally(examples).get(`${sign}:${signature}`);
  if (!accounts) return null;
  let accountNumber: string | null = null;
  let count = 0;
  let total = 0;
  for (const [account, n] of accounts) {
    total += n;
    if (n > count || (n === count && accountNumber !== null && account < accountNumber)) {
      accountNumber = account;
      count = n;
    }
  }
  if (accountNumber === null || count < MIN_LEARNED_EXAMPLES || count * 2 <= total) return null;
  return { accountNumber, count, signature };
}
