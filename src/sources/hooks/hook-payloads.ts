import * as v from 'valibot';
import { maybeNumber, maybeString, stringOr, toolInput } from '../field-schemas.ts';
import { HOOK_EVENTS, type HookEventName } from './hook-events.ts';

export { HOOK_EVENTS, type HookEventName } from './hook-events.ts';

// The JSON objects claude writes to a command hook's stdin: a schema per event of the fields the
// wrapper reads, and the payload each becomes. A payload that lacks what identifies it is dropped.

const COMMON = {
  session_id: v.string(),
  transcript_path: stringOr(''),
  cwd: stringOr(''),
  /** Set when the hook fired inside a subagent. */
  agent_id: maybeString,
};

interface CommonLine {
  session_id: string;
  transcript_path: string;
  cwd: string;
  agent_id?: string | undefined;
}

function common(line: CommonLine): { sessionId: string; transcriptPath: string; cwd: string; agentId?: string } {
  const out: { sessionId: string; transcriptPath: string; cwd: string; agentId?: string } = {
    sessionId: line.session_id,
    transcriptPath: line.transcript_path,
    cwd: line.cwd,
  };
  if (line.agent_id) out.agentId = line.agent_id;
  return out;
}

const TOOL_CALL = { ...COMMON, tool_name: v.string(), tool_use_id: v.string(), tool_input: toolInput };

const SESSION_START = v.pipe(
  v.object({ ...COMMON, hook_event_name: v.literal('SessionStart'), source: stringOr('startup'), model: maybeString }),
  v.transform((line) => ({ ...common(line), event: line.hook_event_name, source: line.source, ...(line.model ? { model: line.model } : {}) })),
);
const USER_PROMPT_SUBMIT = v.pipe(
  v.object({ ...COMMON, hook_event_name: v.literal('UserPromptSubmit'), prompt: stringOr('') }),
  v.transform((line) => ({ ...common(line), event: line.hook_event_name, prompt: line.prompt })),
);
const PRE_TOOL_USE = v.pipe(
  v.object({ ...TOOL_CALL, hook_event_name: v.literal('PreToolUse') }),
  v.transform((line) => ({ ...common(line), event: line.hook_event_name, toolName: line.tool_name, toolUseId: line.tool_use_id, toolInput: line.tool_input })),
);
const POST_TOOL_USE = v.pipe(
  v.object({ ...TOOL_CALL, hook_event_name: v.literal('PostToolUse'), tool_response: v.optional(v.unknown()), duration_ms: maybeNumber }),
  v.transform((line) => ({
    ...common(line),
    event: line.hook_event_name,
    toolName: line.tool_name,
    toolUseId: line.tool_use_id,
    toolInput: line.tool_input,
    toolResponse: line.tool_response,
    ...(line.duration_ms !== undefined ? { durationMs: line.duration_ms } : {}),
  })),
);
const POST_TOOL_USE_FAILURE = v.pipe(
  v.object({
    ...TOOL_CALL,
    hook_event_name: v.literal('PostToolUseFailure'),
    error: stringOr(''),
    is_interrupt: v.fallback(v.optional(v.boolean(), false), false),
    duration_ms: maybeNumber,
  }),
  v.transform((line) => ({
    ...common(line),
    event: line.hook_event_name,
    toolName: line.tool_name,
    toolUseId: line.tool_use_id,
    toolInput: line.tool_input,
    error: line.error,
    isInterrupt: line.is_interrupt,
    ...(line.duration_ms !== undefined ? { durationMs: line.duration_ms } : {}),
  })),
);
const SUBAGENT = { ...COMMON, agent_id: v.string(), agent_type: stringOr('unknown') };
const SUBAGENT_START = v.pipe(
  v.object({ ...SUBAGENT, hook_event_name: v.literal('SubagentStart') }),
  v.transform((line) => ({ ...common(line), event: line.hook_event_name, agentId: line.agent_id, agentType: line.agent_type })),
);
const SUBAGENT_STOP = v.pipe(
  v.object({ ...SUBAGENT, hook_event_name: v.literal('SubagentStop') }),
  v.transform((line) => ({ ...common(line), event: line.hook_event_name, agentId: line.agent_id, agentType: line.agent_type })),
);
const STOP = v.pipe(
  v.object({ ...COMMON, hook_event_name: v.literal('Stop'), last_assistant_message: maybeString }),
  v.transform((line) => ({
    ...common(line),
    event: line.hook_event_name,
    ...(line.last_assistant_message !== undefined ? { lastAssistantMessage: line.last_assistant_message } : {}),
  })),
);
const STOP_FAILURE = v.pipe(
  v.object({ ...COMMON, hook_event_name: v.literal('StopFailure'), error: stringOr('unknown'), last_assistant_message: maybeString }),
  v.transform((line) => ({
    ...common(line),
    event: line.hook_event_name,
    error: line.error,
    ...(line.last_assistant_message !== undefined ? { lastAssistantMessage: line.last_assistant_message } : {}),
  })),
);
const SESSION_END = v.pipe(
  v.object({ ...COMMON, hook_event_name: v.literal('SessionEnd'), reason: stringOr('other') }),
  v.transform((line) => ({ ...common(line), event: line.hook_event_name, reason: line.reason })),
);
const PERMISSION_REQUEST = v.pipe(
  v.object({ ...COMMON, hook_event_name: v.literal('PermissionRequest'), tool_name: v.string(), tool_input: toolInput }),
  v.transform((line) => ({ ...common(line), event: line.hook_event_name, toolName: line.tool_name, toolInput: line.tool_input })),
);

/** By event: each schema checks its own `hook_event_name`. */
export const HOOK_PAYLOAD_SCHEMAS = {
  SessionStart: SESSION_START,
  UserPromptSubmit: USER_PROMPT_SUBMIT,
  PreToolUse: PRE_TOOL_USE,
  PostToolUse: POST_TOOL_USE,
  PostToolUseFailure: POST_TOOL_USE_FAILURE,
  SubagentStart: SUBAGENT_START,
  SubagentStop: SUBAGENT_STOP,
  Stop: STOP,
  StopFailure: STOP_FAILURE,
  SessionEnd: SESSION_END,
  PermissionRequest: PERMISSION_REQUEST,
} satisfies Record<HookEventName, v.GenericSchema>;

type Schemas = typeof HOOK_PAYLOAD_SCHEMAS;
export type HookPayload = { [E in HookEventName]: v.InferOutput<Schemas[E]> }[HookEventName];

function isHookEvent(name: unknown): name is HookEventName {
  return typeof name === 'string' && (HOOK_EVENTS as readonly string[]).includes(name);
}

export function parseHookPayload(value: unknown): HookPayload | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const event: unknown = Reflect.get(value, 'hook_event_name');
  if (!isHookEvent(event)) return undefined;
  const result = v.safeParse(HOOK_PAYLOAD_SCHEMAS[event], value);
  return result.success ? result.output : undefined;
}
