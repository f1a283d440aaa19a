import { unstorableTextProblem, unstorableTexts } from './storable-text';

describe('unstorableTexts', () => {
  it('finds NUL and lone surrogates in values and keys, with their paths', () => {
    expect(
      unstorableTexts({
        a: 'ok',
        b: ['x', 'y\u0000'],
        c: { 'k\uD800': 1, d: 'e\uDFFF' },
        f: '😀 paired',
      }).sort((x, y) => x.path.join('.').localeCompare(y.path.join('.'))),
    ).toEqual([
      { path: ['b', '1'], problem: 'The NUL character (U+0000) is not allowed' },
      { path: ['c', 'd'], problem: 'Not valid Unicode (a lone UTF-16 surrogate)' },
      { path: ['c', 'k\uD800'], problem: 'Not valid Unicode (a lone UTF-16 surrogate)' },
    ]);
  });

  it('walks deep values without recursion and stops at the limit', () => {
    let deep: unknown = 'bottom\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(unstorableTexts(deep)).toHaveLength(1);
    expect(
      unstorableTexts(
        Array.from({ length: 50 }, () => '\u0000'),
        5,
      ),
    ).toHaveLength(5);
  });

  it('accepts paired surrogates, accents and control characters other than NUL', () => {
    expect(unstorableTextProblem('👩‍👩‍👧‍👦 é\t\r\n\u202E')).toBeNull();
    expect(unstorableTexts(Buffer.from([0, 1, 2]))).toEqual([]);
  });
});
