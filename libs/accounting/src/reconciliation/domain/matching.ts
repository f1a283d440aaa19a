/**
 * The matching engine's rules (pure): which ledger-side candidates a bank line may be, with a
 * score and the reasons, best first. Precision before recall: a proposal is applied
 * automatically only above the threshold and when it is the only one that high.
 * See shared/domain/reconciliation.md.
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
}

export interface MatchingOptions {
  /** Days between the bank date and the candidate's date still considered (default 5). */
  windowDays: number;
  /** Score from which a proposal may be applied alone (default 90). */
  autoThreshold: number;
  /** Bounded search of several candidates summing to the line (count and candidates considered). */
  maxGroupSize: number;
  maxGroupCandidates: number;
}

export const DEFAULT_MATCHING: MatchingOptions = {
  windowDays: 5,
  autoThreshold: 90,
  maxGroupSize: 4,
  maxGroupCandidates: 20,
};

const DAY = 86_400_000;
const days = (a: string, b: string) => Math.round(Math.abs(Date.parse(a) - Date.parse(b)) / DAY);

/** Lowercase, no accents, letters and digits only, tokens sorted: "Dupré Jean-Marie" = "JEAN MARIE DUPRE". */
export function nameTokens(name: string): string[] {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 1)
    .sort();
}

/** Share of the candidate's name tokens found in the bank text (0..1). */
export function nameSimilarity(bankText: string, name: string): number {
  const wanted = nameTokens(name);
  if (wanted.length === 0) return 0;
  const have = new Set(nameTokens(bankText));
  return wanted.filter((t) => have.has(t)).length / wanted.length;
}

function referenceFound(line: BankLineFacts, references: readonly string[]): string | null {
  const text = [line.label, line.structuredReference ?? '', line.endToEndId ?? '']
    .join(' ')
    .toUpperCase()
    .replace(/\s+/g, '');
  return (
    references.find((r) => r.length >= 4 && text.includes(r.toUpperCase().replace(/\s+/g, ''))) ??
    null
  );
}

function score(
  line: BankLineFacts,
  candidates: Candidate[],
  options: MatchingOptions,
): Proposal | null {
  const total = candidates.reduce((s, c) => s + c.amountCents, 0);
  if (total !== line.amountCents) return null;
  const reasons: string[] = ['amount equal'];
  let points = 50;
  const distance = Math.min(
    ...candidates.map((c) =>
      Math.min(
        days(line.bookingDate, c.date),
        line.valueDate ? days(line.valueDate, c.date) : Infinity,
      ),
    ),
  );
  if (distance > options.windowDays) return null;
  points += distance === 0 ? 25 : distance <= 2 ? 20 : 10;
  reasons.push(distance === 0 ? 'same day' : `${distance} day(s) apart`);
  const refs = candidates.flatMap((c) => c.references);
  const ref = referenceFound(line, refs);
  if (ref) {
    points += 30;
    reasons.push(`reference ${ref}`);
  }
  const named = candidates.filter((c) => c.name);
  if (named.length > 0) {
    const bankText = `${line.counterpartyName ?? ''} ${line.label}`;
    const best = Math.max(...named.map((c) => nameSimilarity(bankText, c.name as string)));
    if (best >= 0.99) {
      points += 20;
      reasons.push('payer name');
    } else if (best >= 0.5) {
      points += 10;
      reasons.push('payer name in part');
    }
  }
  if (candidates.length > 1) {
    points -= 10 * (candidates.length - 1);
    reasons.push(`${candidates.length} items summed`);
  }
  return {
    candidateIds: candidates.map((c) => c.id),
    kind: candidates[0].kind,
    score: Math.max(0, Math.min(100, points)),
    reasons,
  };
}

/** Candidates summing exactly to the amount, from the closest in date, bounded in size and count. */
function groups(line: BankLineFacts, pool: Candidate[], options: MatchingOptions): Candidate[][] {
  const near = pool
    .filter(
      (c) =>
        Math.sign(c.amountCents) === Math.sign(line.amountCents) &&
        days(line.bookingDate, c.date) <= options.windowDays,
    )
    .sort((a, b) => days(line.bookingDate, a.date) - days(line.bookingDate, b.date))
    .slice(0, options.maxGroupCandidates);
  const found: Candidate[][] = [];
  const walk = (start: number, chosen: Candidate[], sum: number) => {
    if (found.length >= 5) return;
    if (chosen.length >= 2 && sum === line.amountCents) {
      found.push([...chosen]);
      return;
    }
    if (chosen.length >= options.maxGroupSize) return;
    for (let i = start; i < near.length; i++) {
      const next = sum + near[i].amountCents;
      if (Math.abs(next) > Math.abs(line.amountCents)) continue;
      chosen.push(near[i]);
      walk(i + 1, chosen, next);
      chosen.pop();
    }
  };
  walk(0, [], 0);
  return found;
}

/**
 * The proposals for one bank line, best first: single candidates (amount equal within the date
 * window), then groups of ledger lines or expected payments summing to it. `auto` is the one
 * proposal to apply without asking, when exactly one reaches the threshold.
 */
export function propose(
  line: BankLineFacts,
  candidates: readonly Candidate[],
  options: MatchingOptions = DEFAULT_MATCHING,
): { proposals: Proposal[]; auto: Proposal | null } {
  const proposals: Proposal[] = [];
  for (const c of candidates) {
    const p = score(line, [c], options);
    if (p) proposals.push(p);
  }
  if (proposals.length === 0) {
    const groupable = candidates.filter(
      (c) => c.kind === 'ledger_line' || c.kind === 'expected_payment',
    );
    for (const g of groups(line, groupable, options)) {
      const p = score(line, g, options);
      if (p) proposals.push(p);
    }
  }
  proposals.sort((a, b) => b.score - a.score || a.candidateIds.length - b.candidateIds.length);
  const high = proposals.filter((p) => p.score >= options.autoThreshold);
  return {
    proposals,
    auto: high.length === 1 && high[0].candidateIds.length === 1 ? high[0] : null,
  };
}
