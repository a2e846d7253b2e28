import * as v from 'valibot';
import { parseContent, parseUsage, tokenUsage } from '../stream-json/messages.ts';
import { isSyntheticModel, type MessagePart, type TokenUsage } from '../model-call.ts';
import { isJsonObject as isObject, type JsonObject } from '../../untrusted-json.ts';

// One line of claude's session transcript (~/.claude/projects/<project>/<session>.jsonl),
// validated at the edge by the schema below. Model calls are `assistant` lines, one per content
// block, all with the call's message id and usage; tool results and prompts are `user` lines;
// `system` lines say how long a turn took and where a compaction happened. Every line of the
// conversation carries a timestamp and where it ran (`cwd`, `gitBranch`, `version`). Lines
// without a timestamp are the CLI's own bookkeeping: `cost-state` (2.1.332 and later) and
// `last-prompt` (earlier) are written as a process ends, which is where one run of a resumed
// session ends (see transcript-files.ts for the `last-prompt` lines written on the way).
// Anything else is 'other'.

const text = v.optional(v.string());
const finiteNumber = v.optional(v.pipe(v.number(), v.finite()));

/** What every conversation line may say about where and how it ran. */
const CONTEXT_ENTRIES = {
  uuid: text,
  sessionId: text,
  version: text,
  cwd: text,
  gitBranch: text,
  entrypoint: text,
  isMeta: v.optional(v.boolean()),
  isSidechain: v.optional(v.boolean()),
};

const MESSAGE_SCHEMA = v.looseObject({
  id: v.optional(v.unknown()),
  model: v.optional(v.unknown()),
  stop_reason: v.optional(v.unknown()),
  usage: v.optional(v.unknown()),
  content: v.optional(v.unknown()),
});

const CONVERSATION_LINE = v.looseObject({
  type: v.picklist(['user', 'assistant']),
  timestamp: v.string(),
  message: MESSAGE_SCHEMA,
  isApiErrorMessage: v.optional(v.boolean()),
  apiErrorStatus: finiteNumber,
  toolUseResult: v.optional(v.unknown()),
  promptSource: text,
  isCompactSummary: v.optional(v.boolean()),
  ...CONTEXT_ENTRIES,
});

const SYSTEM_LINE = v.looseObject({
  type: v.literal('system'),
  timestamp: v.string(),
  subtype: text,
  durationMs: finiteNumber,
  compactMetadata: v.optional(v.looseObject({ trigger: text, preTokens: finiteNumber, postTokens: finiteNumber })),
  ...CONTEXT_ENTRIES,
});

/** Lines claude writes for itself, of no use here: the rest of what is not read is unreadable. */
const BOOKKEEPING_TYPES: ReadonlySet<unknown> = new Set([
  'queue-operation',
  'attachment',
  'file-history-snapshot',
  'mode',
  'permission-mode',
  'summary',
  'custom-title',
  'tools-used',
  'api-request',
  'api-request-blob',
  'api-request-shape',
  'api-request-route',
  'atis-latch',
  'agent-name',
  'agent-color',
  'agent-setting',
  'ai-title',
  'tag',
  'relocated',
  'isolation-latch',
  'worktree-state',
  'bridge-session',
  'pr-link',
  'progress',
]);

/**
 * The session's settings, which claude writes again (with `last-prompt`) as a process ends and
 * every so often on the way, or on their own as they change: never counted as conversation.
 */
const SESSION_SETTING_TYPES: ReadonlySet<unknown> = new Set([
  'last-prompt',
  'custom-title',
  'ai-title',
  'tag',
  'relocated',
  'agent-name',
  'agent-color',
  'agent-setting',
  'mode',
  'permission-mode',
  'isolation-latch',
  'worktree-state',
  'pr-link',
  'bridge-session',
]);

/** Where a line ran, as the line says. */
export type LineContext = Partial<Record<'uuid' | 'sessionId' | 'version' | 'cwd' | 'gitBranch' | 'entrypoint', string>>;

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
      context: LineContext;
    }
  | { kind: 'api_error'; time: number; status?: number; message: string; context: LineContext }
  | {
      kind: 'user';
      time: number;
      toolResults: TranscriptToolResult[];
      interrupted: boolean;
      text: string;
      /** A line claude wrote for itself (`isMeta`, a compaction's summary), an interruption, or a local command's echo: no prompt of the person's. */
      meta: boolean;
      /** Who wrote the turn: `system` for a background agent's notification (2.1.332). */
      promptSource?: string;
      context: LineContext;
    }
  | {
      kind: 'system';
      time: number;
      subtype: string;
      durationMs?: number;
      compaction?: { trigger: string; preTokens?: number; postTokens?: number };
      context: LineContext;
    }
  | {
      kind: 'run_end';
      marker: 'cost-state' | 'last-prompt';
      /** `last-prompt` written by a command (/rewind), not by the process's own bookkeeping. */
      explicit?: true;
      /** Bytes of conversation written to the file since the `last-prompt` before it (transcript-files.ts). */
      writtenBefore?: number;
    }
  /** `unreadable`: damaged, or of a kind no supported CLI writes (the others are the CLI's own bookkeeping). */
  | { kind: 'other'; unreadable?: true };

