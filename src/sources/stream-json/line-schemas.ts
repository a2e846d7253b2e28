import * as v from 'valibot';
import { CONTENT } from './content-blocks.ts';
import { countOrZero, maybe, maybeNullNumber, maybeNullString, maybeNumber, maybeString, parentToolUseId, stringOr } from '../field-schemas.ts';
import { permissionsOf, TOOL_RESULT_META } from './tool-result-meta.ts';
import { fullUsage, partialUsage, USAGE_SCHEMA, type Usage } from './usage.ts';

// The stream-json lines claude prints (print and SDK mode) that the wrapper reads: a schema of
// the fields it uses for each, and the typed message each becomes. Fields it does not use are
// not copied; the decoded line is kept beside the message for output rebuilt from it.

/** A line's `timestamp` (2.1.332), in ms. */
function toMs(timestamp: string | undefined): number | undefined {
  if (timestamp === undefined) return undefined;
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) ? undefined : ms;
}

export const INIT_LINE = v.pipe(
  v.object({
    type: v.literal('system'),
    subtype: v.literal('init'),
    session_id: v.string(),
    model: stringOr('unknown'),
    cwd: stringOr(''),
    claude_code_version: stringOr('unknown'),
    permissionMode: stringOr('default'),
  }),
  v.transform((line) => ({
    type: 'init' as const,
    sessionId: line.session_id,
    model: line.model,
    cwd: line.cwd,
    version: line.claude_code_version,
    permissionMode: line.permissionMode,
  })),
);

export const API_RETRY_LINE = v.pipe(
  v.object({
    type: v.literal('system'),
    subtype: v.literal('api_retry'),
    attempt: countOrZero,
    max_retries: countOrZero,
    retry_delay_ms: countOrZero,
    error_status: maybeNullNumber,
    /** A string in the versions seen; anything else is kept as its JSON. */
    error: v.optional(v.unknown()),
  }),
  v.transform((line) => ({
    type: 'api_retry' as const,
    attempt: line.attempt,
    maxRetries: line.max_retries,
    retryDelayMs: line.retry_delay_ms,
    errorStatus: line.error_status ?? undefined,
    error: typeof line.error === 'string' ? line.error : JSON.stringify(line.error ?? ''),
  })),
);

export const COMPACT_BOUNDARY_LINE = v.pipe(
  v.object({
    type: v.literal('system'),
    subtype: v.literal('compact_boundary'),
    compact_metadata: maybe(v.object({ trigger: stringOr('unknown'), pre_tokens: maybeNumber, post_tokens: maybeNumber })),
  }),
  v.transform((line) => ({
    type: 'compact_boundary' as const,
    trigger: line.compact_metadata?.trigger ?? 'unknown',
    preTokens: line.compact_metadata?.pre_tokens,
    postTokens: line.compact_metadata?.post_tokens,
  })),
);

export const ASSISTANT_LINE = v.pipe(
  v.object({
    type: v.literal('assistant'),
    message: v.object({
      id: v.string(),
      model: stringOr('unknown'),
      content: CONTENT,
      stop_reason: maybeNullString,
      usage: maybe(USAGE_SCHEMA),
    }),
    parent_tool_use_id: parentToolUseId,
    /** 2.1.332: when the CLI wrote the line. */
    timestamp: maybeString,
    /** 2.1.332: set on a background agent's own lines, its task id. */
    agent_id: maybeString,
  }),
  v.transform((line) => ({
    type: 'assistant' as const,
    messageId: line.message.id,
    model: line.message.model,
    content: line.message.content,
    stopReason: line.message.stop_reason ?? null,
    usage: line.message.usage && fullUsage(line.message.usage),
    parentToolUseId: line.parent_tool_use_id ?? null,
    /** When the CLI wrote the line (2.1.332), in ms. */
    timestamp: toMs(line.timestamp),
    /** A background agent's own line (2.1.332): its task id. */
    agentId: line.agent_id,
  })),
);

export const USER_LINE = v.pipe(
  v.object({
    type: v.literal('user'),
    message: maybe(v.object({ content: CONTENT })),
    parent_tool_use_id: parentToolUseId,
    timestamp: maybeString,
    tool_use_result: v.optional(v.unknown()),
    tool_result_meta: TOOL_RESULT_META,
    agent_id: maybeString,
  }),
  v.transform((line) => ({
    type: 'user' as const,
    content: line.message?.content ?? [],
    parentToolUseId: line.parent_tool_use_id ?? null,
    timestamp: toMs(line.timestamp),
    toolUseResult: line.tool_use_result,
    /** How each call was allowed or refused (2.1.332), by tool_use id. */
    permissions: permissionsOf(line.tool_result_meta),
    agentId: line.agent_id,
  })),
);

export const MESSAGE_START_EVENT = v.object({
  type: v.literal('message_start'),
  message: maybe(v.object({ id: maybeString, model: maybeString, usage: maybe(USAGE_SCHEMA) })),
});
export const MESSAGE_DELTA_EVENT = v.object({
  type: v.literal('message_delta'),
  usage: maybe(USAGE_SCHEMA),
  delta: maybe(v.object({ stop_reason: maybeNullString })),
});
export const MESSAGE_STOP_EVENT = v.object({ type: v.literal('message_stop') });

