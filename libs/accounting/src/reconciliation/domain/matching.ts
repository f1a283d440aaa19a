/**
 * The matching engine's rules (pure): which ledger-side candidates a bank line may be, with a
 * score and the reasons, best first. Precision before recall: a wrong automatic match in the
 * books is worse than a suggestion left to the treasurer. See shared/domain/reconciliation.md.
 *
 * Score of a proposal (clamped to 0..100):
 *
 * | Component                                                                   | Points      |
 * |-----------------------------------------------------------------------------|-------------|
 * | amount equal (required: no proposal otherwise)                              | 50          |
 * | date distance 0 day / 1–2 days / 3 days up to the window (else no proposal) | +15/+10/+5  |
 * | a reference of the item found in the line, owned by this item only          | +35         |
 * | a reference of the item found in the line, shared by several items          | +5          |
 * | payer name: every word of the item's name (at least 2 words) in the line    | +35         |
 * | payer name: at least half of the words                                      | +10         |
 * | the only item of this amount in the line's window, at most 2 days away, the |             |
 * |   line the only one of this amount in the item's window, no conflict        |             |
 * |   (matchAll only)                                                           | +30         |
 * | the line carries the reference of another item (and none of this one's):    |             |
 * |   its own reference, or one it shares (a member number) if that item has    |             |
 * |   the line's amount and is in its window                                    | −40         |
 * | the line names a payer sharing no word with the item's name (ignored when   |             |
 * |   the item's own reference is found: someone paying for the member)         | −15         |
 * | n items summed (sums)                                                       | −10 × (n−1) |
 *
 * The date distance is the smaller of booking date and value date to the item's date; for a
 * group, the farthest item counts. References are compared on letters and digits only,
 * uppercase, and must stand on word boundaries in the label, structured reference or end-to-end
 * id (several consecutive words may form one: "RF18 5390 0754 7034").
 *
 * Evidence: an owned reference, the uniqueness above, or a full payer name; the name alone
 * (without even a shared reference of the item, such as the member number) only with
 * `applyOnNameAlone`, since a namesake, or someone paying for another member, looks exactly
 * the same. Conflict: another item's reference, or another payer's name. A proposal is applied
 * automatically only when all of these hold:
 * - it is a single item, its score reaches `autoThreshold`, it has evidence and no conflict;
 * - it is the only proposal of the line reaching the threshold;
 * - when the name is its evidence, no other item of the line's window fits that name in part
 *   through a word few names of the pool carry (a last name: relatives pay for one another),
 *   unless (matchAll) that item reaches the threshold for a line of its own;
 * - (matchAll) its item reaches the threshold for no other line ("also fits line X").
 * Amount and date alone score at most 65, with a shared reference and part of a name at most
 * 80: without evidence nothing reaches the default threshold of 90, and the gate above does
 * not rely on that arithmetic either. `propose` sees one line: no uniqueness there.
 *
 * Kinds: every kind of candidate is weighed in the same pass, each within its own date window
 * (`windowDaysByKind`: announced transfers arrive weeks after being announced), so that an item
 * is never "the only one of this amount" beside an item of another kind, and a line carrying an
 * announced transfer's reference is never applied to a ledger line. Proposals the treasurer
 * rejected for a line (`rejected`) are never proposed nor applied for it again.
 *
 * Sums (several ledger lines or expected payments for one bank line, never payouts or deposit
 * slips, which are totals already, and never items of different kinds) are looked for only
 * when no single item has the amount, among the `maxGroupCandidates` nearest items of the same
 * sign in the window that no other line claims (matchAll: reaches the threshold for), at most
 * `maxGroupSize` items, and are never applied automatically.
 *
 * One-to-many (several bank lines for one item: a deposit slip credited in two lines, an
 * invoice paid in two transfers; matchAll only): for an item (ledger line, payout, deposit
 * slip) that no line of the batch has the amount of in the item's window and that no line
 * claims, 2 to `maxGroupSize` lines of its sign, with no single item of their own, summing
 * exactly to it, among the 12 lines nearest its date (at most 2,000 combinations tried, in a
 * fixed order). Scored as a sum (−10 per extra line, waived when every line carries the
 * item's own reference), offered on each of its lines (`bankLineIds`), and applied only when
 * every line carries the item's own reference, without conflict, it is the only sum found for
 * the item (the search not cut short) and no other proposal of its lines reaches the threshold.
 *
 * Cost: items indexed by amount and sorted by day, a date window found by binary search, so a
 * batch is O((lines + items) log items) plus the items actually scored per line, which is
 * bounded: above `maxWindowCandidates` items of the same amount in a window (standing orders
 * on the 5th of the month), only those the line names (reference, a payer-name word) and the
 * nearest by date are scored; the others could not reach the threshold anyway.
 */

export interface BankLineFacts {
  id: string;
  bookingDate: string;
  valueDate: string | null;
  /** Signed cents: credits positive. */
  amountCents: number;
  label: string;
  structuredReference: string | null;
  endToEndId: string | null;
  counterpartyName: string | null;
}

export type CandidateKind = 'ledger_line' | 'payout' | 'cheque_deposit' | 'expected_payment';

export interface Candidate {
  id: string;
  kind: CandidateKind;
  date: string;
  /** Signed cents as the bank should show them (a payout or a deposit: positive). */
  amountCents: number;
  /** References the bank line may carry: payout id, statement descriptor, slip number, member reference... */
  references: string[];
  /** The payer or payee, for name similarity (expected payments). */
  name: string | null;
}

export interface Proposal {
  candidateIds: string[];
  kind: CandidateKind;
  score: number;
  reasons: string[];
  /**
   * One-to-many (several bank lines for one candidate): every bank line of the group, this one
   * among them, in the batch's order. Absent when the proposal is for this line alone.
   */
  bankLineIds?: string[];
}

export interface MatchingOptions {
  /** Days between the bank date and the candidate's date still considered (default 5). */
  windowDays: number;
  /** Score from which a proposal may be applied alone (default 90). */
  autoThreshold: number;
  /** Bounded search of several candidates summing to the line (count and candidates considered). */
  maxGroupSize: number;
  maxGroupCandidates: number;
  /** Proposals returned per line, best first (default 5). */
  maxProposals?: number;
  /**
   * Above this many candidates of the line's amount in its window, only those the line names
   * (reference, payer-name word) and the nearest by date are scored (default 16).
   */
  maxWindowCandidates?: number;
  /**
   * Whether a full payer name with no reference of the item may be applied alone (default
   * false). A namesake of a member, or someone paying for another member, looks exactly like
   * the member paying: on the benchmark's years this costs about one wrong match per 6,000
   * lines, against about 28 % more lines applied. With a member number (a reference shared by
   * the member's items) the name is applied either way.
   */
  applyOnNameAlone?: boolean;
  /**
   * A wider (or narrower) window for some kinds of candidates than `windowDays`: an announced
   * transfer arrives days or weeks after being announced. Every kind is weighed in the same
   * pass, so that an item of one kind is never "the only item of this amount" beside an item
   * of another kind, nor chosen when the line carries the other item's reference.
   */
  windowDaysByKind?: Partial<Record<CandidateKind, number>>;
  /**
   * Proposals the treasurer rejected, per bank line id: the keys (see `proposalKey`) of the
   * single items or sums never to propose again for that line. They still count as items of
   * the amount (no uniqueness beside them), which only keeps the engine cautious.
   */
  rejected?: ReadonlyMap<string, ReadonlySet<string>>;
}

