import { isJsonObject as isObject, asString as str, asNumber as num, type JsonObject as Json } from '../../untrusted-json.ts';
import { parseTaskLine } from './task-messages.ts';
import { parsePartialUsage, parseUsage, type Usage } from './usage.ts';
export { parseUsage, tokenUsage, type Usage } from './usage.ts';
import { parsePermissions, type ToolPermission } from './tool-result-meta.ts';
export type { ToolPermission } from './tool-result-meta.ts';
import type { TaskStartedMessage, TaskUpdatedMessage, TaskNotificationMessage } from './task-messages.ts';
export type { TaskStartedMessage, TaskUpdatedMessage, TaskNotificationMessage } from './task-messages.ts';
// The stream-json lines claude prints (print and SDK mode), validated at the edge.
// Only the fields the wrapper reads are typed; everything else is kept in `raw`.

export interface TextBlock {
  type: 'text';
  text: string;
}
export interface ToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: Record<string, unknown>;
}
export interface ToolResultBlock {
  type: 'tool_result';
  tool_use_id: string;
  content: unknown;
  is_error: boolean;
}
export type ContentBlock = TextBlock | ToolUseBlock | ToolResultBlock | { type: 'other' };

export interface InitMessage {
  type: 'init';
  sessionId: string;
  model: string;
  cwd: string;
  version: string;
  permissionMode: string;
}
export interface AssistantMessage {
  type: 'assistant';
  messageId: string;
  model: string;
  content: ContentBlock[];
  stopReason: string | null;
  usage: Usage | undefined;
  parentToolUseId: string | null;
  /** When the CLI wrote the line (2.1.332), in ms. */
  timestamp: number | undefined;
  /** A background agent's own line (2.1.332): its task id. */
  agentId: string | undefined;
}
export interface UserMessage {
  type: 'user';
  content: ContentBlock[];
  parentToolUseId: string | null;
  timestamp: number | undefined;
  toolUseResult: unknown;
  /** By tool_use id. */
  permissions: Map<string, ToolPermission>;
  agentId: string | undefined;
}
export interface PartialEvent {
  type: 'stream_event';
  event: 'message_start' | 'message_delta' | 'message_stop' | 'other';
  messageId: string | undefined;
  model: string | undefined;
  usage: Partial<Usage> | undefined;
  stopReason: string | undefined;
  ttftMs: number | undefined;
  parentToolUseId: string | null;
}
export interface ApiRetryMessage {
  type: 'api_retry';
  attempt: number;
  maxRetries: number;
  retryDelayMs: number;
  errorStatus: number | undefined;
  error: string;
}
export interface CompactBoundaryMessage {
  type: 'compact_boundary';
  trigger: string;
  preTokens: number | undefined;
  postTokens: number | undefined;
}
export interface ResultMessage {
  type: 'result';
  subtype: string;
  isError: boolean;
  result: string | undefined;
  sessionId: string;
  durationMs: number | undefined;
  durationApiMs: number | undefined;
  ttftMs: number | undefined;
  numTurns: number | undefined;
  totalCostUsd: number | undefined;
  usage: Usage | undefined;
  modelUsage: Record<string, ModelUsage>;
  permissionDenials: number;
  apiErrorStatus: number | undefined;
  stopReason: string | undefined;
}
/** claude asks the caller (SDK mode, `--permission-prompt-tool stdio`) whether a tool may run. */
export interface PermissionRequestMessage {
  type: 'permission_request';
  requestId: string;
  toolUseId: string;
}
export interface ModelUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheCreationInputTokens: number;
  costUSD: number;
  /** The model's context window in tokens (2.1.332). */
  contextWindow?: number;
}

export type StreamMessage =
  | InitMessage
  | AssistantMessage
  | UserMessage
  | PartialEvent
  | ApiRetryMessage
  | TaskStartedMessage
  | TaskUpdatedMessage
  | TaskNotificationMessage
  | CompactBoundaryMessage
  | ResultMessage
  | PermissionRequestMessage
  | { type: 'other' };

