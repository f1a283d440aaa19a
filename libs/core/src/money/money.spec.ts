import { Money, formatMoney } from './money';
import { DomainError } from '../errors/domain-error';

describe('Money', () => {
  it('parses decimal strings with a dot or a comma into exact cents', () => {
    expect(Money.parse('12.5', 'EUR').amountCents).toBe(1250n);
    expect(Money.parse('0,01', 'EUR').amountCents).toBe(1n);
    expect(Money.parse('1000000.99', 'EUR').amountCents).toBe(100000099n);
    expect(Money.parse('-3.10', 'EUR').amountCents).toBe(-310n);
  });

  it('refuses more than two decimals and non-amounts', () => {
    expect(() => Money.parse('1.005', 'EUR')).toThrow(DomainError);
    expect(() => Money.parse('1e3', 'EUR')).toThrow(DomainError);
    expect(() => Money.of(1.5, 'EUR')).toThrow(/integer/);
    expect(() => Money.of(1, 'eur')).toThrow(/currency/);
  });

  it('adds without floating point error and refuses mixed currencies', () => {
    const sum = [10, 20, 30].map((c) => Money.of(c, 'EUR')).reduce((a, b) => a.add(b));
    expect(sum.toDecimalString()).toBe('0.60');
    expect(Money.of(-5, 'EUR').toDecimalString()).toBe('-0.05');
    expect(() => Money.of(1, 'EUR').add(Money.of(1, 'USD'))).toThrow(/Cannot combine EUR and USD/);
    expect(Money.of(5, 'EUR').subtract(Money.of(5, 'EUR')).isZero()).toBe(true);
  });
});

describe('formatMoney', () => {
  it('writes cents for people to read, in the locale, from any integer form', () => {
    const spaces = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ');
    expect(spaces(formatMoney(1250, 'EUR', 'fr'))).toBe('12,50 €');
    expect(spaces(formatMoney('123456', 'EUR', 'fr'))).toBe('1 234,56 €');
    expect(formatMoney(5n, 'EUR', 'en')).toBe('€0.05');
  });
});
