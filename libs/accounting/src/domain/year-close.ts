/** Balances of the year per account: debit positive. */
export interface AccountBalance {
  accountNumber: string;
  balanceCents: number;
}

/** Income (class 7) minus expenses (class 6): positive is a surplus (excédent), negative a deficit. */
export function yearResultCents(balances: readonly AccountBalance[]): number {
  return -balances.filter((b) => /^[67]/.test(b.accountNumber)).reduce((sum, b) => sum + b.balanceCents, 0);
}

/**
 * The opening entry (à-nouveaux) of the next year: every balance-sheet account (classes 1 to 5)
 * carries its balance; income and expense accounts start again at zero, their difference goes
 * to the result account (120 surplus / 129 deficit) until the general assembly assigns it.
 */
export function openingLines(
  balances: readonly AccountBalance[],
  resultCents: number,
  resultAccounts: { surplus: string; deficit: string },
): { accountNumber: string; debitCents: number; creditCents: number }[] {
  const carried = new Map<string, number>();
  for (const b of balances) {
    if (/^[1-5]/.test(b.accountNumber) && b.balanceCents !== 0) carried.set(b.accountNumber, (carried.get(b.accountNumber) ?? 0) + b.balanceCents);
  }
  if (resultCents !== 0) {
    const account = resultCents > 0 ? resultAccounts.surplus : resultAccounts.deficit;
    carried.set(account, (carried.get(account) ?? 0) - resultCents);
  }
  return [...carried.entries()]
    .filter(([, balance]) => balance !== 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([accountNumber, balance]) => ({ accountNumber, debitCents: Math.max(balance, 0), creditCents: Math.max(-balance, 0) }));
}