/** The identity of a proposal (one item or a sum), as stored by a rejection: its ids, sorted. */
export function proposalKey(candidateIds: readonly string[]): string {
  return [...candidateIds].sort().join(',');
}

export const DEFAULT_MATCHING: Required<MatchingOptions> = {
  windowDays: 5,
  autoThreshold: 90,
  maxGroupSize: 4,
  maxGroupCandidates: 20,
  maxProposals: 5,
  maxWindowCandidates: 16,
  applyOnNameAlone: false,
  windowDaysByKind: {},
  rejected: new Map(),
};

/** The proposals for one bank line of a batch, best first, and the one to apply, if any. */
export interface LineResult {
  lineId: string;
  proposals: Proposal[];
  auto: Proposal | null;
}

const POINTS = {
  amountEqual: 50,
  sameDay: 15,
  withinTwoDays: 10,
  withinWindow: 5,
  ownedReference: 35,
  sharedReference: 5,
  fullName: 35,
  partName: 10,
  onlyOfItsAmount: 30,
  otherReference: -40,
  otherPayer: -15,
  perExtraItem: -10,
} as const;

/**
 * "Near": booked within the next working days. Uniqueness counts only this close: further
 * away, the line may well be another payment.
 */
const NEAR_DAYS = 2;
/** A full payer name needs two words: "MARTIN" alone names too many people. */
const FULL_NAME_MIN_WORDS = 2;
/** Banks cut names: "LAFONTA" still stands for "Lafontaine", from 5 letters on. */
const MIN_TRUNCATED_WORD = 5;
const MIN_REFERENCE_LENGTH = 4;
/** Digits-only references (slip numbers) need more digits: amounts and dates are digits too. */
const MIN_NUMERIC_REFERENCE_LENGTH = 5;
/** Words of a label joined to find a reference printed in groups ("RF18 5390 0754 7034"). */
const MAX_REFERENCE_WORDS = 6;
const MAX_GROUPS = 5;
/**
 * A name word held by at least this share of the pool's names (and this many) is common: a
 * first name such as "Jean", which says nothing about kinship.
 */
const COMMON_WORD_SHARE = 0.005;
const COMMON_WORD_MIN_NAMES = 3;
/** Words of a counterparty name that name nobody: civilities and legal forms. */
const NOT_A_NAME = new Set(['mr', 'mme', 'mlle', 'monsieur', 'madame', 'ou', 'et', 'sarl', 'sas']);

const DAY_MS = 86_400_000;
const NO_HITS: ReadonlyMap<number, ReferenceHit> = new Map();
const NON_ASCII = /[\u0080-\uffff]/;

/** Day number of a `YYYY-MM-DD` date (anything after the day is ignored); NaN when unreadable. */
export function dayNumber(isoDate: string): number {
  if (isoDate.length < 10 || isoDate[4] !== '-' || isoDate[7] !== '-') return Number.NaN;
  const year = Number(isoDate.slice(0, 4));
  const month = Number(isoDate.slice(5, 7));
  const day = Number(isoDate.slice(8, 10));
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) {
    return Number.NaN;
  }
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

/** Lowercase without accents: "Dupré" → "dupre". */
export function foldText(text: string): string {
  // Most labels and references are plain ASCII: skip the (costly) Unicode decomposition.
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/** Lowercase, no accents, letters and digits only, tokens sorted: "Dupré Jean-Marie" = "JEAN MARIE DUPRE". */
export function nameTokens(name: string): string[] {
  return foldText(name)
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 1)
    .sort();
}

/** Lowercase words of a text without accents, in their order (one letter is no word). */
function wordsOf(text: string): string[] {
  return foldText(text)
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 1);
}

/** The words of bank texts, and the last word of each, which the bank may have cut. */
interface BankWords {
  readonly all: ReadonlySet<string>;
  readonly cut: readonly string[];
}

function bankWords(...texts: (string | null)[]): BankWords {
  const all = new Set<string>();
  const cut: string[] = [];
  for (const text of texts) {
    if (!text) continue;
    const words = wordsOf(text);
    for (const word of words) all.add(word);
    const last = words[words.length - 1];
    if (last && last.length >= MIN_TRUNCATED_WORD) cut.push(last);
  }
  return { all, cut };
}

/**
 * Whether the bank text holds the word, or its beginning when the bank cut the text there.
 * `wanted` is the whole name: a bank word that is one of its words is not also the beginning
 * of another ("L MARTIN" does not name "Martine Martin").
 */
function holds(have: BankWords, word: string, wanted: readonly string[]): boolean {
  if (have.all.has(word)) return true;
  for (const cut of have.cut) {
    if (cut.length < word.length && word.startsWith(cut) && !wanted.includes(cut)) return true;
  }
  return false;
}

/** Share of the wanted words present (or cut by the bank, see MIN_TRUNCATED_WORD) in `have`. */
function shareFound(wanted: readonly string[], have: BankWords): number {
  if (wanted.length === 0) return 0;
  let found = 0;
  for (const word of wanted) if (holds(have, word, wanted)) found++;
  return found / wanted.length;
}

/** Share of the candidate's name tokens found in the bank text (0..1). */
export function nameSimilarity(bankText: string, name: string): number {
  return shareFound(uniqueWords(nameTokens(name)), bankWords(bankText));
}

function uniqueWords(tokens: readonly string[]): string[] {
  return [...new Set(tokens)];
}

/** A reference as compared: uppercase letters and digits only; null when too weak to count. */
function referenceKey(reference: string): string | null {
  const key = foldText(reference)
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '');
  const min = /^[0-9]+$/.test(key) ? MIN_NUMERIC_REFERENCE_LENGTH : MIN_REFERENCE_LENGTH;
  return key.length >= min ? key : null;
}

