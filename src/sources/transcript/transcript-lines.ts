import { parseContent, parseUsage, tokenUsage } from '../stream-json/messages.ts';
import { isSyntheticModel, type MessagePart, type TokenUsage } from '../model-call.ts';
import { isJsonObject as isObject } from '../../untrusted-json.ts';

// One line of claude's session transcript (~/.claude/projects/<project>/<session>.jsonl),
// validated at the edge. Model calls are `assistant` lines, one per content block, all
// with the call's message id and usage; tool results are `user` lines. Every line carries
// a timestamp. Lines the wrapper does not read are 'other'.

export interface TranscriptToolResult {
  toolUseId: string;
  time: number;
  /** The tool_result content the model saw. */
  content: unknown;
  isError: boolean;
  /** claude's own result object (`toolUseResult`). */
  toolUseResult: unknown;
}

export type TranscriptLine =
  | {
      kind: 'assistant';
      time: number;
      messageId: string;
      model: string;
      usage: TokenUsage | undefined;
      stopReason?: string;
      text: string;
      parts: MessagePart[];
    }
  | { kind: 'api_error'; time: number; status?: number; message: string }
  | { kind: 'user'; time: number; toolResults: TranscriptToolResult[]; interrupted: boolean; text: string }
  | { kind: 'other' };

/** What claude writes as the user's turn when Esc or Ctrl-C stopped the model or a tool. */
const INTERRUPT_MARKER = '[Request interrupted by user';

export function parseTranscriptLine(text: string): TranscriptLine {
  let line: unknown;
  try {
    line = JSON.parse(text);
  } catch {
    return { kind: 'other' };
  }
  if (!isObject(line) || typeof line.timestamp !== 'string' || !isObject(line.message)) return { kind: 'other' };
  const time = Date.parse(line.timestamp);
  if (Number.isNaN(time)) return { kind: 'other' };
  const message = line.message;
  const content = parseContent(message.content);

  if (line.type === 'assistant') {
    const blockText = content.map((b) => (b.type === 'text' ? b.text : '')).join('');
    if (line.isApiErrorMessage === true) {
      const status = typeof line.apiErrorStatus === 'number' ? line.apiErrorStatus : undefined;
      return { kind: 'api_error', time, message: blockText, ...(status !== undefined ? { status } : {}) };
    }
    if (typeof message.id !== 'string' || typeof message.model !== 'string' || isSyntheticModel(message.model)) return { kind: 'other' };
    const usage = parseUsage(message.usage);
    const entry: TranscriptLine = {
      kind: 'assistant',
      time,
      messageId: message.id,
      model: message.model,
      usage: usage && tokenUsage(usage),
      text: blockText,
      parts: content.flatMap((b): MessagePart[] =>
        b.type === 'text'
          ? [{ type: 'text', content: b.text }]
          : b.type === 'tool_use'
            ? [{ type: 'tool_call', id: b.id, name: b.name, arguments: b.input }]
            : [],
      ),
    };
    if (typeof message.stop_reason === 'string') entry.stopReason = message.stop_reason;
    return entry;
  }
  if (line.type === 'user') {
    const results = content.filter((b) => b.type === 'tool_result');
    // The result object belongs to the line's one tool result.
    const toolUseResult = results.length === 1 ? line.toolUseResult : undefined;
    return {
      kind: 'user',
      time,
      toolResults: results.map((b) => ({ toolUseId: b.tool_use_id, time, content: b.content, isError: b.is_error, toolUseResult })),
      interrupted: content.some((b) => b.type === 'text' && b.text.startsWith(INTERRUPT_MARKER)),
      text: content.map((b) => (b.type === 'text' ? b.text : '')).join(''),
    };
  }
  return { kind: 'other' };
}
