import type { Attributes } from '@opentelemetry/api';
import type { ChatContent, MessagePart } from '../session/events.ts';
import { limitString } from '../privacy/attribute-limits.ts';
import { redactedWithin } from '../privacy/bounded-redaction.ts';
import { REDACTED } from '../privacy/redaction-engine.ts';
import { isSecretName } from '../privacy/secret-names.ts';
import { ATTR_GEN_AI_INPUT_MESSAGES, ATTR_GEN_AI_OUTPUT_MESSAGES } from './names.ts';

// Conversation content as the GenAI conventions shape it (gen_ai.input.messages,
// gen_ai.output.messages, gen_ai.tool.call.arguments, gen_ai.tool.call.result): JSON text,
// every string in it scrubbed, each string and the whole value capped so that one huge tool
// output cannot swell a span. Only with CLAUDE_OTEL_LOG_CONTENT=on.

/** The most characters of one string (a text, a command, a tool output) kept. */
export const CONTENT_STRING_LIMIT = 4096;
/** The most characters of one attribute's JSON. */
export const CONTENT_VALUE_LIMIT = 32768;
/** However many strings share the budget, each keeps at least this much. */
const MIN_STRING_SHARE = 256;

type Redact = (text: string) => string;

function countStrings(value: unknown): number {
  if (typeof value === 'string') return 1;
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + countStrings(v), 0);
  if (typeof value === 'object' && value !== null) return Object.values(value).reduce((n: number, v) => n + countStrings(v), 0);
  return 0;
}

/**
 * A copy with every string scrubbed, then cut (bound → redact → truncate); keys are kept (they
 * are the tool's schema) and judged too: `{"password": "x"}` loses x whatever it looks like.
 */
function scrub(value: unknown, redact: Redact, limit: number): unknown {
  if (typeof value === 'string') return redactedWithin(redact, value, limit, (dropped) => `… [truncated ${dropped} chars]`);
  if (Array.isArray(value)) return value.map((v) => scrub(v, redact, limit));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, typeof v === 'string' && v.length > 0 && isSecretName(k) ? REDACTED : scrub(v, redact, limit)]),
    );
  }
  return value;
}

/** JSON text of a content value, scrubbed and within CONTENT_VALUE_LIMIT. */
export function contentJson(value: unknown, redact: Redact): string {
  const json = JSON.stringify(scrub(value, redact, CONTENT_STRING_LIMIT)) ?? 'null';
  if (json.length <= CONTENT_VALUE_LIMIT) return json;
  // Too much in all: every string gets an equal share of the budget.
  const share = Math.max(MIN_STRING_SHARE, Math.floor(CONTENT_VALUE_LIMIT / Math.max(1, countStrings(value))) - 40);
  return limitString(JSON.stringify(scrub(value, redact, share)) ?? 'null', CONTENT_VALUE_LIMIT);
}

export function chatContentAttributes(content: ChatContent, finishReason: string | undefined, redact: Redact): Attributes {
  const output: { role: 'assistant'; parts: MessagePart[]; finish_reason?: string } = { role: 'assistant', parts: content.output };
  if (finishReason !== undefined) output.finish_reason = finishReason;
  return {
    [ATTR_GEN_AI_INPUT_MESSAGES]: contentJson(content.input, redact),
    [ATTR_GEN_AI_OUTPUT_MESSAGES]: contentJson([output], redact),
  };
}
