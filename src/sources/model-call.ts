// What a model call reports, as every source reads it: its token counts and, when content is
// recorded, its messages. The session model (session/events.ts) is built on these.

/** Token counts of one model call, as the API reports them (input excludes the cache). */
export interface TokenUsage {
  input: number;
  output: number;
  cacheRead: number;
  cacheCreation: number;
  /** Of the cache writes, those the API reported as 1-hour ones (the rest are 5-minute ones). */
  cacheWrite1h?: number;
  /** Thinking tokens among the output tokens, when the CLI reports them. */
  reasoning?: number;
  /** The call's final output tokens are not known (`output` is then 0): a subagent's call with no transcript to read them from. */
  outputUnknown?: boolean;
}

/** A part of a conversation message, in the GenAI conventions' shapes. */
export type MessagePart =
  | { type: 'text'; content: string }
  | { type: 'tool_call'; id: string; name: string; arguments: Record<string, unknown> }
  | { type: 'tool_call_response'; id: string; response: unknown };

export interface ConversationMessage {
  role: 'user' | 'assistant' | 'tool';
  parts: MessagePart[];
}

/** What a model call was sent (its new messages) and what it answered; only kept when content is recorded. */
export interface ChatContent {
  input: ConversationMessage[];
  output: MessagePart[];
}

export function emptyUsage(): TokenUsage {
  return { input: 0, output: 0, cacheRead: 0, cacheCreation: 0 };
}

/** The model name claude gives a message it made up itself, with no API call: an API error, an interrupted turn. */
const SYNTHETIC_MODEL = '<synthetic>';

/** Whether a message of this model is a placeholder of claude's own rather than the answer of a model call. */
export function isSyntheticModel(model: string): boolean {
  return model === SYNTHETIC_MODEL;
}

/** A message's usage written again as it streams (a line per content block): each count at its largest. */
export function mergeUsage(into: TokenUsage, usage: TokenUsage | undefined): void {
  if (!usage) return;
  into.input = Math.max(into.input, usage.input);
  into.output = Math.max(into.output, usage.output);
  into.cacheRead = Math.max(into.cacheRead, usage.cacheRead);
  into.cacheCreation = Math.max(into.cacheCreation, usage.cacheCreation);
  if (usage.cacheWrite1h !== undefined) into.cacheWrite1h = Math.max(into.cacheWrite1h ?? 0, usage.cacheWrite1h);
  if (usage.reasoning !== undefined) into.reasoning = Math.max(into.reasoning ?? 0, usage.reasoning);
}
