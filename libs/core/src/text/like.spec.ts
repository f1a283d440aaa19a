import { escapeLike } from './like';

describe('escapeLike', () => {
  it('makes the LIKE wildcards and the escape character literal, and leaves the rest', () => {
    expect(escapeLike('50%')).toBe('50\\%');
    expect(escapeLike('FA_2026')).toBe('FA\\_2026');
    expect(escapeLike('a\\b')).toBe('a\\\\b');
    expect(escapeLike('Léa Moreau')).toBe('Léa Moreau');
  });
});
