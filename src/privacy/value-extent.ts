// Where the value after a name, a flag or an operator ends. Quoted values keep all their
// words together (a quoted password with spaces is hidden whole); an unquoted one runs to
// the next space or separator. Each scan stops at MAX_VALUE_LENGTH, so its cost is bounded.

export const MAX_VALUE_LENGTH = 4096;

const QUOTES = new Set(['"', "'", '`']);

/** Characters that end an unquoted value: space, quotes, shell and list separators. */
const ENDS_UNQUOTED = new Set([...' \t\r\n\f\v"\'`,;&|<>()\\']);

export interface Extent {
  start: number;
  end: number;
}

/**
 * The value starting at `at` in `text`, without its quotes; undefined when there is none.
 * A quote left open hides the rest of its line.
 */
export function valueExtent(text: string, at: number): Extent | undefined {
  const first = text[at];
  if (first === undefined) return undefined;
  const limit = Math.min(text.length, at + MAX_VALUE_LENGTH);
  // \"value\": a quote escaped inside a JSON string.
  if (first === '\\' && text[at + 1] === '"') {
    const close = text.slice(at + 2, limit).indexOf('\\"');
    const end = close === -1 ? lineEnd(text, at + 2, limit) : at + 2 + close;
    return end > at + 2 ? { start: at + 2, end } : undefined;
  }
  if (QUOTES.has(first)) {
    let i = at + 1;
    while (i < limit) {
      const ch = text[i];
      if (ch === '\\' && first !== "'") i += 2;
      else if (ch === first) break;
      else i += 1;
    }
    const end = i < limit && text[i] === first ? i : lineEnd(text, at + 1, limit);
    return end > at + 1 ? { start: at + 1, end } : undefined;
  }
  let i = at;
  while (i < limit && !ENDS_UNQUOTED.has(text[i] ?? ' ')) i += 1;
  return i > at ? { start: at, end: i } : undefined;
}

/** The end of the line `from` is on, or `limit`; never reads past `limit`. */
function lineEnd(text: string, from: number, limit: number): number {
  const newline = text.slice(from, limit).indexOf('\n');
  return newline === -1 ? limit : from + newline;
}

/** `$VAR`, `${VAR}`, `$(cmd)`: a reference to a secret, not the secret. */
export function isReference(value: string): boolean {
  return /^\$[A-Za-z_{(]/.test(value);
}
