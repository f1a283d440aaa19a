/** Control characters (C0, DEL, C1) and the bidirectional marks and overrides that disguise an extension. */
function isUnsafe(codePoint: number): boolean {
  return (
    codePoint < 0x20 ||
    (codePoint >= 0x7f && codePoint <= 0x9f) ||
    codePoint === 0x200e ||
    codePoint === 0x200f ||
    (codePoint >= 0x202a && codePoint <= 0x202e) ||
    (codePoint >= 0x2066 && codePoint <= 0x2069)
  );
}

/**
 * A file name sent by a client, made safe to store, show and put in a header: path separators
 * (`/`, `\`) and double quotes become `_`, control and bidirectional-override characters are
 * dropped, a lone surrogate becomes U+FFFD, the result is trimmed to at most `max` characters
 * (never cutting one in two). Empty when nothing meaningful is left (also for `.` and `..`).
 */
export function sanitizeFileName(name: string, max = 200): string {
  let out = '';
  for (const char of name) {
    const codePoint = char.codePointAt(0) ?? 0;
    if (isUnsafe(codePoint)) continue;
    if (char === '/' || char === '\\' || char === '"') out += '_';
    else if (codePoint >= 0xd800 && codePoint <= 0xdfff) out += '\uFFFD';
    else out += char;
  }
  const trimmed = Array.from(out.trim()).slice(0, max).join('').trim();
  return /^\.*$/.test(trimmed) ? '' : trimmed;
}
