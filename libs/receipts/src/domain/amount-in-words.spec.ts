import { euroAmountInFrenchWords, integerInFrenchWords } from './amount-in-words';

describe('amounts in French words (cerfa 11580)', () => {
  it.each([
    [1, 'un centime'],
    [2, 'deux centimes'],
    [100, 'un euro'],
    [8000, 'quatre-vingts euros'],
    [8100, 'quatre-vingt-un euros'],
    [7100, 'soixante et onze euros'],
    [12050, 'cent vingt euros et cinquante centimes'],
    [20000, 'deux cents euros'],
    [20100, 'deux cent un euros'],
    [100000, 'mille euros'],
    [200000, 'deux mille euros'],
    [8000000, 'quatre-vingt mille euros'],
    [20000000, 'deux cent mille euros'],
    [100000000, "un million d'euros"],
    [100000099, "un million d'euros et quatre-vingt-dix-neuf centimes"],
    [300000000, "trois millions d'euros"],
    [
      123456789,
      'un million deux cent trente-quatre mille cinq cent soixante-sept euros et quatre-vingt-neuf centimes',
    ],
    [0, 'zéro euro'],
  ])('%i cents -> %s', (cents, expected) => {
    expect(euroAmountInFrenchWords(cents)).toBe(expected);
  });

  it('refuses what is not an amount in cents', () => {
    expect(() => euroAmountInFrenchWords(-1)).toThrow(RangeError);
    expect(() => euroAmountInFrenchWords(1.5)).toThrow(RangeError);
    expect(() => integerInFrenchWords(Number.NaN)).toThrow(RangeError);
  });
});
