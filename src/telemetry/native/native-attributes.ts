import type { AttributeValue, Attributes } from '@opentelemetry/api';
import type { NativeAttributes } from '../../sources/native-otlp/native-records.ts';
import { redactByKey } from '../../privacy/redact.ts';
import type { Redactor } from '../../privacy/redact.ts';
import {
  ATTR_CLAUDE_ATTEMPT,
  ATTR_CLAUDE_EFFORT,
  ATTR_CLAUDE_FIRST_CONTENT_MS,
  ATTR_CLAUDE_INTERACTION_SEQUENCE,
  ATTR_CLAUDE_PROMPT_ID,
  ATTR_CLAUDE_QUERY_SOURCE,
  ATTR_CLAUDE_REQUEST_CONTEXT,
  ATTR_CLAUDE_REQUEST_ID,
  ATTR_CLAUDE_SPEED,
  ATTR_CLAUDE_TOOL_BASH_ARGV0,
  ATTR_CLAUDE_TOOL_BASH_COMMAND_CLASS,
  ATTR_CLAUDE_TOOL_INPUT_SIZE_BYTES,
  ATTR_CLAUDE_TOOL_PERMISSION_DECISION,
  ATTR_CLAUDE_TOOL_PERMISSION_SOURCE,
  ATTR_CLAUDE_TOOL_PERMISSION_WAIT_MS,
  ATTR_CLAUDE_TTFT_MS,
  ATTR_EVENT_NAME,
  ATTR_GEN_AI_CONVERSATION_ID,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_TOOL_CALL_ID,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_SESSION_ID,
  NATIVE_ATTR_CUSTOM_BASE_URL,
  NATIVE_ATTR_EVENT_SEQUENCE,
  NATIVE_ATTR_EVENT_TIMESTAMP,
  NATIVE_ATTR_GEN_AI_SYSTEM,
  NATIVE_ATTR_INTERACTION_DURATION,
  NATIVE_ATTR_INTERACTION_SEQUENCE,
  NATIVE_ATTR_PROMPT_ID,
  NATIVE_ATTR_PROVIDER,
  NATIVE_ATTR_REQUEST_CONTEXT,
  NATIVE_ATTR_SPAN_TYPE,
  NATIVE_ATTR_TERMINAL_TYPE,
  NATIVE_ATTR_USER_ID,
} from '../names.ts';

// Claude Code's own attribute names → ours (docs/telemetry.md, "Claude Code's own telemetry").
// Three kinds: renamed (a fact we name under our convention), dropped (a fact our side already
// carries, so that nothing is counted twice), and everything else, carried under Claude's name.
// Every string value goes through the same redaction as ours.

/** Claude's name → ours, wherever it appears. */
const RENAMED: Record<string, string> = {
  request_id: ATTR_CLAUDE_REQUEST_ID,
  ttft_ms: ATTR_CLAUDE_TTFT_MS,
  first_content_ms: ATTR_CLAUDE_FIRST_CONTENT_MS,
  query_source: ATTR_CLAUDE_QUERY_SOURCE,
  query_source_safe: ATTR_CLAUDE_QUERY_SOURCE,
  effort: ATTR_CLAUDE_EFFORT,
  speed: ATTR_CLAUDE_SPEED,
  attempt: ATTR_CLAUDE_ATTEMPT,
  [NATIVE_ATTR_REQUEST_CONTEXT]: ATTR_CLAUDE_REQUEST_CONTEXT,
  [NATIVE_ATTR_INTERACTION_SEQUENCE]: ATTR_CLAUDE_INTERACTION_SEQUENCE,
  bash_command_class: ATTR_CLAUDE_TOOL_BASH_COMMAND_CLASS,
  bash_argv0: ATTR_CLAUDE_TOOL_BASH_ARGV0,
  tool_input_size_bytes: ATTR_CLAUDE_TOOL_INPUT_SIZE_BYTES,
  [NATIVE_ATTR_PROMPT_ID]: ATTR_CLAUDE_PROMPT_ID,
};

