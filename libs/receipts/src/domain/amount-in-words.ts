import { ToWords } from 'to-words';

const words = new ToWords({ localeCode: 'fr-FR' });

/**
 * A whole number in French words, lower case, traditional spelling ("quatre-vingts",
 * "vingt et un", "deux cent mille"). The library writes the words; one agreement rule it misses
 * is fixed here: "cent" stays singular before "mille" ("deux cent mille", not "deux cents mille").
 */
export function integerInFrenchWords(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`Not a non-negative integer: ${n}`);
  return words
    .convert(n)
    .toLowerCase()
    .replace(/\bcents mille\b/g, 'cent mille')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * An amount in cents of euros written in French words, as the cerfa wants it:
 * 12050 -> "cent vingt euros et cinquante centimes", 1 -> "un centime",
 * 100000099 -> "un million d'euros et quatre-vingt-dix-neuf centimes".
 */
export function euroAmountInFrenchWords(cents: number): string {
  if (!Number.isSafeInteger(cents) || cents < 0)
    throw new RangeError(`Not an amount in cents: ${cents}`);
  const euros = Math.floor(cents / 100);
  const rest = cents % 100;
  const parts: string[] = [];
  if (euros > 0 || rest === 0) {
    const text = integerInFrenchWords(euros);
    // "un million d'euros", "deux milliards d'euros": a noun of number takes "de".
    const unit = /(millions?|milliards?)$/.test(text)
      ? "d'euros"
      : euros === 1 || euros === 0
        ? 'euro'
        : 'euros';
    parts.push(`${text} ${unit}`);
  }
  if (rest > 0) parts.push(`${integerInFrenchWords(rest)} ${rest === 1 ? 'centime' : 'centimes'}`);
  return parts.join(' et ');
}