function obj(value: unknown): Json {
  return isObject(value) ? value : {};
}

export function parseContent(value: unknown): ContentBlock[] {
  if (typeof value === 'string') return [{ type: 'text', text: value }];
  if (!Array.isArray(value)) return [];
  return value.map((block): ContentBlock => {
    if (!isObject(block)) return { type: 'other' };
    if (block.type === 'text' && typeof block.text === 'string') return { type: 'text', text: block.text };
    if (block.type === 'tool_use' && typeof block.id === 'string' && typeof block.name === 'string') {
      return { type: 'tool_use', id: block.id, name: block.name, input: obj(block.input) };
    }
    if (block.type === 'tool_result' && typeof block.tool_use_id === 'string') {
      return { type: 'tool_result', tool_use_id: block.tool_use_id, content: block.content, is_error: block.is_error === true };
    }
    return { type: 'other' };
  });
}

function parseTimestamp(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

function parentOf(line: Json): string | null {
  return typeof line.parent_tool_use_id === 'string' ? line.parent_tool_use_id : null;
}

function parseSystem(line: Json): StreamMessage {
  switch (line.subtype) {
    case 'init':
      if (typeof line.session_id !== 'string') return { type: 'other' };
      return {
        type: 'init',
        sessionId: line.session_id,
        model: str(line.model) ?? 'unknown',
        cwd: str(line.cwd) ?? '',
        version: str(line.claude_code_version) ?? 'unknown',
        permissionMode: str(line.permissionMode) ?? 'default',
      };
    case 'api_retry':
      return {
        type: 'api_retry',
        attempt: num(line.attempt) ?? 0,
        maxRetries: num(line.max_retries) ?? 0,
        retryDelayMs: num(line.retry_delay_ms) ?? 0,
        errorStatus: num(line.error_status),
        error: typeof line.error === 'string' ? line.error : JSON.stringify(line.error ?? ''),
      };
    case 'compact_boundary': {
      const meta = obj(line.compact_metadata);
      return { type: 'compact_boundary', trigger: str(meta.trigger) ?? 'unknown', preTokens: num(meta.pre_tokens), postTokens: num(meta.post_tokens) };
    }
    case 'task_started':
    case 'task_updated':
    case 'task_notification':
      return parseTaskLine(line) ?? { type: 'other' };
    default:
      return { type: 'other' };
  }
}

function parseStreamEvent(line: Json): StreamMessage {
  const event = obj(line.event);
  // One literal per line, filled in below: spreading a shared base into each was slower.
  const message: PartialEvent = {
    type: 'stream_event',
    event: 'other',
    messageId: undefined,
    model: undefined,
    usage: undefined,
    stopReason: undefined,
    ttftMs: num(line.ttft_ms),
    parentToolUseId: parentOf(line),
  };
  switch (event.type) {
    case 'message_start': {
      const started = obj(event.message);
      message.event = 'message_start';
      message.messageId = str(started.id);
      message.model = str(started.model);
      message.usage = parsePartialUsage(started.usage);
      break;
    }
    case 'message_delta':
      message.event = 'message_delta';
      message.usage = parsePartialUsage(event.usage);
      message.stopReason = str(obj(event.delta).stop_reason);
      break;
    case 'message_stop':
      message.event = 'message_stop';
      break;
  }
  return message;
}

function parseModelUsage(value: unknown): Record<string, ModelUsage> {
  const out: Record<string, ModelUsage> = {};
  for (const [model, raw] of Object.entries(obj(value))) {
    const u = obj(raw);
    out[model] = {
      inputTokens: num(u.inputTokens) ?? 0,
      outputTokens: num(u.outputTokens) ?? 0,
      cacheReadInputTokens: num(u.cacheReadInputTokens) ?? 0,
      cacheCreationInputTokens: num(u.cacheCreationInputTokens) ?? 0,
      costUSD: num(u.costUSD) ?? 0,
    };
    const contextWindow = num(u.contextWindow);
    if (contextWindow !== undefined) out[model].contextWindow = contextWindow;
  }
  return out;
}

function parseResult(line: Json): StreamMessage {
  return {
    type: 'result',
    subtype: str(line.subtype) ?? 'unknown',
    isError: line.is_error === true,
    result: str(line.result),
    sessionId: str(line.session_id) ?? '',
    durationMs: num(line.duration_ms),
    durationApiMs: num(line.duration_api_ms),
    ttftMs: num(line.ttft_ms),
    numTurns: num(line.num_turns),
    totalCostUsd: num(line.total_cost_usd),
    usage: parseUsage(line.usage),
    modelUsage: parseModelUsage(line.modelUsage),
    permissionDenials: Array.isArray(line.permission_denials) ? line.permission_denials.length : 0,
    apiErrorStatus: num(line.api_error_status),
    stopReason: str(line.stop_reason),
  };
}

/** Parses an already-decoded JSON value into a typed message. */
export function toStreamMessage(line: unknown): StreamMessage {
  if (!isObject(line)) return { type: 'other' };
  switch (line.type) {
    case 'system':
      return parseSystem(line);
    case 'assistant': {
      const message = obj(line.message);
      if (typeof message.id !== 'string') return { type: 'other' };
      return {
        type: 'assistant',
        messageId: message.id,
        model: str(message.model) ?? 'unknown',
        content: parseContent(message.content),
        stopReason: str(message.stop_reason) ?? null,
        usage: parseUsage(message.usage),
        parentToolUseId: parentOf(line),
        timestamp: parseTimestamp(line.timestamp),
        agentId: str(line.agent_id),
      };
    }
    case 'user':
      return {
        type: 'user',
        content: parseContent(obj(line.message).content),
        parentToolUseId: parentOf(line),
        timestamp: parseTimestamp(line.timestamp),
        toolUseResult: line.tool_use_result,
        permissions: parsePermissions(line.tool_result_meta),
        agentId: str(line.agent_id),
      };
    case 'stream_event':
      return parseStreamEvent(line);
    case 'result':
      return parseResult(line);
    case 'control_request':
      return parseControlRequest(line);
    default:
      return { type: 'other' };
  }
}

/** Of claude's control requests only the permission question matters here. */
function parseControlRequest(line: Json): StreamMessage {
  const request = obj(line.request);
  if (request.subtype !== 'can_use_tool' || typeof line.request_id !== 'string' || typeof request.tool_use_id !== 'string') return { type: 'other' };
  return { type: 'permission_request', requestId: line.request_id, toolUseId: request.tool_use_id };
}

/**
 * One line of claude's stdout. `undefined` when the line is not JSON at all
 * (junk is the caller's to pass through); `{type: 'other'}` for JSON the wrapper does not use.
 */
export function parseStreamLine(line: string): StreamMessage | undefined {
  return parseStreamLineValue(line)?.message;
}

export interface ParsedLine {
  /** The decoded JSON object, as claude wrote it. */
  value: Record<string, unknown>;
  message: StreamMessage;
}

/** Like parseStreamLine, keeping the decoded object for output that must be rebuilt from it. */
/**
 * Most lines of a streamed answer are content-block deltas, which nothing here reads: they
 * are recognised by their opening (claude writes compact JSON, keys in this order) and not
 * decoded.
 */
const CONTENT_BLOCK_EVENT = '{"type":"stream_event","event":{"type":"content_block_';
const CONTENT_BLOCK_LINE: ParsedLine = Object.freeze({ value: Object.freeze({ type: 'stream_event' }), message: Object.freeze({ type: 'other' as const }) });

export function parseStreamLineValue(line: string): ParsedLine | undefined {
  if (line.startsWith(CONTENT_BLOCK_EVENT) && line.endsWith('}')) return CONTENT_BLOCK_LINE;
  const trimmed = line.trim();
  if (trimmed.length === 0 || trimmed[0] !== '{') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  if (!isObject(value)) return undefined;
  return { value, message: toStreamMessage(value) };
}