/** What claude writes as the user's turn when Esc or Ctrl-C stopped the model or a tool. */
const INTERRUPT_MARKER = '[Request interrupted by user';

/** A slash command's echo and output, written as user lines: no prompt for the model. */
const LOCAL_COMMAND = /^<(?:local-command-|command-name>|command-message>)/;

const UNREADABLE: TranscriptLine = { kind: 'other', unreadable: true };

function contextOf(line: { [K in keyof LineContext]?: string | undefined }): LineContext {
  const context: LineContext = {};
  for (const key of ['uuid', 'sessionId', 'version', 'cwd', 'gitBranch', 'entrypoint'] as const) {
    const value = line[key];
    if (value !== undefined) context[key] = value;
  }
  return context;
}

/** A line with its place in the conversation's chain: its own uuid and the one of the line before it. */
export interface TranscriptEntry {
  line: TranscriptLine;
  uuid?: string;
  parentUuid?: string;
  /** One of the session's settings (SESSION_SETTING_TYPES). */
  setting?: true;
}

export function parseTranscriptLine(textLine: string): TranscriptLine {
  return parseTranscriptEntry(textLine).line;
}

export function parseTranscriptEntry(textLine: string): TranscriptEntry {
  let raw: unknown;
  try {
    raw = JSON.parse(textLine);
  } catch {
    return { line: UNREADABLE };
  }
  if (!isObject(raw)) return { line: UNREADABLE };
  const entry: TranscriptEntry = { line: lineOf(raw) };
  if (SESSION_SETTING_TYPES.has(raw.type)) entry.setting = true;
  // Bookkeeping lines (attachments) are links of the chain too.
  if (typeof raw.uuid === 'string') entry.uuid = raw.uuid;
  if (typeof raw.parentUuid === 'string') entry.parentUuid = raw.parentUuid;
  return entry;
}

function lineOf(raw: JsonObject): TranscriptLine {
  if (BOOKKEEPING_TYPES.has(raw.type)) return { kind: 'other' };
  if (raw.type === 'cost-state') return { kind: 'run_end', marker: 'cost-state' };
  if (raw.type === 'last-prompt')
    return raw.explicit === true ? { kind: 'run_end', marker: 'last-prompt', explicit: true } : { kind: 'run_end', marker: 'last-prompt' };
  if (raw.type === 'system') {
    const parsed = v.safeParse(SYSTEM_LINE, raw);
    if (!parsed.success) return UNREADABLE;
    const line = parsed.output;
    const time = Date.parse(line.timestamp);
    if (Number.isNaN(time)) return { kind: 'other' };
    const context = contextOf(line);
    const entry: TranscriptLine = { kind: 'system', time, subtype: line.subtype ?? '', context };
    if (line.durationMs !== undefined) entry.durationMs = line.durationMs;
    const compact = line.compactMetadata;
    if (line.subtype === 'compact_boundary') {
      entry.compaction = { trigger: compact?.trigger ?? 'unknown' };
      if (compact?.preTokens !== undefined) entry.compaction.preTokens = compact.preTokens;
      if (compact?.postTokens !== undefined) entry.compaction.postTokens = compact.postTokens;
    }
    return entry;
  }
  const parsed = v.safeParse(CONVERSATION_LINE, raw);
  if (!parsed.success) return UNREADABLE;
  const line = parsed.output;
  const time = Date.parse(line.timestamp);
  if (Number.isNaN(time)) return { kind: 'other' };
  const context = contextOf(line);
  const message = line.message;
  const content = parseContent(message.content);
  if (line.type === 'assistant') {
    const blockText = content.map((b) => (b.type === 'text' ? b.text : '')).join('');
    if (line.isApiErrorMessage === true) {
      return { kind: 'api_error', time, message: blockText, context, ...(line.apiErrorStatus !== undefined ? { status: line.apiErrorStatus } : {}) };
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
      context,
    };
    if (typeof message.stop_reason === 'string') entry.stopReason = message.stop_reason;
    return entry;
  }
  const results = content.filter((b) => b.type === 'tool_result');
  // The result object belongs to the line's one tool result.
  const toolUseResult = results.length === 1 ? line.toolUseResult : undefined;
  const userText = content.map((b) => (b.type === 'text' ? b.text : '')).join('');
  const interrupted = content.some((b) => b.type === 'text' && b.text.startsWith(INTERRUPT_MARKER));
  const entry: TranscriptLine = {
    kind: 'user',
    time,
    toolResults: results.map((b) => ({ toolUseId: b.tool_use_id, time, content: b.content, isError: b.is_error, toolUseResult })),
    interrupted,
    text: userText,
    meta: interrupted || line.isMeta === true || line.isCompactSummary === true || LOCAL_COMMAND.test(userText),
    context,
  };
  if (line.promptSource !== undefined) entry.promptSource = line.promptSource;
  return entry;
}
