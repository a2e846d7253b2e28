import * as v from 'valibot';
import { isJsonObject } from '../../untrusted-json.ts';
import { CONTENT } from './content-blocks.ts';
import { maybe, maybeNullString, maybeString } from '../field-schemas.ts';
import { LineSplitter } from './line-splitter.ts';

// What an Agent SDK caller writes to claude's stdin (`--input-format stream-json`), read
// beside the bytes that go to claude unchanged: user messages start the prompts, and the
// answers to claude's permission questions time the tool calls that waited for them.

export const USER_INPUT_LINE = v.object({
  type: v.literal('user'),
  message: maybe(v.object({ content: CONTENT })),
  parent_tool_use_id: maybeNullString,
});

export const CONTROL_RESPONSE_LINE = v.object({
  type: v.literal('control_response'),
  response: v.object({
    /** 'error' when the caller's callback threw. */
    subtype: maybeString,
    request_id: v.string(),
    response: maybe(v.object({ behavior: maybeString })),
  }),
});

export type SdkInput = { type: 'user'; text: string } | { type: 'permission_answer'; requestId: string; denied: boolean } | { type: 'other' };

/** One line of stdin; anything that is not a prompt or a permission answer is `other`. */
export function parseSdkInputLine(line: string): SdkInput {
  const trimmed = line.trim();
  if (trimmed[0] !== '{') return { type: 'other' };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return { type: 'other' };
  }
  if (!isJsonObject(value)) return { type: 'other' };
  if (value.type === 'user') {
    const user = v.safeParse(USER_INPUT_LINE, value);
    // A message with a parent tool call answers a subagent, not the user's next prompt.
    if (!user.success || user.output.parent_tool_use_id != null) return { type: 'other' };
    const text = (user.output.message?.content ?? [])
      .map((block) => (block.type === 'text' ? block.text : ''))
      .filter((text) => text !== '')
      .join('\n');
    return { type: 'user', text };
  }
  if (value.type === 'control_response') {
    const answer = v.safeParse(CONTROL_RESPONSE_LINE, value);
    if (!answer.success) return { type: 'other' };
    const response = answer.output.response;
    // An error answer (the caller's callback threw) lets the tool not run either.
    const denied = response.subtype === 'error' || response.response?.behavior === 'deny';
    return { type: 'permission_answer', requestId: response.request_id, denied };
  }
  return { type: 'other' };
}

/** Reads stdin as it passes by, in whatever chunks it comes. */
export class SdkInputReader {
  private readonly splitter = new LineSplitter();

  constructor(private readonly onInput: (input: SdkInput, time: number) => void) {}

  push(chunk: Buffer): void {
    // A line over the cap is no message the wrapper reads: skipped.
    this.splitter.push(
      chunk,
      (line) => this.read(line),
      () => {},
    );
  }

  end(): void {
    this.splitter.end((line) => this.read(line));
  }

  private read(line: string): void {
    const input = parseSdkInputLine(line);
    if (input.type !== 'other') this.onInput(input, Date.now());
  }
}
