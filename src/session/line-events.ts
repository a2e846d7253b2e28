import type { ApiRetryMessage, CompactBoundaryMessage } from '../sources/stream-json/messages.ts';
import type { SessionEvent, ToolOutcome } from './events.ts';

// Events that one stream-json line (or claude's exit) makes on its own, whatever the
// reader has seen before.

export function apiRetryEvent(message: ApiRetryMessage, time: number): SessionEvent {
  return {
    kind: 'api_error',
    time,
    ...(message.errorStatus !== undefined ? { status: message.errorStatus } : {}),
    message: message.error,
    attempt: message.attempt,
    maxRetries: message.maxRetries,
    retryDelayMs: message.retryDelayMs,
    final: false,
  };
}

export function compactionEvent(message: CompactBoundaryMessage, time: number): SessionEvent {
  const event: SessionEvent = { kind: 'compaction', time, trigger: message.trigger };
  if (message.preTokens !== undefined) event.preTokens = message.preTokens;
  if (message.postTokens !== undefined) event.postTokens = message.postTokens;
  return event;
}

/** A tool call still running when claude exited. */
export function unfinishedToolOutcome(): ToolOutcome {
  return {
    isError: true,
    errorMessage: 'claude exited before the tool call finished',
    outputBytes: 0,
    outputTruncated: false,
    interrupted: true,
    timedOut: false,
    permissionDenied: false,
  };
}
