// Stored text is the outside world's: commands, tool inputs and outputs, error messages,
// prompts, model names. Printed raw, a control character in it would drive the terminal:
// clear the screen, set the window title, write the clipboard (OSC 52). The viewing commands
// take every stored string through here as they read the store, so no renderer (tables,
// show, stats, the waterfall, --json, the HTML report) ever gets one.

/** C0 controls except tab and newline (which layouts use or fold), DEL, and the C1 controls. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** `text` without control characters; tabs and newlines stay for the layout to handle. */
export function withoutControlChars(text: string): string {
  CONTROL.lastIndex = 0;
  return CONTROL.test(text) ? text.replace(CONTROL, '') : text;
}

/** Whether `text` holds a control character (tab and newline aside). */
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
