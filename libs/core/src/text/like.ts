/**
 * A user's search text as a literal inside a LIKE / ILIKE pattern: `%`, `_` and the escape
 * character `\` (PostgreSQL's default) match themselves, not any text.
 */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
