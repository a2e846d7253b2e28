import { STATUS_ERROR } from '../../store/reader.ts';
import type { StoredSpan } from '../../store/reader.ts';
import type { TokenUsage } from '../../session/events.ts';
import {
  ATTR_CLAUDE_PROMPT_INDEX,
  ATTR_CLAUDE_TOOL_ERROR,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  OPERATION_CHAT,
  OPERATION_EXECUTE_TOOL,
  OPERATION_INVOKE_AGENT,
  SPAN_PROMPT,
  SPAN_SESSION,
  operationTarget,
} from '../../telemetry/names.ts';

// What the viewing commands ask of a stored span (decoded by the store's reader): its attributes, its role, its tokens.

export type { AttributeValue, StoredSpan, StoredSpanEvent } from '../../store/reader.ts';

export function stringAttr(span: StoredSpan, key: string): string | undefined {
  const value = span.attributes[key];
  return typeof value === 'string' ? value : undefined;
}

export function numberAttr(span: StoredSpan, key: string): number | undefined {
  const value = span.attributes[key];
  return typeof value === 'number' ? value : undefined;
}

export function boolAttr(span: StoredSpan, key: string): boolean | undefined {
  const value = span.attributes[key];
  return typeof value === 'boolean' ? value : undefined;
}

/** What the span is, by the names docs/telemetry.md gives them. */
export type SpanRole = 'session' | 'prompt' | 'chat' | 'tool' | 'agent' | 'other';

export function spanRole(span: StoredSpan): SpanRole {
  if (span.name === SPAN_SESSION) return 'session';
  if (span.name === SPAN_PROMPT && span.attributes[ATTR_CLAUDE_PROMPT_INDEX] !== undefined) return 'prompt';
  if (operationTarget(span.name, OPERATION_INVOKE_AGENT) !== undefined) return 'agent';
  if (operationTarget(span.name, OPERATION_CHAT) !== undefined) return 'chat';
  if (operationTarget(span.name, OPERATION_EXECUTE_TOOL) !== undefined) return 'tool';
  return 'other';
}

export function isErrorSpan(span: StoredSpan): boolean {
  return span.statusCode === STATUS_ERROR || boolAttr(span, ATTR_CLAUDE_TOOL_ERROR) === true;
}

/** A chat (or session) span's tokens; its `gen_ai.usage.input_tokens` includes the cache. */
export function spanTokens(span: StoredSpan): TokenUsage {
  const cacheRead = numberAttr(span, ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS) ?? 0;
  // cache_write is the name with OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental.
  const cacheCreation = numberAttr(span, ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS) ?? numberAttr(span, ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS) ?? 0;
  const allInput = numberAttr(span, ATTR_GEN_AI_USAGE_INPUT_TOKENS) ?? 0;
  return {
    input: Math.max(0, allInput - cacheRead - cacheCreation),
    output: numberAttr(span, ATTR_GEN_AI_USAGE_OUTPUT_TOKENS) ?? 0,
    cacheRead,
    cacheCreation,
  };
}

export function totalTokens(t: TokenUsage): number {
  return t.input + t.output + t.cacheRead + t.cacheCreation;
}

/** The model of a chat span: the response's, else the request's, else the span name's. */
export function chatModel(span: StoredSpan): string {
  return stringAttr(span, ATTR_GEN_AI_RESPONSE_MODEL) ?? stringAttr(span, ATTR_GEN_AI_REQUEST_MODEL) ?? operationTarget(span.name, OPERATION_CHAT) ?? span.name;
}

/**
 * The model name claude gives a message it made up itself for a call that never reached the
 * API (an API error, an interruption): no model was asked, so no view lists it as one.
 */
export const PLACEHOLDER_MODEL = '<synthetic>';

/** A chat span for claude's placeholder message rather than a call to a model. */
export function isPlaceholderCall(span: StoredSpan): boolean {
  return spanRole(span) === 'chat' && chatModel(span) === PLACEHOLDER_MODEL;
}

/** The chat spans that were calls to a model. */
export function modelCalls(spans: readonly StoredSpan[]): StoredSpan[] {
  return spans.filter((s) => spanRole(s) === 'chat' && chatModel(s) !== PLACEHOLDER_MODEL);
}
