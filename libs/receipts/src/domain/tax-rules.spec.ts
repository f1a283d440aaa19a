import { donationCostAfterTax } from '@ruche/contracts';
import { taxRatesOn } from './tax-rules';

describe('tax reduction rates (dated rules)', () => {
  it('gives 66 % to individuals and 60 % to companies for a general-interest association', () => {
    const rates = taxRatesOn('2026-03-01', 'general_interest');
    expect(rates).toMatchObject({
      individualRateBp: 6600,
      companyRateBp: 6000,
      individualHigherRate: null,
    });
    expect(donationCostAfterTax(10_000, 'person', rates)).toEqual({
      reductionCents: 6600,
      costCents: 3400,
    });
    expect(donationCostAfterTax(10_000, 'company', rates)).toEqual({
      reductionCents: 6000,
      costCents: 4000,
    });
  });

  it('applies the 75 % rate up to the ceiling in force on the day, 66 % above', () => {
    const before = taxRatesOn('2025-10-13', 'aid_to_people_in_difficulty');
    const after = taxRatesOn('2025-10-14', 'aid_to_people_in_difficulty');
    expect(before.individualHigherRate).toEqual({ rateBp: 7500, ceilingCents: 100_000 });
    expect(after.individualHigherRate).toEqual({ rateBp: 7500, ceilingCents: 200_000 });
    // 3,000 € after 14 Oct 2025: 75 % of 2,000 + 66 % of 1,000.
    expect(donationCostAfterTax(300_000, 'person', after).reductionCents).toBe(150_000 + 66_000);
    expect(donationCostAfterTax(300_000, 'person', before).reductionCents).toBe(75_000 + 132_000);
  });

  it('rounds the reduction down to the cent, never up', () => {
    const rates = taxRatesOn('2026-01-01', 'general_interest');
    expect(donationCostAfterTax(1, 'person', rates)).toEqual({ reductionCents: 0, costCents: 1 });
    expect(donationCostAfterTax(1_515, 'person', rates)).toEqual({
      reductionCents: 999,
      costCents: 516,
    });
  });
});
