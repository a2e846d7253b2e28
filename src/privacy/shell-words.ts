// Reading a command line word by word, the way the password rules need it: quoted parts belong
// to their word, a quote left open runs to its line's end, and every word is read at most
// MAX_WORD_LENGTH characters far, so reading a word costs at most that much whatever follows.

export const MAX_WORD_LENGTH = 4096;

/** Characters that end one command: the next one starts after them. */
export const SEPARATORS: ReadonlySet<string> = new Set([';', '&', '|', '\n', '(', ')', '`']);

const WORD_ENDS: ReadonlySet<string> = new Set([' ', '\t', '\r', '\n', '\f', '\v', ';', '&', '|', '(', ')', '`']);

/** Counts the characters the readers look at: a deterministic measure of their work, for tests. */
export interface WorkMeter {
  steps: number;
}

/** Where the shell word starting at `at` ends: quoted parts belong to it, up to a space or a separator. */
export function wordEnd(text: string, at: number, meter?: WorkMeter): number {
  const limit = Math.min(text.length, at + MAX_WORD_LENGTH);
  let i = at;
  while (i < limit) {
    const ch = text[i] ?? '';
    if (ch === '"' || ch === "'") {
      // An open quote runs to its line's end.
      i += 1;
      while (i < limit && text[i] !== ch && text[i] !== '\n') i += 1;
      if (i < limit && text[i] === ch) i += 1;
    } else if (WORD_ENDS.has(ch)) {
      break;
    } else {
      i += 1;
    }
  }
  if (meter) meter.steps += i - at + 1;
  return i;
}

/** The first character at or after `at` that is no space or tab. */
export function skipBlanks(text: string, at: number, meter?: WorkMeter): number {
  let i = at;
  while (text[i] === ' ' || text[i] === '\t') i += 1;
  if (meter) meter.steps += i - at + 1;
  return i;
}