interface PreparedCandidate {
  readonly source: Candidate;
  /** Position in the input, for stable ordering. */
  readonly index: number;
  readonly day: number;
  readonly nameWords: readonly string[];
}

interface ReferenceHit {
  /** The reference as the candidate spells it. */
  readonly text: string;
  /** Owned by this candidate only (else shared, e.g. a statement descriptor on every payout). */
  readonly owned: boolean;
}

interface PreparedLine {
  readonly source: BankLineFacts;
  readonly index: number;
  readonly bookingDay: number;
  /** NaN when the bank gives no value date. */
  readonly valueDay: number;
  readonly firstDay: number;
  readonly lastDay: number;
  /** Folded words of the label and counterparty, for payer names. */
  readonly words: BankWords;
  /** The counterparty names someone (so a payer with none of its words is another payer). */
  readonly namesPayer: boolean;
  /** Candidates (by index) whose references the line carries. */
  readonly references: ReadonlyMap<number, ReferenceHit>;
  /** Candidates whose own (unshared) reference the line carries: a line names at most a few. */
  readonly ownedReferences: readonly PreparedCandidate[];
}

/** How the payer's name compares (see the score table). */
type NameFit = 'full' | 'part' | 'other' | 'none';

/** A scored proposal; its reasons are written only for the proposals kept (see describe). */
interface Evaluation {
  readonly items: readonly PreparedCandidate[];
  readonly score: number;
  readonly distance: number;
  readonly reference: ReferenceHit | null;
  /** The item whose own reference the line carries instead (a conflict). */
  readonly otherReference: PreparedCandidate | null;
  readonly name: NameFit;
  /** Best share of an item's name words found in the line (0..1). */
  readonly nameShare: number;
  readonly onlyOfItsAmount: boolean;
  readonly evidence: boolean;
  readonly conflict: boolean;
  /** Why a proposal that could have been applied is not (written after scoring). */
  notes: string[] | null;
}

interface ReferenceEntry {
  readonly text: string;
  readonly candidates: number[];
}

/** Sorted by day then input order; binary searches below rely on it. */
function byDay(a: PreparedCandidate, b: PreparedCandidate): number {
  return a.day - b.day || a.index - b.index;
}

