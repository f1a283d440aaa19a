/**
 * Year-end deferral of income that covers the next fiscal year (produits constatés d'avance,
 * PCA, account 487). A membership of 60.00 for 1 Sept 2026 to 31 Aug 2027 received in a
 * calendar fiscal year: at 31 Dec 2026 the 243 days of 2027 out of 365 belong to 2027, so
 * 39.95 leaves the income account for 487 (D 756 / C 487) on 31 Dec, and comes back on 1 Jan
 * (D 487 / C 756). Prorata by days, rounded to the cent per item. Pure: no I/O.
 */

/** One sum of income posted in the fiscal year, and the period it pays for. */
export interface DeferralItem {
  /** What it comes from, for the treasurer (e.g. `payment:<id>`). */
  ref: string;
  label: string;
  /** The income account credited when the money was received (e.g. 756). */
  account: string;
  /** Income posted in the year for this item, net of refunds. */
  amountCents: number;
  /** YYYY-MM-DD, inclusive. */
  coverStart: string;
  coverEnd: string;
}

export interface DeferredItem extends DeferralItem {
  deferredCents: number;
}

const DAY_MS = 86_400_000;

function epochDay(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

/** The part of `amountCents` that pays for the days after `fiscalYearEnd`. */
export function deferredCents(
  item: Pick<DeferralItem, 'amountCents' | 'coverStart' | 'coverEnd'>,
  fiscalYearEnd: string,
): number {
  if (item.amountCents <= 0 || item.coverEnd <= fiscalYearEnd) return 0;
  const start = epochDay(item.coverStart);
  const end = epochDay(item.coverEnd);
  if (end < start) return 0;
  const total = end - start + 1;
  const after = end - Math.max(start, epochDay(fiscalYearEnd) + 1) + 1;
  // amountCents × days stays far below 2^53: the division is exact enough, rounded once.
  return Math.round((item.amountCents * after) / total);
}

export interface DeferralPlan {
  items: DeferredItem[];
  byAccount: { account: string; amountCents: number }[];
  totalCents: number;
}

/** Items with something to defer, and the totals per income account (sorted, stable). */
export function planDeferrals(items: readonly DeferralItem[], fiscalYearEnd: string): DeferralPlan {
  const deferred = items
    .map((item) => ({ ...item, deferredCents: deferredCents(item, fiscalYearEnd) }))
    .filter((item) => item.deferredCents > 0)
    .sort(
      (a, b) =>
        a.account.localeCompare(b.account) ||
        a.coverStart.localeCompare(b.coverStart) ||
        a.ref.localeCompare(b.ref),
    );
  const totals = new Map<string, number>();
  for (const item of deferred)
    totals.set(item.account, (totals.get(item.account) ?? 0) + item.deferredCents);
  const byAccount = [...totals.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([account, amountCents]) => ({ account, amountCents }));
  return {
    items: deferred,
    byAccount,
    totalCents: byAccount.reduce((sum, a) => sum + a.amountCents, 0),
  };
}

/** The year-end entry's lines: debit each income account, credit the deferred income account. */
export function deferralLines(
  plan: DeferralPlan,
  deferredAccount: string,
): { account: string; debitCents: number; creditCents: number }[] {
  if (plan.totalCents === 0) return [];
  return [
    ...plan.byAccount.map((a) => ({
      account: a.account,
      debitCents: a.amountCents,
      creditCents: 0,
    })),
    { account: deferredAccount, debitCents: 0, creditCents: plan.totalCents },
  ];
}
