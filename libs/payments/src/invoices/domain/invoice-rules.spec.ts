import { creditAmount, invoiceReference, membershipLine } from './invoice-rules';

describe('invoice rules', () => {
  it('numbers each series per year with six digits', () => {
    expect(invoiceReference('invoice', 2026, 1)).toBe('FA-2026-000001');
    expect(invoiceReference('credit_note', 2026, 42)).toBe('AV-2026-000042');
    expect(invoiceReference('invoice', 2027, 999_999)).toBe('FA-2027-999999');
    expect(() => invoiceReference('invoice', 2026, 0)).toThrow(RangeError);
    expect(() => invoiceReference('invoice', 2026, 1_000_000)).toThrow(RangeError);
    expect(() => invoiceReference('invoice', 2026, 1.5)).toThrow(RangeError);
  });

  it('credits a refund, never more than what is left on the invoice', () => {
    expect(creditAmount(1000, { totalCents: 3000, creditedCents: 0 })).toBe(1000);
    expect(creditAmount(3000, { totalCents: 3000, creditedCents: 1000 })).toBe(2000);
    expect(creditAmount(500, { totalCents: 3000, creditedCents: 3000 })).toBe(0);
    expect(creditAmount(-5, { totalCents: 3000, creditedCents: 0 })).toBe(0);
  });

  it('describes a membership: plan, tier, period, instalment', () => {
    expect(
      membershipLine({
        planName: 'Adhésion',
        tierLabel: 'Plein tarif',
        startDate: '2026-03-10',
        endDate: '2026-12-31',
        instalment: false,
      }),
    ).toBe('Cotisation Adhésion – Plein tarif du 10/03/2026 au 31/12/2026');
    expect(
      membershipLine({
        planName: 'Tennis loisir',
        tierLabel: null,
        startDate: '2026-03-10',
        endDate: null,
        instalment: true,
      }),
    ).toBe('Cotisation Tennis loisir à partir du 10/03/2026 (mensualité)');
  });
});
