import type { AttributeValue, Attributes } from '@opentelemetry/api';
import type { NativeAttributes } from '../../sources/native-otlp/native-records.ts';
import { redactByKey } from '../../privacy/redact.ts';
import type { Redactor } from '../../privacy/redact.ts';
import {
  ATTR_CLAUDE_TOOL_PERMISSION_DECISION,
  ATTR_CLAUDE_TOOL_PERMISSION_SOURCE,
  ATTR_CLAUDE_TOOL_PERMISSION_WAIT_MS,
  ATTR_CLAUDE_TTFT_MS,
} from '../names.ts';

// Claude Code's own attribute names → ours (docs/telemetry.md, "Claude Code's own telemetry").
// Three kinds: renamed (a fact we name under our convention), dropped (a fact our side already
// carries, so that nothing is counted twice), and everything else, carried under Claude's name.
// Every string value goes through the same redaction as ours.

export const ATTR_CLAUDE_REQUEST_ID = 'claude.request_id';
export const ATTR_CLAUDE_FIRST_CONTENT_MS = 'claude.first_content_ms';
export const ATTR_CLAUDE_QUERY_SOURCE = 'claude.query_source';
export const ATTR_CLAUDE_EFFORT = 'claude.effort';
export const ATTR_CLAUDE_SPEED = 'claude.speed';
export const ATTR_CLAUDE_ATTEMPT = 'claude.attempt';
export const ATTR_CLAUDE_REQUEST_CONTEXT = 'claude.request.context';
export const ATTR_CLAUDE_INTERACTION_SEQUENCE = 'claude.interaction.sequence';
export const ATTR_CLAUDE_TOOL_BASH_COMMAND_CLASS = 'claude.tool.bash.command_class';
export const ATTR_CLAUDE_TOOL_BASH_ARGV0 = 'claude.tool.bash.argv0';
export const ATTR_CLAUDE_TOOL_INPUT_SIZE_BYTES = 'claude.tool.input_size_bytes';
export const ATTR_CLAUDE_PROMPT_ID = 'claude.prompt.id';
/** Marks what came from Claude Code's own export (spans and log records it alone had). */
export const ATTR_CLAUDE_NATIVE = 'claude.native';

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
  'llm_request.context': ATTR_CLAUDE_REQUEST_CONTEXT,
  'interaction.sequence': ATTR_CLAUDE_INTERACTION_SEQUENCE,
  bash_command_class: ATTR_CLAUDE_TOOL_BASH_COMMAND_CLASS,
  bash_argv0: ATTR_CLAUDE_TOOL_BASH_ARGV0,
  tool_input_size_bytes: ATTR_CLAUDE_TOOL_INPUT_SIZE_BYTES,
  'prompt.id': ATTR_CLAUDE_PROMPT_ID,
};

/** On the permission wait (`claude_code.tool.blocked_on_user`), folded into its tool span. */
export const PERMISSION_RENAMED: Record<string, string> = {
  decision: ATTR_CLAUDE_TOOL_PERMISSION_DECISION,
  source: ATTR_CLAUDE_TOOL_PERMISSION_SOURCE,
  duration_ms: ATTR_CLAUDE_TOOL_PERMISSION_WAIT_MS,
};

/** Claude's labels of the whole process, which the session span already says: left out everywhere. */
const PROCESS_LABELS = new Set([
  'session.id',
  'user.id',
  'terminal.type',
  'anthropic.provider',
  'anthropic.custom_base_url',
  'span.type',
  'gen_ai.conversation.id',
]);

/** Facts a joined span already has from our side (the model, the tool's name and id, the duration): left out there. */
const DUPLICATES = new Set([
  'duration_ms',
  'interaction.duration_ms',
  'gen_ai.system',
  'gen_ai.provider.name',
  'gen_ai.operation.name',
  'gen_ai.request.model',
  'gen_ai.response.model',
  'gen_ai.response.id',
  'gen_ai.response.finish_reasons',
  'gen_ai.tool.name',
  'gen_ai.tool.call.id',
  'model',
  'stop_reason',
  'success',
  'tool_name',
  'tool_name_safe',
  'tool_use_id',
  'user_prompt_length',
  'prompt_length',
  'event.name',
  'event.timestamp',
  'event.sequence',
]);

/** Token counts: on a joined model call ours stay, so that a sum over the trace counts each call once. */
export const TOKEN_KEYS = new Set([
  'input_tokens',
  'output_tokens',
  'cache_read_tokens',
  'cache_creation_tokens',
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.output_tokens',
  'gen_ai.usage.cache_read.input_tokens',
  'gen_ai.usage.cache_write.input_tokens',
  'gen_ai.usage.cache_creation.input_tokens',
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