const OTHER_EVENT = v.pipe(
  v.unknown(),
  v.transform(() => ({ type: 'other' as const })),
);

export const STREAM_EVENT_LINE = v.pipe(
  v.object({
    type: v.literal('stream_event'),
    /** Content-block events and pings are 'other'. */
    event: v.union([v.variant('type', [MESSAGE_START_EVENT, MESSAGE_DELTA_EVENT, MESSAGE_STOP_EVENT]), OTHER_EVENT]),
    ttft_ms: maybeNumber,
    parent_tool_use_id: parentToolUseId,
  }),
  v.transform((line) => {
    // One literal per line, filled in below: spreading a shared base into each was slower.
    const message: PartialEvent = {
      type: 'stream_event',
      event: 'other',
      messageId: undefined,
      model: undefined,
      usage: undefined,
      stopReason: undefined,
      ttftMs: line.ttft_ms,
      parentToolUseId: line.parent_tool_use_id ?? null,
    };
    const event = line.event;
    switch (event.type) {
      case 'message_start':
        message.event = 'message_start';
        message.messageId = event.message?.id;
        message.model = event.message?.model;
        message.usage = event.message?.usage && partialUsage(event.message.usage);
        break;
      case 'message_delta':
        message.event = 'message_delta';
        message.usage = event.usage && partialUsage(event.usage);
        message.stopReason = event.delta?.stop_reason ?? undefined;
        break;
      case 'message_stop':
        message.event = 'message_stop';
        break;
    }
    return message;
  }),
);

/** A stream_event line: the message-level events of a streamed call (`--include-partial-messages`). */
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

const MODEL_USAGE = v.object({
  inputTokens: countOrZero,
  outputTokens: countOrZero,
  cacheReadInputTokens: countOrZero,
  cacheCreationInputTokens: countOrZero,
  costUSD: countOrZero,
  /** The model's context window in tokens (2.1.332). */
  contextWindow: maybeNumber,
});
const NO_MODEL_USAGE: v.InferOutput<typeof MODEL_USAGE> = { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, costUSD: 0 };

export const RESULT_LINE = v.pipe(
  v.object({
    type: v.literal('result'),
    subtype: stringOr('unknown'),
    is_error: v.fallback(v.optional(v.boolean(), false), false),
    /** Absent from an error result. */
    result: maybeString,
    session_id: stringOr(''),
    duration_ms: maybeNumber,
    duration_api_ms: maybeNumber,
    ttft_ms: maybeNumber,
    num_turns: maybeNumber,
    total_cost_usd: maybeNumber,
    usage: maybe(USAGE_SCHEMA),
    modelUsage: maybe(
      v.record(
        v.string(),
        v.fallback(MODEL_USAGE, () => ({ ...NO_MODEL_USAGE })),
      ),
    ),
    permission_denials: maybe(v.array(v.unknown())),
    api_error_status: maybeNullNumber,
    stop_reason: maybeNullString,
  }),
  v.transform((line) => ({
    type: 'result' as const,
    subtype: line.subtype,
    isError: line.is_error,
    result: line.result,
    sessionId: line.session_id,
    durationMs: line.duration_ms,
    durationApiMs: line.duration_api_ms,
    ttftMs: line.ttft_ms,
    numTurns: line.num_turns,
    totalCostUsd: line.total_cost_usd,
    usage: line.usage && fullUsage(line.usage),
    modelUsage: line.modelUsage ?? {},
    permissionDenials: line.permission_denials?.length ?? 0,
    apiErrorStatus: line.api_error_status ?? undefined,
    stopReason: line.stop_reason ?? undefined,
  })),
);

/** claude asks the caller (SDK mode, `--permission-prompt-tool stdio`) whether a tool may run. */
export const PERMISSION_REQUEST_LINE = v.pipe(
  v.object({
    type: v.literal('control_request'),
    request_id: v.string(),
    request: v.object({ subtype: v.literal('can_use_tool'), tool_use_id: v.string() }),
  }),
  v.transform((line) => ({ type: 'permission_request' as const, requestId: line.request_id, toolUseId: line.request.tool_use_id })),
);

export type InitMessage = v.InferOutput<typeof INIT_LINE>;
export type ApiRetryMessage = v.InferOutput<typeof API_RETRY_LINE>;
export type CompactBoundaryMessage = v.InferOutput<typeof COMPACT_BOUNDARY_LINE>;
export type AssistantMessage = v.InferOutput<typeof ASSISTANT_LINE>;
export type UserMessage = v.InferOutput<typeof USER_LINE>;
export type ResultMessage = v.InferOutput<typeof RESULT_LINE>;
export type ModelUsage = v.InferOutput<typeof MODEL_USAGE>;
export type PermissionRequestMessage = v.InferOutput<typeof PERMISSION_REQUEST_LINE>;
