import type { Attributes } from '@opentelemetry/api';
import type { Redactor } from '../privacy/redact.ts';
import { redactedPrefix } from '../privacy/bounded-redaction.ts';
import type { SessionEvent, SessionSource } from '../session/events.ts';
import { contentJson } from './content-attributes.ts';
import {
  ATTR_CLAUDE_API_ERROR_ATTEMPT,
  ATTR_CLAUDE_API_ERROR_FINAL,
  ATTR_CLAUDE_API_ERROR_MAX_RETRIES,
  ATTR_CLAUDE_COMPACTION_POST_TOKENS,
  ATTR_CLAUDE_COMPACTION_PRE_TOKENS,
  ATTR_CLAUDE_COMPACTION_TRIGGER,
  ATTR_CLAUDE_CONTEXT_TOKENS,
  ATTR_CLAUDE_MODE,
  ATTR_CLAUDE_SOURCE,
  ATTR_CLAUDE_TOOL_INPUT_SUMMARY,
  ATTR_CLAUDE_VERSION,
  ATTR_CLAUDE_TTFT_MS,
  ATTR_ERROR_MESSAGE,
  ATTR_GEN_AI_CONVERSATION_ID,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_TOOL_CALL_ARGUMENTS,
  ATTR_GEN_AI_TOOL_CALL_ID,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_TOOL_TYPE,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SESSION_ID,
  OPERATION_CHAT,
  OPERATION_EXECUTE_TOOL,
  PROVIDER_ANTHROPIC,
} from './names.ts';
import { genAiInputTokens, usageAttributes } from './usage-attributes.ts';
import { resultErrorType } from './result-attributes.ts';

// The attributes of one session event, apart from the span bookkeeping in spans.ts.

/** A failed result's text in a span status. */
export const RESULT_MESSAGE_LENGTH = 500;

export type ChatEvent = Extract<SessionEvent, { kind: 'chat' }>;

/** A model call's own attributes: what it asked, what it answered, what it used. */
export function chatAttributes(chat: ChatEvent, latestSemconv: boolean): Attributes {
  const attributes: Attributes = {
    [ATTR_GEN_AI_OPERATION_NAME]: OPERATION_CHAT,
    [ATTR_GEN_AI_PROVIDER_NAME]: PROVIDER_ANTHROPIC,
    [ATTR_GEN_AI_REQUEST_MODEL]: chat.model,
    [ATTR_GEN_AI_RESPONSE_MODEL]: chat.model,
    ...usageAttributes(chat.usage, latestSemconv),
    [ATTR_CLAUDE_CONTEXT_TOKENS]: genAiInputTokens(chat.usage),
  };
  if (chat.messageId) attributes[ATTR_GEN_AI_RESPONSE_ID] = chat.messageId;
  if (chat.finishReason !== undefined) attributes[ATTR_GEN_AI_RESPONSE_FINISH_REASONS] = [chat.finishReason];
  if (chat.ttftMs !== undefined) attributes[ATTR_CLAUDE_TTFT_MS] = chat.ttftMs;
  return attributes;
}

type SessionStartEvent = Extract<SessionEvent, { kind: 'session_start' }>;

/** What the session span and the `claude.session.start` record both say about the session. */
export function sessionStartFacts(event: SessionStartEvent): Attributes {
  const source: SessionSource = event.source ?? 'wrapper';
  return {
    [ATTR_CLAUDE_MODE]: event.mode,
    [ATTR_CLAUDE_VERSION]: event.version,
    [ATTR_GEN_AI_REQUEST_MODEL]: event.model,
    [ATTR_CLAUDE_SOURCE]: source,
  };
}

export function sessionStartAttributes(event: SessionStartEvent): Attributes {
  const attributes = sessionStartFacts(event);
  if (event.sessionId) {
    attributes[ATTR_SESSION_ID] = event.sessionId;
    attributes[ATTR_GEN_AI_CONVERSATION_ID] = event.sessionId;
  }
  return attributes;
}

export function toolStartAttributes(
  event: Extract<SessionEvent, { kind: 'tool_start' }>,
  inputSummary: string,
  redact: Redactor,
  logContent: boolean,
): Attributes {
  const attributes: Attributes = {
    [ATTR_GEN_AI_OPERATION_NAME]: OPERATION_EXECUTE_TOOL,
    [ATTR_GEN_AI_TOOL_NAME]: event.name,
    [ATTR_GEN_AI_TOOL_CALL_ID]: event.toolUseId,
    [ATTR_GEN_AI_TOOL_TYPE]: event.name.startsWith('mcp__') ? 'extension' : 'function',
    [ATTR_CLAUDE_TOOL_INPUT_SUMMARY]: inputSummary,
  };
  if (logContent) attributes[ATTR_GEN_AI_TOOL_CALL_ARGUMENTS] = contentJson(event.input, redact);
  return attributes;
}

/** The `claude.compaction` span event's attributes, and its log record's. */
export function compactionAttributes(event: Extract<SessionEvent, { kind: 'compaction' }>): Attributes {
  const attributes: Attributes = { [ATTR_CLAUDE_COMPACTION_TRIGGER]: event.trigger };
  if (event.preTokens !== undefined) attributes[ATTR_CLAUDE_COMPACTION_PRE_TOKENS] = event.preTokens;
  if (event.postTokens !== undefined) attributes[ATTR_CLAUDE_COMPACTION_POST_TOKENS] = event.postTokens;
  return attributes;
}

/** The `claude.api_error` span event's attributes, and its log record's. */
export function apiErrorAttributes(event: Extract<SessionEvent, { kind: 'api_error' }>, redact: Redactor): Attributes {
  const attributes: Attributes = { [ATTR_ERROR_MESSAGE]: redact(event.message), [ATTR_CLAUDE_API_ERROR_FINAL]: event.final };
  if (event.status !== undefined) attributes[ATTR_HTTP_RESPONSE_STATUS_CODE] = event.status;
  if (event.attempt !== undefined) attributes[ATTR_CLAUDE_API_ERROR_ATTEMPT] = event.attempt;
  if (event.maxRetries !== undefined) attributes[ATTR_CLAUDE_API_ERROR_MAX_RETRIES] = event.maxRetries;
  return attributes;
}

/** claude exited with a non-zero code (an exit nobody saw is none). */
export function exitedWithError(event: Extract<SessionEvent, { kind: 'session_end' }>): boolean {
  return event.exitCode !== undefined && event.exitCode !== 0;
}

/** Why a session failed, or undefined when it did not: its `error.type` and status message. */
export function sessionFailure(event: Extract<SessionEvent, { kind: 'session_end' }>, redact: Redactor): { type: string; message: string } | undefined {
  const result = event.result;
  if (result?.isError !== true && !exitedWithError(event) && !event.interrupted) return undefined;
  const resultType = (result && resultErrorType(result)) ?? 'exit_code';
  const type = event.interrupted ? 'interrupted' : resultType;
  const message = result?.isError
    ? redactedPrefix(redact, result.text ?? '', RESULT_MESSAGE_LENGTH)
    : event.interrupted
      ? `interrupted${event.signal ? ` by ${event.signal}` : ''}`
      : `claude exited with code ${event.exitCode}`;
  return { type, message };
}
