import { formatCentsComma, parseAmount } from './amounts';

describe('amounts', () => {
  it.each([
    ['12.50', 1250],
    ['12,5', 1250],
    ['1 234,56', 123456],
    ['1\u202f234,56', 123456],
    ['0.01', 1],
    [12.5, 1250],
    [0.1, 10],
    ['100', 10000],
    ['', 0],
    [undefined, 0],
  ])('reads %p as %p cents', (input, cents) => {
    expect(parseAmount(input)).toEqual({ ok: true, cents });
  });

  it.each([
    ['10.001', 'amount.too_many_decimals'],
    [10.005, 'amount.too_many_decimals'],
    ['-5', 'amount.negative'],
    [-5, 'amount.negative'],
    ['12.3.4', 'amount.bad_format'],
    ['douze', 'amount.bad_format'],
    [Number.NaN, 'amount.bad_format'],
    ['99999999999999999999', 'amount.too_large'],
  ])('refuses %p (%s)', (input, code) => {
    expect(parseAmount(input)).toMatchObject({ ok: false, code });
  });

  it('writes FEC amounts with a decimal comma and no thousands separator', () => {
    expect(formatCentsComma(123456)).toBe('1234,56');
    expect(formatCentsComma(5)).toBe('0,05');
    expect(formatCentsComma(0n)).toBe('0,00');
    expect(formatCentsComma(-1999)).toBe('-19,99');
  });
});
