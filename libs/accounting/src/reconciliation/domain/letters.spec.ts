import { letterCode } from './letters';

describe('letterCode', () => {
  it('counts A..Z then AA, AB... without gaps or repeats', () => {
    expect([1, 2, 26, 27, 28, 52, 53, 702, 703].map(letterCode)).toEqual([
      'A',
      'B',
      'Z',
      'AA',
      'AB',
      'AZ',
      'BA',
      'ZZ',
      'AAA',
    ]);
    const seen = new Set(Array.from({ length: 20_000 }, (_, i) => letterCode(i + 1)));
    expect(seen.size).toBe(20_000);
  });

  it('refuses numbers that are not lettering numbers', () => {
    expect(() => letterCode(0)).toThrow(RangeError);
    expect(() => letterCode(1.5)).toThrow(RangeError);
  });
});
