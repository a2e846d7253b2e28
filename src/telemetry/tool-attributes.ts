import type { Attributes } from '@opentelemetry/api';
import type { ToolOutcome } from '../session/events.ts';
import { redactedErrorMessage } from '../session/tool-outcome.ts';

// What a tool call's outcome says about it, as attributes of its execute_tool span.

export function toolOutcomeAttributes(o: ToolOutcome, spanMs: number, redact: (text: string) => string): Attributes {
  const attributes: Attributes = {
    'claude.tool.duration_ms': o.durationMs ?? Math.max(0, spanMs),
    'claude.tool.error': o.isError,
    'claude.tool.output_bytes': o.outputBytes,
    'claude.tool.output_truncated': o.outputTruncated,
    'claude.tool.interrupted': o.interrupted,
    'claude.tool.timed_out': o.timedOut,
    'claude.tool.permission_denied': o.permissionDenied,
  };
  if (o.exitCode !== undefined) attributes['claude.tool.exit_code'] = o.exitCode;
  if (o.stdoutBytes !== undefined) attributes['claude.tool.stdout_bytes'] = o.stdoutBytes;
  if (o.stderrBytes !== undefined) attributes['claude.tool.stderr_bytes'] = o.stderrBytes;
  // Redacted before it is cut (the outcome keeps it bounded, not cut).
  if (o.errorMessage !== undefined) attributes['claude.tool.error_message'] = redactedErrorMessage(redact, o);
  if (o.permissionWaitMs !== undefined) attributes['claude.tool.permission_wait_ms'] = o.permissionWaitMs;
  if (o.isError) attributes['error.type'] = o.permissionDenied ? 'permission_denied' : o.interrupted ? 'interrupted' : o.exitCode !== undefined ? 'exit_code' : 'tool_error';
  return attributes;
}
