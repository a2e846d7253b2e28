// Text from the store comes from prompts, commands and tool inputs: it is escaped before it
// goes into the HTML report, in text and in attribute values alike, and loses any control
// character (the store reader already drops them; this holds for any other text too).

import { withoutControlChars } from '../../views/terminal-text.ts';

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return withoutControlChars(text).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}
