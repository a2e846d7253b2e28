import { parseStreamLineValue } from './messages.ts';
import type { ParsedLine } from './messages.ts';
import type { PrintOutput } from './print-output.ts';

// What print mode does with every line of claude's stdout: decode it, and decide what
// bare claude would have printed for it. A failure in the output rules never loses the
// line: it is then written as it came.

export interface ReadLine {
  /** What to write to stdout for this line ('' for nothing). */
  text: string;
  /** The decoded line; undefined when it is not stream-json. */
  parsed: ParsedLine | undefined;
}

export function readLine(output: PrintOutput, line: string, newline: boolean): ReadLine {
  const parsed = parseStreamLineValue(line);
  let text: string;
  try {
    text = output.line(line, newline, parsed);
  } catch {
    text = newline ? `${line}\n` : line;
  }
  return { text, parsed };
}
