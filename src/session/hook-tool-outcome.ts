import type { HookPayload } from '../sources/hooks/hook-payloads.ts';
import type { TranscriptToolResult } from '../sources/transcript/transcript-lines.ts';
import type { ToolOutcome } from './events.ts';
import { toolOutcome } from './tool-outcome.ts';

export type ToolEndHook = Extract<HookPayload, { event: 'PostToolUse' | 'PostToolUseFailure' }>;

/** A tool call's outcome from its PostToolUse/PostToolUseFailure hook and, when there, its transcript result. */
export function hookToolOutcome(hook: ToolEndHook, result: TranscriptToolResult | undefined): ToolOutcome {
  const timing = hook.durationMs !== undefined ? { durationMs: hook.durationMs } : {};
  if (hook.event === 'PostToolUse') {
    const content = result ? result.content : typeof hook.toolResponse === 'string' ? hook.toolResponse : undefined;
    return toolOutcome({ toolName: hook.toolName, content, isError: result?.isError ?? false, toolUseResult: hook.toolResponse, ...timing });
  }
  return toolOutcome({
    toolName: hook.toolName,
    content: result?.content,
    isError: true,
    toolUseResult: result?.toolUseResult,
    errorText: hook.error,
    isInterrupt: hook.isInterrupt,
    ...timing,
  });
}
