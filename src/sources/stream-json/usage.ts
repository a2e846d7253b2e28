import { isJsonObject as isObject, type JsonObject as Json, asNumber as num } from '../../untrusted-json.ts';
import type { TokenUsage } from '../model-call.ts';

// A model call's usage as stream-json reports it, validated at the edge, and the wrapper's own form of it.

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
  /** `cache_creation.ephemeral_1h_input_tokens`: the cache writes that were 1-hour ones. */
  cache_write_1h_tokens?: number;
  /** output_tokens_details.thinking_tokens (2.1.332), when reported. */
  thinking_tokens?: number;
}

/** The wrapper's own form of a call's usage. */
export function tokenUsage(usage: Usage): TokenUsage {
  const out: TokenUsage = {
    input: usage.input_tokens,
    output: usage.output_tokens,
    cacheRead: usage.cache_read_input_tokens,
    cacheCreation: usage.cache_creation_input_tokens,
  };
  if (usage.cache_write_1h_tokens !== undefined) out.cacheWrite1h = usage.cache_write_1h_tokens;
  if (usage.thinking_tokens !== undefined) out.reasoning = usage.thinking_tokens;
  return out;
}

/** Only a non-zero count is kept: every usage object reports the field, mostly as 0. */
function oneHourWrites(usage: Json): number | undefined {
  const n = isObject(usage.cache_creation) ? num(usage.cache_creation.ephemeral_1h_input_tokens) : undefined;
  return n !== undefined && n > 0 ? n : undefined;
}

function thinkingTokens(usage: Json): number | undefined {
  return isObject(usage.output_tokens_details) ? num(usage.output_tokens_details.thinking_tokens) : undefined;
}

export function parseUsage(value: unknown): Usage | undefined {
  if (!isObject(value)) return undefined;
  const usage: Usage = {
    input_tokens: num(value.input_tokens) ?? 0,
    output_tokens: num(value.output_tokens) ?? 0,
    cache_read_input_tokens: num(value.cache_read_input_tokens) ?? 0,
    cache_creation_input_tokens: num(value.cache_creation_input_tokens) ?? 0,
  };
  const oneHour = oneHourWrites(value);
  if (oneHour !== undefined) usage.cache_write_1h_tokens = oneHour;
  const thinking = thinkingTokens(value);
  if (thinking !== undefined) usage.thinking_tokens = thinking;
  return usage;
}

export function parsePartialUsage(value: unknown): Partial<Usage> | undefined {
  if (!isObject(value)) return undefined;
  const usage: Partial<Usage> = {};
  for (const key of ['input_tokens', 'output_tokens', 'cache_read_input_tokens', 'cache_creation_input_tokens'] as const) {
    const n = num(value[key]);
    if (n !== undefined) usage[key] = n;
  }
  const oneHour = oneHourWrites(value);
  if (oneHour !== undefined) usage.cache_write_1h_tokens = oneHour;
  const thinking = thinkingTokens(value);
  if (thinking !== undefined) usage.thinking_tokens = thinking;
  return usage;
}
