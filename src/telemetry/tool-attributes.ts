import type { Attributes } from '@opentelemetry/api';
import type { ToolOutcome } from '../session/events.ts';
import { redactedErrorMessage } from '../session/tool-outcome.ts';
import { ATTR_CLAUDE_TOOL_PERMISSION_DECISION, ATTR_CLAUDE_TOOL_PERMISSION_SOURCE } from './names.ts';
import {
  ATTR_CLAUDE_TOOL_DURATION_MS,
  ATTR_CLAUDE_TOOL_ERROR,
  ATTR_CLAUDE_TOOL_ERROR_MESSAGE,
  ATTR_CLAUDE_TOOL_EXIT_CODE,
  ATTR_CLAUDE_TOOL_INTERRUPTED,
  ATTR_CLAUDE_TOOL_OUTPUT_BYTES,
  ATTR_CLAUDE_TOOL_OUTPUT_TRUNCATED,
  ATTR_CLAUDE_TOOL_PERMISSION_DENIED,
  ATTR_CLAUDE_TOOL_PERMISSION_WAIT_MS,
  ATTR_CLAUDE_TOOL_STDERR_BYTES,
  ATTR_CLAUDE_TOOL_STDOUT_BYTES,
  ATTR_CLAUDE_TOOL_TIMED_OUT,
  ATTR_ERROR_TYPE,
} from './names.ts';

// What a tool call's outcome says about it, as attributes of its execute_tool span.

/** claude's own figure when its hooks report one, else the span's length: the span, its log record and the metric agree. */
export function toolDurationMs(o: ToolOutcome, spanMs: number): number {
  return o.durationMs ?? Math.max(0, spanMs);
}

export function toolOutcomeAttributes(o: ToolOutcome, spanMs: number, redact: (text: string) => string): Attributes {
  const attributes: Attributes = {
    [ATTR_CLAUDE_TOOL_DURATION_MS]: toolDurationMs(o, spanMs),
    [ATTR_CLAUDE_TOOL_ERROR]: o.isError,
    [ATTR_CLAUDE_TOOL_OUTPUT_BYTES]: o.outputBytes,
    [ATTR_CLAUDE_TOOL_OUTPUT_TRUNCATED]: o.outputTruncated,
    [ATTR_CLAUDE_TOOL_INTERRUPTED]: o.interrupted,
    [ATTR_CLAUDE_TOOL_TIMED_OUT]: o.timedOut,
    [ATTR_CLAUDE_TOOL_PERMISSION_DENIED]: o.permissionDenied,
  };
  if (o.exitCode !== undefined) attributes[ATTR_CLAUDE_TOOL_EXIT_CODE] = o.exitCode;
  if (o.stdoutBytes !== undefined) attributes[ATTR_CLAUDE_TOOL_STDOUT_BYTES] = o.stdoutBytes;
  if (o.stderrBytes !== undefined) attributes[ATTR_CLAUDE_TOOL_STDERR_BYTES] = o.stderrBytes;
  // Redacted before it is cut (the outcome keeps it bounded, not cut).
  if (o.errorMessage !== undefined) attributes[ATTR_CLAUDE_TOOL_ERROR_MESSAGE] = redactedErrorMessage(redact, o);
  if (o.permissionWaitMs !== undefined) attributes[ATTR_CLAUDE_TOOL_PERMISSION_WAIT_MS] = o.permissionWaitMs;
  if (o.permissionDecision !== undefined) attributes[ATTR_CLAUDE_TOOL_PERMISSION_DECISION] = o.permissionDecision;
  if (o.permissionSource !== undefined) attributes[ATTR_CLAUDE_TOOL_PERMISSION_SOURCE] = o.permissionSource;
  const errorType = toolErrorType(o);
  if (errorType !== undefined) attributes[ATTR_ERROR_TYPE] = errorType;
  return attributes;
}

/** A failed call's `error.type`, one of four: the span's, and the execute_tool duration metric's. */
export function toolErrorType(o: ToolOutcome): 'permission_denied' | 'interrupted' | 'exit_code' | 'tool_error' | undefined {
  if (!o.isError) return undefined;
  if (o.permissionDenied) return 'permission_denied';
  if (o.interrupted) return 'interrupted';
  return o.exitCode !== undefined ? 'exit_code' : 'tool_error';
}
