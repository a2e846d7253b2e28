// Stored text is the outside world's: commands, tool inputs and outputs, error messages,
// prompts, model names. Printed raw, a control character in it would drive the terminal:
// clear the screen, set the window title, write the clipboard (OSC 52). The viewing commands
// take every stored string through here as they read the store, so no renderer (tables,
// show, stats, the waterfall, --json, the HTML report) ever gets one.
//
// Invisible characters go too: bidirectional overrides and isolates (U+202A-U+202E,
// U+2066-U+2069) and marks (U+200E/F) can make a command read differently from what it is
// ("Trojan Source"), and zero-width characters (U+200B-U+200D, U+2060, U+FEFF) hide inside
// names and throw the columns off. A zero-width joiner between two pictographs stays: it is
// how an emoji sequence (a family, a profession) is written.

/**
 * C0 controls except tab and newline (which layouts use or fold), DEL, the C1 controls, the
 * bidi and zero-width characters, and a zero-width joiner that does not join two pictographs.
 */
const CONTROL =
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b\u200c\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]|(?<!\p{Extended_Pictographic}|\p{Emoji_Modifier}|\ufe0f)\u200d|\u200d(?!\p{Extended_Pictographic})/gu;

/** `text` without control, bidi or zero-width characters; tabs and newlines stay for the layout to handle. */
export function withoutControlChars(text: string): string {
  CONTROL.lastIndex = 0;
  return CONTROL.test(text) ? text.replace(CONTROL, '') : text;
}

/** Whether `text` holds a control, bidi or zero-width character (tab and newline aside). */
export function hasControlChars(text: string): boolean {
  CONTROL.lastIndex = 0;
  return CONTROL.test(text);
}

/** Every string in a value read from the store (keys included), without control characters. */
export function withoutControlCharsDeep(value: unknown): unknown {
  if (typeof value === 'string') return withoutControlChars(value);
  if (Array.isArray(value)) return value.map(withoutControlCharsDeep);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[withoutControlChars(key)] = withoutControlCharsDeep(v);
    return out;
  }
  return value;
}

/** Tabs and line breaks (CR, LF, VT, FF, NEL, U+2028/2029), each run of them one space. */
const BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;

/** `text` on one line: a break inside a table cell or a header field would throw the layout off. */
export function oneLine(text: string): string {
  BREAKS.lastIndex = 0;
  return BREAKS.test(text) ? text.replace(BREAKS, ' ') : text;
}
