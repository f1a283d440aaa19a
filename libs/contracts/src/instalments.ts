/** How many instalments pay a year of membership when a plan is paid monthly. */
export const MONTHLY_INSTALMENTS = 12;

/**
 * A yearly price paid in twelve monthly instalments (integer cents): each instalment is the price
 * divided by twelve, rounded down, so the member never pays more than the plan's price; the
 * yearly total is what the twelve instalments actually bill (100,00 € → 8,33 € a month, 99,96 € a
 * year). A membership paid this way records the yearly total as its amount, so its payments add
 * up to it exactly. Shared by the API (join, subscription renewals) and the admin (join page,
 * plan form).
 */
export function monthlyInstalments(yearlyPriceCents: number): {
  instalmentCents: number;
  yearlyTotalCents: number;
} {
  if (!Number.isSafeInteger(yearlyPriceCents) || yearlyPriceCents < 0) {
    throw new RangeError(`A price in cents is a whole number, not ${yearlyPriceCents}`);
  }
  const instalmentCents = Math.floor(yearlyPriceCents / MONTHLY_INSTALMENTS);
  return { instalmentCents, yearlyTotalCents: instalmentCents * MONTHLY_INSTALMENTS };
}
