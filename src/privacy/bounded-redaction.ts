/** A redactor (src/privacy/redact.ts), named here by its shape so the two files do not import each other. */
type Redactor = (text: string) => string;

// The order every cut text follows: bound → redact → truncate. A text is first bounded to
// what its limit can show plus a margin (so a secret that straddles the limit is still seen
// whole by the rules), then redacted, then cut to its limit. Cutting first would leave half
// a secret that no rule recognises any more.

/** Characters read past a limit, so a secret starting before the cut is matched whole. */
export const REDACTION_MARGIN = 4096;

/**
 * The first `length` characters of `text`. When the cut falls inside a word, that word is
 * dropped too (a rule could not recognise its first half), unless it is longer than the
 * margin, which no credential is.
 */
export function boundText(text: string, length: number): string {
  if (text.length <= length) return text;
  if (/\s/.test(text[length] ?? ' ')) return text.slice(0, length);
  const floor = Math.max(0, length - REDACTION_MARGIN);
  for (let i = length - 1; i >= floor; i -= 1) {
    if (/\s/.test(text[i] ?? '')) return text.slice(0, i + 1);
  }
  return text.slice(0, length);
}

/** At most `length` characters of redacted text, without a mark (previews). */
export function redactedPrefix(redact: Redactor, text: string, length: number): string {
  return redact(boundText(text, length + REDACTION_MARGIN)).slice(0, length);
}

/**
 * Redacted text cut to `limit` characters; `mark(dropped)` is appended when something was
 * cut, told how many characters of the original text did not fit (an estimate once
 * redaction has changed lengths).
 */
export function redactedWithin(redact: Redactor, text: string, limit: number, mark: (dropped: number) => string): string {
  const bounded = boundText(text, limit + REDACTION_MARGIN);
  const clean = redact(bounded);
  if (clean.length <= limit && bounded.length === text.length) return clean;
  const kept = clean.slice(0, limit);
  const dropped = Math.max(1, text.length - bounded.length + (clean.length - kept.length));
  return kept + mark(dropped);
}
