import { isJsonObject as isObject, type JsonObject as Json } from '../../untrusted-json.ts';
import { parseContent } from './messages.ts';
import { LineSplitter } from './line-splitter.ts';

// What an Agent SDK caller writes to claude's stdin (`--input-format stream-json`), read
// beside the bytes that go to claude unchanged: user messages start the prompts, and the
// answers to claude's permission questions time the tool calls that waited for them.

export type SdkInput = { type: 'user'; text: string } | { type: 'permission_answer'; requestId: string; denied: boolean } | { type: 'other' };

function obj(value: unknown): Json {
  return isObject(value) ? value : {};
}

function userText(line: Json): string {
  return parseContent(obj(line.message).content)
    .map((block) => (block.type === 'text' ? block.text : ''))
    .filter((text) => text !== '')
    .join('\n');
}

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
  if (!isObject(value)) return { type: 'other' };
  // A message with a parent tool call answers a subagent, not the user's next prompt.
  if (value.type === 'user' && (value.parent_tool_use_id === null || value.parent_tool_use_id === undefined)) {
    return { type: 'user', text: userText(value) };
  }
  if (value.type === 'control_response') {
    const response = obj(value.response);
    if (typeof response.request_id !== 'string') return { type: 'other' };
    // An error answer (the caller's callback threw) lets the tool not run either.
    const denied = response.subtype === 'error' || obj(response.response).behavior === 'deny';
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
