// The JSON objects claude writes to a command hook's stdin, validated at the edge.
// Only the fields the wrapper reads are typed; a payload that lacks them is dropped.

import { isJsonObject as isObject, asString as str, asNumber as num } from '../../untrusted-json.ts';

export const HOOK_EVENTS = [
  'SessionStart',
  'UserPromptSubmit',
  'PreToolUse',
  'PostToolUse',
  'PostToolUseFailure',
  'SubagentStart',
  'SubagentStop',
  'Stop',
  'StopFailure',
  'SessionEnd',
  // Fired when claude asks the person to allow a tool call, and before it compacts the conversation.
  'PermissionRequest',
  'PreCompact',
] as const;

export type HookEventName = (typeof HOOK_EVENTS)[number];

interface HookCommon {
  sessionId: string;
  transcriptPath: string;
  cwd: string;
  /** Set when the hook fired inside a subagent. */
  agentId?: string;
}

export type HookPayload = HookCommon &
  (
    | { event: 'SessionStart'; source: string; model?: string }
    | { event: 'UserPromptSubmit'; prompt: string }
    | { event: 'PreToolUse'; toolName: string; toolUseId: string; toolInput: Record<string, unknown> }
    | { event: 'PostToolUse'; toolName: string; toolUseId: string; toolInput: Record<string, unknown>; toolResponse: unknown; durationMs?: number }
    | {
        event: 'PostToolUseFailure';
        toolName: string;
        toolUseId: string;
        toolInput: Record<string, unknown>;
        error: string;
        isInterrupt: boolean;
        durationMs?: number;
      }
    | { event: 'SubagentStart'; agentId: string; agentType: string }
    | { event: 'SubagentStop'; agentId: string; agentType: string }
    | { event: 'Stop'; lastAssistantMessage?: string }
    | { event: 'StopFailure'; error: string; lastAssistantMessage?: string }
    | { event: 'SessionEnd'; reason: string }
    | { event: 'PermissionRequest'; toolName: string; toolInput: Record<string, unknown> }
    | { event: 'PreCompact'; trigger: string }
  );

function isHookEvent(name: unknown): name is HookEventName {
  return typeof name === 'string' && (HOOK_EVENTS as readonly string[]).includes(name);
}

export function parseHookPayload(value: unknown): HookPayload | undefined {
  if (!isObject(value)) return undefined;
  const event = value.hook_event_name;
  const sessionId = str(value.session_id);
  if (!isHookEvent(event) || sessionId === undefined) return undefined;
  const common: HookCommon = { sessionId, transcriptPath: str(value.transcript_path) ?? '', cwd: str(value.cwd) ?? '' };
  const agentId = str(value.agent_id);
  if (agentId) common.agentId = agentId;
  const lastAssistantMessage = str(value.last_assistant_message);
  const durationMs = num(value.duration_ms);

  switch (event) {
    case 'SessionStart': {
      const model = str(value.model);
      return { ...common, event, source: str(value.source) ?? 'startup', ...(model ? { model } : {}) };
    }
    case 'UserPromptSubmit':
      return { ...common, event, prompt: str(value.prompt) ?? '' };
    case 'PreToolUse':
    case 'PostToolUse':
    case 'PostToolUseFailure': {
      const toolName = str(value.tool_name);
      const toolUseId = str(value.tool_use_id);
      if (toolName === undefined || toolUseId === undefined) return undefined;
      const toolInput = isObject(value.tool_input) ? value.tool_input : {};
      if (event === 'PreToolUse') return { ...common, event, toolName, toolUseId, toolInput };
      const timing = durationMs !== undefined ? { durationMs } : {};
      if (event === 'PostToolUse') return { ...common, event, toolName, toolUseId, toolInput, toolResponse: value.tool_response, ...timing };
      return { ...common, event, toolName, toolUseId, toolInput, error: str(value.error) ?? '', isInterrupt: value.is_interrupt === true, ...timing };
    }
    case 'SubagentStart':
    case 'SubagentStop':
      if (agentId === undefined) return undefined;
      return { ...common, event, agentId, agentType: str(value.agent_type) ?? 'unknown' };
    case 'Stop':
      return { ...common, event, ...(lastAssistantMessage !== undefined ? { lastAssistantMessage } : {}) };
    case 'StopFailure':
      return { ...common, event, error: str(value.error) ?? 'unknown', ...(lastAssistantMessage !== undefined ? { lastAssistantMessage } : {}) };
    case 'SessionEnd':
      return { ...common, event, reason: str(value.reason) ?? 'other' };
    case 'PermissionRequest': {
      const toolName = str(value.tool_name);
      if (toolName === undefined) return undefined;
      return { ...common, event, toolName, toolInput: isObject(value.tool_input) ? value.tool_input : {} };
    }
    case 'PreCompact':
      return { ...common, event, trigger: str(value.trigger) ?? 'unknown' };
  }
}