/** First position whose day is >= `day` in an array sorted by day. */
function lowerBound<T>(sorted: readonly T[], day: number, dayOf: (item: T) => number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (dayOf(sorted[mid]) < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const candidateDay = (c: PreparedCandidate) => c.day;

function distanceTo(line: PreparedLine, day: number): number {
  const booking = Math.abs(line.bookingDay - day);
  const value = Math.abs(line.valueDay - day);
  // NaN (no value date) loses every comparison: the booking date counts alone.
  return value < booking ? value : booking;
}

function appendTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Everything computed once per batch: candidates by amount, by reference, by payer word. */
class CandidateIndex {
  readonly all: PreparedCandidate[];
  /** Per amount, then per kind (each kind has its own date window). */
  readonly byAmount = new Map<number, Map<CandidateKind, PreparedCandidate[]>>();
  /** Per amount and payer-name word: only consulted for crowded windows. */
  readonly byAmountAndWord = new Map<number, Map<string, PreparedCandidate[]>>();
  readonly byReference = new Map<string, ReferenceEntry>();
  /** Items a sum may use, per kind (a sum never mixes kinds): credits and debits, by day. */
  readonly groupable = new Map<
    CandidateKind,
    { credits: PreparedCandidate[]; debits: PreparedCandidate[] }
  >();
  readonly longestReference: number;
  /** The first MIN_REFERENCE_LENGTH characters of every reference. */
  private readonly referenceHeads = new Set<string>();
  /** How many distinct names in the pool hold each word, and from how many on a word is common. */
  private readonly namesWithWord = new Map<string, number>();
  private readonly commonWordNames: number;

  constructor(candidates: readonly Candidate[]) {
    // A member's name comes back on each of their expected payments: fold it once.
    const wordsOfName = new Map<string, readonly string[]>();
    const nameWords = (name: string) => {
      let words = wordsOfName.get(name);
      if (!words) wordsOfName.set(name, (words = uniqueWords(nameTokens(name))));
      return words;
    };
    this.all = candidates.map((source, index) => ({
      source,
      index,
      day: dayNumber(source.date),
      nameWords: source.name ? nameWords(source.name) : [],
    }));
    let longest = 0;
    for (const c of this.all) {
      // An item without a readable date or amount can be matched by nobody.
      if (Number.isNaN(c.day) || c.source.amountCents === 0) continue;
      let kinds = this.byAmount.get(c.source.amountCents);
      if (!kinds)
        this.byAmount.set(
          c.source.amountCents,
          (kinds = new Map<CandidateKind, PreparedCandidate[]>()),
        );
      appendTo(kinds, c.source.kind, c);
      for (const word of c.nameWords) {
        let words = this.byAmountAndWord.get(c.source.amountCents);
        if (!words) {
          words = new Map<string, PreparedCandidate[]>();
          this.byAmountAndWord.set(c.source.amountCents, words);
        }
        appendTo(words, word, c);
      }
      // Payouts and deposit slips are already totals of their own: never summed with others.
      if (c.source.kind === 'ledger_line' || c.source.kind === 'expected_payment') {
        let pools = this.groupable.get(c.source.kind);
        if (!pools) this.groupable.set(c.source.kind, (pools = { credits: [], debits: [] }));
        (c.source.amountCents > 0 ? pools.credits : pools.debits).push(c);
      }
      for (const reference of c.source.references) {
        const key = referenceKey(reference);
        if (!key) continue;
        longest = Math.max(longest, key.length);
        this.referenceHeads.add(key.slice(0, MIN_REFERENCE_LENGTH));
        const entry = this.byReference.get(key);
        if (!entry) this.byReference.set(key, { text: reference, candidates: [c.index] });
        else if (!entry.candidates.includes(c.index)) entry.candidates.push(c.index);
      }
    }
    this.longestReference = longest;
    const names = new Set<string>();
    for (const c of this.all) if (c.nameWords.length > 0) names.add(c.nameWords.join(' '));
    for (const name of names) {
      for (const word of name.split(' ')) {
        this.namesWithWord.set(word, (this.namesWithWord.get(word) ?? 0) + 1);
      }
    }
    this.commonWordNames = Math.max(
      COMMON_WORD_MIN_NAMES,
      Math.ceil(names.size * COMMON_WORD_SHARE),
    );
    for (const kinds of this.byAmount.values()) for (const list of kinds.values()) list.sort(byDay);
    for (const words of this.byAmountAndWord.values()) {
      for (const list of words.values()) list.sort(byDay);
    }
    for (const pools of this.groupable.values()) {
      pools.credits.sort(byDay);
      pools.debits.sort(byDay);
    }
  }

  /** A word carried by few names of the pool: a last name more likely than a first name. */
  isRareNameWord(word: string): boolean {
    return (this.namesWithWord.get(word) ?? 0) < this.commonWordNames;
  }

  /** Which candidates' references the texts carry, on word boundaries. */
  referencesIn(texts: readonly string[]): ReadonlyMap<number, ReferenceHit> {
    // Most lines carry no reference: they share one empty map.
    let hits: Map<number, ReferenceHit> | null = null;
    if (this.byReference.size === 0) return NO_HITS;
    for (const text of texts) {
      const words = foldText(text)
        .toUpperCase()
        .split(/[^A-Z0-9]+/)
        .filter((w) => w.length > 0);
      for (let start = 0; start < words.length; start++) {
        let joined = '';
        for (let end = start; end < words.length && end < start + MAX_REFERENCE_WORDS; end++) {
          const before = joined.length;
          joined += words[end];
          if (joined.length > this.longestReference) break;
          if (joined.length < MIN_REFERENCE_LENGTH) continue;
          // Most runs start no reference: their first letters tell, before any longer run.
          if (
            before < MIN_REFERENCE_LENGTH &&
            !this.referenceHeads.has(joined.slice(0, MIN_REFERENCE_LENGTH))
          ) {
            break;
          }
          const entry = this.byReference.get(joined);
          if (!entry) continue;
          const owned = entry.candidates.length === 1;
          hits ??= new Map();
          for (const index of entry.candidates) {
            const known = hits.get(index);
            if (!known || (owned && !known.owned)) hits.set(index, { text: entry.text, owned });
          }
        }
      }
    }
    return hits ?? NO_HITS;
  }
}

function prepareLine(line: BankLineFacts, index: number, candidates: CandidateIndex): PreparedLine {
  const bookingDay = dayNumber(line.bookingDate);
  const valueDay = line.valueDate ? dayNumber(line.valueDate) : Number.NaN;
  const days = Number.isNaN(valueDay) ? [bookingDay] : [bookingDay, valueDay];
  const payerWords = line.counterpartyName
    ? nameTokens(line.counterpartyName).filter((w) => !NOT_A_NAME.has(w))
    : [];
  const references = candidates.referencesIn(
    [line.label, line.structuredReference, line.endToEndId].filter(
      (t): t is string => typeof t === 'string' && t.length > 0,
    ),
  );
  const ownedReferences: PreparedCandidate[] = [];
  for (const [candidate, hit] of references) {
    if (hit.owned) ownedReferences.push(candidates.all[candidate]);
  }
  return {
    source: line,
    index,
    bookingDay,
    valueDay,
    firstDay: Math.min(...days),
    lastDay: Math.max(...days),
    words: bankWords(line.counterpartyName, line.label),
    namesPayer: payerWords.length > 0,
    references,
    ownedReferences,
  };
}

/** Lines indexed by amount, sorted by day: "no other line of this amount near that item". */
class LineIndex {
  private readonly byAmount = new Map<number, PreparedLine[]>();
  /** Widest gap between a line's booking and value dates, to widen the binary searches. */
  private readonly widestSpan: number;

  constructor(lines: readonly PreparedLine[]) {
    let widest = 0;
    for (const line of lines) {
      if (Number.isNaN(line.bookingDay)) continue;
      appendTo(this.byAmount, line.source.amountCents, line);
      widest = Math.max(widest, line.lastDay - line.firstDay);
    }
    this.widestSpan = widest;
    for (const list of this.byAmount.values()) {
      list.sort((a, b) => a.bookingDay - b.bookingDay || a.index - b.index);
    }
  }

  /** Whether `line` is the only line of its amount within `windowDays` of `day`. */
  isAloneNear(line: PreparedLine, day: number, windowDays: number): boolean {
    return !this.anyNear(line.source.amountCents, day, windowDays, line);
  }

  /** Whether a line (other than `except`) of this amount is within `windowDays` of `day`. */
  anyNear(amountCents: number, day: number, windowDays: number, except?: PreparedLine): boolean {
    const list = this.byAmount.get(amountCents) ?? [];
    const from = day - windowDays - this.widestSpan;
    let i = lowerBound(list, from, (l) => l.bookingDay);
    for (; i < list.length && list[i].bookingDay <= day + windowDays + this.widestSpan; i++) {
      const other = list[i];
      if (other !== except && distanceTo(other, day) <= windowDays) return true;
    }
    return false;
  }
}

interface EngineSettings {
  readonly options: Required<MatchingOptions>;
  /** The date window of each kind of candidate. */
  readonly windows: Readonly<Record<CandidateKind, number>>;
  /** Null when the other lines are unknown (propose): uniqueness cannot be told then. */
  readonly lines: LineIndex | null;
}

function datePoints(distance: number): number {
  if (distance === 0) return POINTS.sameDay;
  return distance <= NEAR_DAYS ? POINTS.withinTwoDays : POINTS.withinWindow;
}

/**
 * Scores a single item or a group whose amounts already sum to the line's and whose dates are
 * within the window. `onlyOfItsAmount`: the uniqueness evidence (single items, matchAll only).
 */
function evaluate(
  line: PreparedLine,
  items: readonly PreparedCandidate[],
  onlyOfItsAmount: boolean,
  referencedNearby: readonly PreparedCandidate[],
): Evaluation {
  let distance = 0;
  for (const item of items) distance = Math.max(distance, distanceTo(line, item.day));
  let score = POINTS.amountEqual + datePoints(distance);

  let reference: ReferenceHit | null = null;
  for (const item of items) {
    const found = line.references.get(item.index);
    if (found && (!reference || (found.owned && !reference.owned))) reference = found;
  }
  let otherReference: PreparedCandidate | null = null;
  if (reference?.owned) score += POINTS.ownedReference;
  else {
    if (reference) score += POINTS.sharedReference;
    // The line names another item by its own reference (anywhere), or, without one of this
    // item, by a reference it shares with others (a member number) among the items of the
    // line's amount and window: this one is likely not it.
    if (line.ownedReferences.length > 0) {
      otherReference = line.ownedReferences.find((c) => !items.includes(c)) ?? null;
    }
    if (!otherReference && !reference && referencedNearby.length > 0) {
      otherReference = referencedNearby.find((c) => !items.includes(c)) ?? null;
    }
    if (otherReference) score += POINTS.otherReference;
  }

  let name: NameFit = 'none';
  let nameShare = 0;
  let nameWords = 0;
  for (const item of items) {
    if (item.nameWords.length === 0) continue;
    const share = shareFound(item.nameWords, line.words);
    if (
      name === 'none' ||
      share > nameShare ||
      (share === nameShare && item.nameWords.length > nameWords)
    ) {
      nameShare = share;
      nameWords = item.nameWords.length;
      name = 'other';
    }
  }
  if (name !== 'none') {
    if (nameShare >= 1 && nameWords >= FULL_NAME_MIN_WORDS) {
      name = 'full';
      score += POINTS.fullName;
    } else if (nameShare >= 0.5) {
      name = 'part';
      score += POINTS.partName;
    } else if (nameShare === 0 && line.namesPayer && !reference?.owned) {
      // With the item's own reference, another payer is a relative or a company paying for
      // the member: the reference names the item, not the payer.
      score += POINTS.otherPayer;
    } else name = 'none';
  }

  const conflict = otherReference !== null || name === 'other';
  // Being the only item around proves nothing against a contradicting reference or payer.
  const unique = onlyOfItsAmount && !conflict;
  if (unique) score += POINTS.onlyOfItsAmount;
  if (items.length > 1) score += POINTS.perExtraItem * (items.length - 1);
  return {
    items,
    score: Math.max(0, Math.min(100, score)),
    distance,
    reference,
    otherReference,
    name,
    nameShare,
    onlyOfItsAmount: unique,
    evidence: reference?.owned === true || name === 'full' || unique,
    conflict,
    notes: null,
  };
}

const DATE_REASONS = Array.from({ length: 32 }, (_, d) =>
  d === 0 ? 'same day' : `${d} day(s) apart`,
);

function dateReason(distance: number): string {
  return DATE_REASONS[distance] ?? `${distance} day(s) apart`;
}

/** The reasons of a proposal, in the order of the score table. */
function describe(evaluation: Evaluation): string[] {
  const { distance, reference, otherReference, name, items } = evaluation;
  const reasons = ['amount equal', dateReason(distance)];
  if (reference)
    reasons.push(`${reference.owned ? 'reference' : 'shared reference'} ${reference.text}`);
  if (otherReference) reasons.push(`reference of ${otherReference.source.id}`);
  if (name === 'full') reasons.push('payer name');
  else if (name === 'part') reasons.push('payer name in part');
  else if (name === 'other') reasons.push('other payer name');
  if (evaluation.onlyOfItsAmount) reasons.push('only item of this amount nearby');
  if (items.length > 1) reasons.push(`${items.length} items summed`);
  if (evaluation.notes) reasons.push(...evaluation.notes);
  return reasons;
}

function addNote(evaluation: Evaluation, note: string): void {
  (evaluation.notes ??= []).push(note);
}

/** The single items of the line's amount within their kind's window, scored; bounded when crowded. */
function singles(
  line: PreparedLine,
  index: CandidateIndex,
  settings: EngineSettings,
  referencedNearby: readonly PreparedCandidate[],
): Evaluation[] {
  const { maxWindowCandidates, maxProposals } = settings.options;
  const amount = line.source.amountCents;
  const kinds = index.byAmount.get(amount);
  if (!kinds) return [];

  const chosen: PreparedCandidate[] = [];
  let crowded = false;
  for (const [kind, bucket] of kinds) {
    const windowDays = settings.windows[kind];
    const from = lowerBound(bucket, line.firstDay - windowDays, candidateDay);
    const to = lowerBound(bucket, line.lastDay + windowDays + 1, candidateDay);
    if (from === to) continue;
    if (to - from <= maxWindowCandidates) {
      for (let i = from; i < to; i++) {
        if (distanceTo(line, bucket[i].day) <= windowDays) chosen.push(bucket[i]);
      }
      continue;
    }
    // Crowded window: only the items the line names, and the nearest by date as suggestions.
    // The others score amount + date at most (65), below any auto-apply.
    crowded = true;
    const picked = new Set<number>();
    const pick = (c: PreparedCandidate) => {
      if (c.source.kind === kind && !picked.has(c.index) && distanceTo(line, c.day) <= windowDays) {
        picked.add(c.index);
        chosen.push(c);
      }
    };
    for (const candidate of line.references.keys()) {
      const c = index.all[candidate];
      if (c.source.amountCents === amount) pick(c);
    }
    const namesOfAmount = index.byAmountAndWord.get(amount);
    for (const word of namesOfAmount ? line.words.all : []) {
      const list = namesOfAmount?.get(word);
      if (!list) continue;
      const end = lowerBound(list, line.lastDay + windowDays + 1, candidateDay);
      for (let i = lowerBound(list, line.firstDay - windowDays, candidateDay); i < end; i++) {
        pick(list[i]);
      }
    }
    let before = lowerBound(bucket, line.bookingDay, candidateDay) - 1;
    let after = before + 1;
    for (let n = 0; n < maxProposals && (before >= from || after < to); n++) {
      const takeBefore =
        after >= to ||
        (before >= from &&
          line.bookingDay - bucket[before].day <= bucket[after].day - line.bookingDay);
      pick(takeBefore ? bucket[before--] : bucket[after++]);
    }
  }

  // Uniqueness looks at every kind at once: a ledger line is not "the only item of this
  // amount" beside an announced transfer of the same amount.
  return chosen.map((c) => {
    const only =
      !crowded &&
      chosen.length === 1 &&
      settings.lines !== null &&
      distanceTo(line, c.day) <= NEAR_DAYS &&
      settings.lines.isAloneNear(line, c.day, settings.windows[c.source.kind]);
    return evaluate(line, [c], only, referencedNearby);
  });
}

/** Groupable items summing exactly to the line: the nearest by date, bounded in size and count. */
function groups(
  line: PreparedLine,
  index: CandidateIndex,
  settings: EngineSettings,
  referencedNearby: readonly PreparedCandidate[],
  taken: ReadonlySet<number>,
): Evaluation[] {
  const found: Evaluation[] = [];
  for (const [kind, pools] of index.groupable) {
    const pool = line.source.amountCents > 0 ? pools.credits : pools.debits;
    found.push(
      ...groupsOf(line, pool, settings.windows[kind], settings.options, referencedNearby, taken),
    );
  }
  return found;
}

/** Sums of one kind of items (a pool sorted by day) within that kind's window. */
function groupsOf(
  line: PreparedLine,
  pool: readonly PreparedCandidate[],
  windowDays: number,
  options: MatchingOptions,
  referencedNearby: readonly PreparedCandidate[],
  taken: ReadonlySet<number>,
): Evaluation[] {
  const { maxGroupCandidates, maxGroupSize } = options;
  const target = Math.abs(line.source.amountCents);
  const from = lowerBound(pool, line.firstDay - windowDays, candidateDay);
  const to = lowerBound(pool, line.lastDay + windowDays + 1, candidateDay);
  const near: PreparedCandidate[] = [];
  let before = lowerBound(pool, line.bookingDay, candidateDay) - 1;
  let after = before + 1;
  // Items larger than the line, and items another line claims (see matchAll), are skipped;
  // the scan itself is bounded too, for a small line in a crowded window.
  let scanned = 0;
  const maxScanned = maxGroupCandidates * 16;
  while (
    near.length < maxGroupCandidates &&
    scanned++ < maxScanned &&
    (before >= from || after < to)
  ) {
    const takeBefore =
      after >= to ||
      (before >= from && line.bookingDay - pool[before].day <= pool[after].day - line.bookingDay);
    const c = takeBefore ? pool[before--] : pool[after++];
    if (
      Math.abs(c.source.amountCents) < target &&
      !taken.has(c.index) &&
      distanceTo(line, c.day) <= windowDays
    ) {
      near.push(c);
    }
  }
  // Smallest first, so that a sum past the target ends the loop at that depth.
  near.sort(
    (a, b) => Math.abs(a.source.amountCents) - Math.abs(b.source.amountCents) || a.index - b.index,
  );

  const found: PreparedCandidate[][] = [];
  const chosen: PreparedCandidate[] = [];
  const walk = (start: number, sum: number): void => {
    for (let i = start; i < near.length && found.length < MAX_GROUPS; i++) {
      const next = sum + Math.abs(near[i].source.amountCents);
      if (next > target) break;
      chosen.push(near[i]);
      if (next === target) {
        if (chosen.length >= 2) found.push([...chosen]);
      } else if (chosen.length < maxGroupSize) {
        walk(i + 1, next);
      }
      chosen.pop();
    }
  };
  walk(0, 0);
  return found.map((items) => evaluate(line, items, false, referencedNearby));
}

// ---- One-to-many: several bank lines for one item ----------------------------------------

/** Bank lines a one-to-many sum may use per item, at most: the nearest to the item's date. */
const MAX_SPLIT_LINES = 12;
/** Combinations of bank lines tried per item, at most (the order is fixed: deterministic). */
const MAX_SPLIT_COMBINATIONS = 2_000;
/** Items a bank may credit or debit in several lines (an announced transfer is paid at once). */
const SPLITTABLE: ReadonlySet<CandidateKind> = new Set<CandidateKind>([
  'ledger_line',
  'payout',
  'cheque_deposit',
]);

interface Split {
  readonly lines: readonly PreparedLine[];
  readonly proposal: Proposal;
  /** Every line carries the item's own reference, no conflict, the only sum found: may be applied. */
  readonly certain: boolean;
}

const lineDay = (l: PreparedLine) => l.bookingDay;

/**
 * Sets of 2 to `maxSize` lines of `pool` (one sign, sorted by booking day) within the window
 * whose amounts sum exactly to the item's, among the MAX_SPLIT_LINES nearest lines smaller
 * than it. `complete`: the search was not cut short (else nothing may be applied).
 */
function splitsOf(
  item: PreparedCandidate,
  pool: readonly PreparedLine[],
  widestSpan: number,
  windowDays: number,
  maxSize: number,
): { found: PreparedLine[][]; complete: boolean } {
  const target = Math.abs(item.source.amountCents);
  const from = lowerBound(pool, item.day - windowDays - widestSpan, lineDay);
  const to = lowerBound(pool, item.day + windowDays + widestSpan + 1, lineDay);
  const near: PreparedLine[] = [];
  let before = lowerBound(pool, item.day, lineDay) - 1;
  let after = before + 1;
  let scanned = 0;
  let complete = true;
  while (before >= from || after < to) {
    if (near.length >= MAX_SPLIT_LINES || scanned++ >= MAX_SPLIT_LINES * 16) {
      complete = false;
      break;
    }
    const takeBefore =
      after >= to ||
      (before >= from && item.day - pool[before].bookingDay <= pool[after].bookingDay - item.day);
    const line = takeBefore ? pool[before--] : pool[after++];
    if (Math.abs(line.source.amountCents) < target && distanceTo(line, item.day) <= windowDays) {
      near.push(line);
    }
  }
  // Smallest first, so that a sum past the target ends the loop at that depth.
  near.sort(
    (a, b) =>
      Math.abs(a.source.amountCents) - Math.abs(b.source.amountCents) ||
      a.bookingDay - b.bookingDay ||
      a.index - b.index,
  );
  const found: PreparedLine[][] = [];
  const chosen: PreparedLine[] = [];
  let tried = 0;
  const walk = (start: number, sum: number): void => {
    for (let i = start; i < near.length; i++) {
      if (found.length >= MAX_GROUPS || tried++ >= MAX_SPLIT_COMBINATIONS) {
        complete = false;
        return;
      }
      const next = sum + Math.abs(near[i].source.amountCents);
      if (next > target) break;
      chosen.push(near[i]);
      if (next === target) {
        if (chosen.length >= 2) found.push([...chosen]);
      } else if (chosen.length < maxSize) {
        walk(i + 1, next);
      }
      chosen.pop();
    }
  };
  walk(0, 0);
  return { found, complete };
}

/** Scores one item against several bank lines summing to it (see the score table). */
function evaluateSplit(
  item: PreparedCandidate,
  lines: readonly PreparedLine[],
): { score: number; reasons: string[]; certain: boolean } {
  let distance = 0;
  for (const line of lines) distance = Math.max(distance, distanceTo(line, item.day));
  let score = POINTS.amountEqual + datePoints(distance);
  const reasons = ['amount equal', dateReason(distance)];
  const hits = lines.map((l) => l.references.get(item.index));
  const everyLine = hits.every((h) => h?.owned === true);
  const some = hits.find((h) => h !== undefined);
  if (everyLine) {
    score += POINTS.ownedReference;
    reasons.push(`reference ${some?.text ?? ''} on every line`);
  } else if (some) {
    score += POINTS.sharedReference;
    reasons.push(`${some.owned ? 'reference' : 'shared reference'} ${some.text} on some lines`);
  }
  const other = lines.flatMap((l) => l.ownedReferences).find((c) => c !== item) ?? null;
  if (other) {
    score += POINTS.otherReference;
    reasons.push(`reference of ${other.source.id}`);
  }
  const otherPayer =
    !everyLine &&
    item.nameWords.length > 0 &&
    lines.some((l) => l.namesPayer && shareFound(item.nameWords, l.words) === 0);
  if (otherPayer) {
    score += POINTS.otherPayer;
    reasons.push('other payer name');
  }
  // The item's own reference on every line is the certainty; without it, each extra line is
  // one more chance of a coincidence.
  if (!everyLine) score += POINTS.perExtraItem * (lines.length - 1);
  reasons.push(`${lines.length} bank lines summed`);
  return {
    score: Math.max(0, Math.min(100, score)),
    reasons,
    certain: everyLine && !other && !otherPayer,
  };
}

/**
 * One-to-many proposals, per line index: an item (ledger line, payout, deposit slip) no line
 * of the batch has the amount of in its window, and that no line claims, against 2 to
 * `maxGroupSize` lines of its sign without a single item of their own, summing exactly to it.
 */
function oneToMany(
  outcomes: readonly LineOutcome[],
  index: CandidateIndex,
  settings: EngineSettings,
  claimed: ReadonlyMap<number, unknown>,
): Map<number, Split[]> {
  const { rejected, autoThreshold, maxGroupSize } = settings.options;
  const byLine = new Map<number, Split[]>();
  const credits: PreparedLine[] = [];
  const debits: PreparedLine[] = [];
  let widestSpan = 0;
  for (const outcome of outcomes) {
    const { line } = outcome;
    if (Number.isNaN(line.bookingDay) || line.source.amountCents === 0) continue;
    if (outcome.ranked.some((e) => e.items.length === 1)) continue;
    (line.source.amountCents > 0 ? credits : debits).push(line);
    widestSpan = Math.max(widestSpan, line.lastDay - line.firstDay);
  }
  if (credits.length + debits.length < 2 || !settings.lines) return byLine;
  const byBookingDay = (a: PreparedLine, b: PreparedLine) =>
    a.bookingDay - b.bookingDay || a.index - b.index;
  credits.sort(byBookingDay);
  debits.sort(byBookingDay);

  for (const item of index.all) {
    const { kind, amountCents } = item.source;
    if (!SPLITTABLE.has(kind) || Number.isNaN(item.day) || amountCents === 0) continue;
    if (claimed.has(item.index)) continue;
    const pool = amountCents > 0 ? credits : debits;
    const windowDays = settings.windows[kind];
    if (pool.length < 2 || settings.lines.anyNear(amountCents, item.day, windowDays)) continue;
    const { found, complete } = splitsOf(item, pool, widestSpan, windowDays, maxGroupSize);
    const key = proposalKey([item.source.id]);
    // Rejected for any of its lines: the whole group is left out.
    const kept = found.filter((lines) => !lines.some((l) => rejected.get(l.source.id)?.has(key)));
    for (const lines of kept) {
      const ordered = [...lines].sort((a, b) => a.index - b.index);
      const { score, reasons, certain } = evaluateSplit(item, ordered);
      const split: Split = {
        lines: ordered,
        proposal: {
          candidateIds: [item.source.id],
          kind,
          score,
          reasons,
          bankLineIds: ordered.map((l) => l.source.id),
        },
        certain: certain && complete && found.length === 1 && score >= autoThreshold,
      };
      for (const line of ordered) appendTo(byLine, line.index, split);
    }
  }
  return byLine;
}

function byRank(a: Evaluation, b: Evaluation): number {
  return (
    b.score - a.score ||
    a.items.length - b.items.length ||
    a.distance - b.distance ||
    a.items[0].index - b.items[0].index
  );
}

interface LineOutcome {
  readonly line: PreparedLine;
  /** The best proposals, at most maxProposals (the others are dropped at once). */
  readonly ranked: Evaluation[];
  /** Index in `ranked` of the proposal to apply, or -1. */
  auto: number;
  /** Items reaching the threshold for this line (usually none or one). */
  readonly highItems: readonly PreparedCandidate[];
  /** Items the payer's name fits in part through a last name: see matchLine. */
  readonly relatives: readonly PreparedCandidate[];
}

/**
 * Whether `other`'s name shares with the line a word of `best`'s name that few names in the
 * pool carry: a last name, so maybe a relative of the payer, rather than a common first name.
 */
function sharesFamilyName(
  line: PreparedLine,
  best: Evaluation,
  other: Evaluation,
  index: CandidateIndex,
): boolean {
  const bestWords = best.items[0].nameWords;
  return other.items[0].nameWords.some(
    (word) =>
      bestWords.includes(word) &&
      holds(line.words, word, other.items[0].nameWords) &&
      index.isRareNameWord(word),
  );
}

const NOTHING_TAKEN: ReadonlySet<number> = new Set();

/** Items of the line's amount and window whose references (even shared) the line carries. */
function referencedNearbyOf(
  line: PreparedLine,
  index: CandidateIndex,
  settings: EngineSettings,
): PreparedCandidate[] {
  const found: PreparedCandidate[] = [];
  for (const candidate of line.references.keys()) {
    const c = index.all[candidate];
    if (
      c.source.amountCents === line.source.amountCents &&
      distanceTo(line, c.day) <= settings.windows[c.source.kind]
    ) {
      found.push(c);
    }
  }
  return found;
}

/**
 * One line's proposals and whether the best may be applied (the line's own rules).
 * `groupsTaken`: null to leave the sums for later (matchAll looks for them once it knows
 * which items the other lines claim), else the items a sum may not use.
 */
function matchLine(
  line: PreparedLine,
  index: CandidateIndex,
  settings: EngineSettings,
  groupsTaken: ReadonlySet<number> | null,
): LineOutcome {
  const { autoThreshold } = settings.options;
  if (Number.isNaN(line.bookingDay) || line.source.amountCents === 0) {
    return { line, ranked: [], auto: -1, highItems: [], relatives: [] };
  }
  const referencedNearby = referencedNearbyOf(line, index, settings);
  // What the treasurer rejected for this line is never proposed again (nor applied).
  const rejected = settings.options.rejected.get(line.source.id);
  const allowed = (e: Evaluation) => !rejected?.has(proposalKey(e.items.map((c) => c.source.id)));
  let ranked = singles(line, index, settings, referencedNearby);
  if (rejected) ranked = ranked.filter(allowed);
  // A sum is looked for only when no single item has the amount: it can never be applied
  // automatically, and one exact item is a better suggestion than a sum.
  if (ranked.length === 0 && groupsTaken) {
    ranked = groups(line, index, settings, referencedNearby, groupsTaken);
    if (rejected) ranked = ranked.filter(allowed);
  }
  ranked.sort(byRank);
  const high = ranked.filter((e) => e.score >= autoThreshold);
  const best = ranked[0];
  let applicable = high.length === 1 && best.items.length === 1 && best.evidence && !best.conflict;
  const nameAlone =
    best !== undefined && best.name === 'full' && !best.reference && !best.onlyOfItsAmount;
  if (applicable && nameAlone && !settings.options.applyOnNameAlone) {
    addNote(best, 'payer name alone: to confirm');
    applicable = false;
  }
  // A name alone proves little when it fits another item in part through a last name:
  // relatives pay for one another. The caller decides (matchAll: unless that item is
  // accounted for by a line of its own). A reference of the item on the line settles it.
  const relatives =
    applicable && nameAlone
      ? ranked
          .filter((e) => e !== best && e.nameShare >= 0.5 && sharesFamilyName(line, best, e, index))
          .map((e) => e.items[0])
      : [];
  return {
    line,
    ranked: ranked.slice(0, settings.options.maxProposals),
    auto: applicable ? 0 : -1,
    highItems: high.flatMap((e) => e.items),
    relatives,
  };
}

function toProposal(evaluation: Evaluation): Proposal {
  return {
    candidateIds: evaluation.items.map((c) => c.source.id),
    kind: evaluation.items[0].source.kind,
    score: evaluation.score,
    reasons: describe(evaluation),
  };
}

function withDefaults(options: MatchingOptions | undefined): Required<MatchingOptions> {
  if (!options) return DEFAULT_MATCHING;
  return {
    ...options,
    maxProposals: Math.max(1, options.maxProposals ?? DEFAULT_MATCHING.maxProposals),
    maxWindowCandidates: options.maxWindowCandidates ?? DEFAULT_MATCHING.maxWindowCandidates,
    applyOnNameAlone: options.applyOnNameAlone ?? DEFAULT_MATCHING.applyOnNameAlone,
    windowDaysByKind: options.windowDaysByKind ?? DEFAULT_MATCHING.windowDaysByKind,
    rejected: options.rejected ?? DEFAULT_MATCHING.rejected,
  };
}

const KINDS: readonly CandidateKind[] = [
  'ledger_line',
  'payout',
  'cheque_deposit',
  'expected_payment',
];

function engineSettings(
  options: Required<MatchingOptions>,
  lines: LineIndex | null,
): EngineSettings {
  const windows = {} as Record<CandidateKind, number>;
  for (const kind of KINDS) windows[kind] = options.windowDaysByKind[kind] ?? options.windowDays;
  return { options, windows, lines };
}

/**
 * Every bank line of a batch against every candidate, in near O(n log n). Results in the
 * lines' order. On top of each line's own rules, an item is applied to one line at most: when
 * it reaches the threshold for another line too, it stays a suggestion ("also fits line X").
 */
export function matchAll(
  lines: readonly BankLineFacts[],
  candidates: readonly Candidate[],
  options?: MatchingOptions,
): LineResult[] {
  const index = new CandidateIndex(candidates);
  const prepared = lines.map((line, i) => prepareLine(line, i, index));
  const settings = engineSettings(withDefaults(options), new LineIndex(prepared));
  const outcomes = prepared.map((line) => matchLine(line, index, settings, null));

  // Which lines each item reaches the threshold for.
  const highFor = new Map<number, number[]>();
  const claim = (outcome: LineOutcome) => {
    for (const item of outcome.highItems) appendTo(highFor, item.index, outcome.line.index);
  };
  outcomes.forEach(claim);
  // Sums for the lines no single item explains, from the items no line claims (on a busy
  // day the nearest items are mostly other members' fees, each with its own transfer).
  const taken = new Set(highFor.keys());
  outcomes.forEach((outcome, i) => {
    if (outcome.ranked.length > 0) return;
    outcomes[i] = matchLine(outcome.line, index, settings, taken);
    claim(outcomes[i]);
  });

  const highElsewhere = (item: PreparedCandidate, line: number) =>
    (highFor.get(item.index) ?? []).filter((l) => l !== line);

  // Several lines for one item, from the items no line explains alone. Applied only when sure
  // for each of its lines: no other proposal of theirs reaches the threshold.
  const splits = oneToMany(outcomes, index, settings, highFor);
  const sureFor = (split: Split) =>
    split.certain &&
    split.lines.every((l) => {
      const outcome = outcomes[l.index];
      const others = (splits.get(l.index) ?? []).filter(
        (s) => s !== split && s.proposal.score >= settings.options.autoThreshold,
      );
      return outcome.auto < 0 && outcome.highItems.length === 0 && others.length === 0;
    });

  return outcomes.map((outcome) => {
    let auto = outcome.auto;
    if (auto >= 0) {
      const best = outcome.ranked[auto];
      const relative = outcome.relatives.find(
        (r) => highElsewhere(r, outcome.line.index).length === 0,
      );
      const others = highElsewhere(best.items[0], outcome.line.index);
      if (relative) {
        addNote(best, `payer name fits ${relative.source.id} in part`);
        auto = -1;
      } else if (others.length > 0) {
        const ids = others.slice(0, 3).map((l) => prepared[l].source.id);
        addNote(best, `also fits line ${ids.join(', ')}${others.length > 3 ? '…' : ''}`);
        auto = -1;
      }
    }
    const kept = outcome.ranked.map(toProposal);
    const own = splits.get(outcome.line.index);
    if (!own) {
      return {
        lineId: outcome.line.source.id,
        proposals: kept,
        auto: auto >= 0 ? kept[auto] : null,
      };
    }
    // The line's own proposals first at equal scores (the sort is stable).
    const proposals = [...kept, ...own.map((s) => s.proposal)]
      .sort((a, b) => b.score - a.score)
      .slice(0, settings.options.maxProposals);
    const sure = auto < 0 ? own.find(sureFor) : undefined;
    return {
      lineId: outcome.line.source.id,
      proposals,
      auto:
        auto >= 0 ? kept[auto] : sure && proposals.includes(sure.proposal) ? sure.proposal : null,
    };
  });
}

/**
 * The proposals for one bank line, best first: single candidates (amount equal within the date
 * window), else groups of ledger lines or expected payments summing to it. `auto` is the one
 * proposal to apply without asking. Alone, a line cannot know whether another line of the same
 * amount is near, so the uniqueness evidence never applies here: use matchAll for a statement.
 */
export function propose(
  line: BankLineFacts,
  candidates: readonly Candidate[],
  options: MatchingOptions = DEFAULT_MATCHING,
): { proposals: Proposal[]; auto: Proposal | null } {
  const settings = engineSettings(withDefaults(options), null);
  const index = new CandidateIndex(candidates);
  const outcome = matchLine(prepareLine(line, 0, index), index, settings, NOTHING_TAKEN);
  if (outcome.auto >= 0 && outcome.relatives.length > 0) {
    addNote(outcome.ranked[0], `payer name fits ${outcome.relatives[0].source.id} in part`);
    outcome.auto = -1;
  }
  const proposals = outcome.ranked.map(toProposal);
  return { proposals, auto: outcome.auto >= 0 ? proposals[0] : null };
}
