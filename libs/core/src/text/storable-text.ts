/** A surrogate code unit without its pair: not Unicode, so neither UTF-8 text nor JSON storage can hold it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why PostgreSQL cannot store this text as it is (text and jsonb), or null when it can. */
export function unstorableTextProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'The NUL character (U+0000) is not allowed';
  if (LONE_SURROGATE.test(text)) return 'Not valid Unicode (a lone UTF-16 surrogate)';
  return null;
}

interface Node {
  value: unknown;
  key: string | null;
  parent: Node | null;
}

/**
 * The strings and keys of a parsed JSON value that PostgreSQL cannot store: U+0000 (text and
 * jsonb refuse it) and lone surrogates (jsonb refuses their escape, text turns them into U+FFFD).
 * Each with its path (keys, array indexes as strings). Walked without recursion: deep JSON is
 * fine. At most `limit` are returned.
 */
export function unstorableTexts(value: unknown, limit = 20): { path: string[]; problem: string }[] {
  const found: { path: string[]; problem: string }[] = [];
  const pathOf = (node: Node) => {
    const keys: string[] = [];
    for (let n: Node | null = node; n && n.key !== null; n = n.parent) keys.push(n.key);
    return keys.reverse();
  };
  const stack: Node[] = [{ value, key: null, parent: null }];
  while (stack.length > 0 && found.length < limit) {
    const node = stack.pop()!;
    if (typeof node.value === 'string') {
      const problem = unstorableTextProblem(node.value);
      if (problem) found.push({ path: pathOf(node), problem });
      continue;
    }
    if (node.value === null || typeof node.value !== 'object' || ArrayBuffer.isView(node.value))
      continue;
    for (const [key, child] of Object.entries(node.value)) {
      const next: Node = { value: child, key, parent: node };
      const problem = unstorableTextProblem(key);
      if (problem) found.push({ path: pathOf(next), problem });
      else stack.push(next);
    }
  }
  return found;
}