/** On the permission wait (`claude_code.tool.blocked_on_user`), folded into its tool span. */
export const PERMISSION_RENAMED: Record<string, string> = {
  decision: ATTR_CLAUDE_TOOL_PERMISSION_DECISION,
  source: ATTR_CLAUDE_TOOL_PERMISSION_SOURCE,
  duration_ms: ATTR_CLAUDE_TOOL_PERMISSION_WAIT_MS,
};

/** Claude's labels of the whole process, which the session span already says: left out everywhere. */
const PROCESS_LABELS = new Set([
  ATTR_SESSION_ID,
  NATIVE_ATTR_USER_ID,
  NATIVE_ATTR_TERMINAL_TYPE,
  NATIVE_ATTR_PROVIDER,
  NATIVE_ATTR_CUSTOM_BASE_URL,
  NATIVE_ATTR_SPAN_TYPE,
  ATTR_GEN_AI_CONVERSATION_ID,
]);

/** Facts a joined span already has from our side (the model, the tool's name and id, the duration): left out there. */
const DUPLICATES = new Set([
  'duration_ms',
  NATIVE_ATTR_INTERACTION_DURATION,
  NATIVE_ATTR_GEN_AI_SYSTEM,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_TOOL_CALL_ID,
  'model',
  'stop_reason',
  'success',
  'tool_name',
  'tool_name_safe',
  'tool_use_id',
  'user_prompt_length',
  'prompt_length',
  ATTR_EVENT_NAME,
  NATIVE_ATTR_EVENT_TIMESTAMP,
  NATIVE_ATTR_EVENT_SEQUENCE,
]);

/** Token counts: on a joined model call ours stay, so that a sum over the trace counts each call once. */
export const TOKEN_KEYS = new Set([
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_creation_tokens',
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
]);

/** Conversation text, which our privacy settings govern: kept only where they say `full`. */
export const CONTENT_KEYS = new Set(['user_prompt', 'prompt', 'prompt_text', 'response', 'tool_input', 'tool_parameters', 'tool_result']);

/** Counts Claude writes as text on some events (`"51"`): numbers under our names. */
const NUMERIC = new Set([ATTR_CLAUDE_TOOL_INPUT_SIZE_BYTES, ATTR_CLAUDE_TOOL_PERMISSION_WAIT_MS, ATTR_CLAUDE_TTFT_MS, ATTR_CLAUDE_ATTEMPT]);

export function redactedValue(redact: Redactor, key: string, value: AttributeValue): AttributeValue {
  if (typeof value === 'string') return redactByKey(redact, key, value);
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'string' ? redactByKey(redact, key, item) : item)) as AttributeValue;
  return value;
}

export interface TranslateOptions {
  redact: Redactor;
  /** Keep conversation text (our prompts or responses setting is `full`). */
  keepContent: boolean;
  /** A span or record our side also has: what it already says is left out, the token counts too. */
  joined: boolean;
  /** Extra renames for this kind of span. */
  renamed?: Record<string, string>;
}

/** Claude's attributes under our names, duplicates left out, values redacted. */
export function translateAttributes(native: NativeAttributes, options: TranslateOptions): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(native)) {
    const renamed = options.renamed?.[key];
    if (PROCESS_LABELS.has(key)) continue;
    if (options.joined && !renamed && (DUPLICATES.has(key) || TOKEN_KEYS.has(key))) continue;
    if (CONTENT_KEYS.has(key) && !options.keepContent) continue;
    const name = renamed ?? RENAMED[key] ?? key;
    // A permission wait that Claude could not place (2.1.197 says `unknown`) tells nothing.
    if (renamed && value === 'unknown') continue;
    out[name] = NUMERIC.has(name) && typeof value === 'string' && /^\d+(?:\.\d+)?$/.test(value) ? Number(value) : redactedValue(options.redact, name, value);
  }
  return out;
}
