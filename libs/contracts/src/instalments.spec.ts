import { MONTHLY_INSTALMENTS, monthlyInstalments } from './instalments';

describe('monthly instalments of a yearly price', () => {
  it('rounds the instalment down: the member never pays more than the price', () => {
    expect(monthlyInstalments(10_000)).toEqual({ instalmentCents: 833, yearlyTotalCents: 9996 });
    expect(monthlyInstalments(5_000)).toEqual({ instalmentCents: 416, yearlyTotalCents: 4992 });
    expect(monthlyInstalments(3_600)).toEqual({ instalmentCents: 300, yearlyTotalCents: 3600 });
  });

  it('bills exactly the price when it divides by twelve', () => {
    expect(monthlyInstalments(12_000)).toEqual({ instalmentCents: 1000, yearlyTotalCents: 12_000 });
    expect(monthlyInstalments(0)).toEqual({ instalmentCents: 0, yearlyTotalCents: 0 });
  });

  it('gives a yearly total that twelve instalments add up to, at most 11 cents under the price', () => {
    for (let price = 0; price <= 50_000; price += 7) {
      const { instalmentCents, yearlyTotalCents } = monthlyInstalments(price);
      expect(Number.isInteger(instalmentCents)).toBe(true);
      expect(instalmentCents * MONTHLY_INSTALMENTS).toBe(yearlyTotalCents);
      expect(yearlyTotalCents).toBeLessThanOrEqual(price);
      expect(price - yearlyTotalCents).toBeLessThan(MONTHLY_INSTALMENTS);
    }
  });

  it('is stable: the yearly total paid in instalments again gives the same instalment', () => {
    for (const price of [5_000, 10_000, 12_345, 99_999]) {
      const once = monthlyInstalments(price);
      expect(monthlyInstalments(once.yearlyTotalCents)).toEqual(once);
    }
  });

  it('refuses what is not a whole number of cents', () => {
    expect(() => monthlyInstalments(100.5)).toThrow(RangeError);
    expect(() => monthlyInstalments(-1)).toThrow(RangeError);
    expect(() => monthlyInstalments(Number.NaN)).toThrow(RangeError);
  });
});
