import { creditorReference, isCreditorReference, paymentReference } from './creditor-reference';

describe('ISO 11649 creditor references', () => {
  it('computes the check digits of the standard examples', () => {
    // The example of ISO 11649 and of the European Payments Council's guidance.
    expect(creditorReference('539007547034')).toBe('RF18539007547034');
    expect(creditorReference('a1 b2')).toBe(creditorReference('A1B2'));
  });

  it('recognizes right references and refuses altered ones', () => {
    expect(isCreditorReference('RF18 5390 0754 7034')).toBe(true);
    expect(isCreditorReference('RF18539007547035')).toBe(false);
    expect(isCreditorReference('RF19539007547034')).toBe(false);
    expect(isCreditorReference('XX18539007547034')).toBe(false);
    expect(() => creditorReference('')).toThrow(RangeError);
    expect(() => creditorReference('A'.repeat(22))).toThrow(RangeError);
    expect(() => creditorReference('É1')).toThrow(RangeError);
  });

  it('gives each payment a valid reference of at most 25 characters', () => {
    const ref = paymentReference('3f2c9a1e-7b44-4d2e-9c1a-0f6e5d4c3b2a');
    expect(ref).toMatch(/^RF\d{2}3F2C9A1E7B444D2E$/);
    expect(isCreditorReference(ref)).toBe(true);
    expect(ref.length).toBeLessThanOrEqual(25);
  });
});
