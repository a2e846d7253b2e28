import * as v from 'valibot';
import type { TokenUsage } from '../model-call.ts';
import { maybeNull, maybeNullNumber, maybeNumber } from '../field-schemas.ts';

// A model call's usage as stream-json reports it (the Messages API's usage object), its schema,
// and the wrapper's own form of it.

export const USAGE_SCHEMA = v.object({
  input_tokens: maybeNullNumber,
  output_tokens: maybeNumber,
  cache_read_input_tokens: maybeNullNumber,
  cache_creation_input_tokens: maybeNullNumber,
  cache_creation: maybeNull(v.object({ ephemeral_1h_input_tokens: maybeNumber })),
  /** 2.1.332: the thinking tokens among the output tokens. */
  output_tokens_details: maybeNull(v.object({ thinking_tokens: maybeNumber })),
});
export type UsageLine = v.InferOutput<typeof USAGE_SCHEMA>;

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
function oneHourWrites(usage: UsageLine): number | undefined {
  const n = usage.cache_creation?.ephemeral_1h_input_tokens;
  return n !== undefined && n > 0 ? n : undefined;
}

/** A checked usage object, every count filled in. */
export function fullUsage(usage: UsageLine): Usage {
  const out: Usage = {
    input_tokens: usage.input_tokens ?? 0,
    output_tokens: usage.output_tokens ?? 0,
    cache_read_input_tokens: usage.cache_read_input_tokens ?? 0,
    cache_creation_input_tokens: usage.cache_creation_input_tokens ?? 0,
  };
  const oneHour = oneHourWrites(usage);
  if (oneHour !== undefined) out.cache_write_1h_tokens = oneHour;
  const thinking = usage.output_tokens_details?.thinking_tokens;
  if (thinking !== undefined) out.thinking_tokens = thinking;
  return out;
}

/** A checked usage object with only the counts it has (message_delta carries the output tokens alone). */
export function partialUsage(usage: UsageLine): Partial<Usage> {
  const out: Partial<Usage> = {};
  if (usage.input_tokens != null) out.input_tokens = usage.input_tokens;
  if (usage.output_tokens !== undefined) out.output_tokens = usage.output_tokens;
  if (usage.cache_read_input_tokens != null) out.cache_read_input_tokens = usage.cache_read_input_tokens;
  if (usage.cache_creation_input_tokens != null) out.cache_creation_input_tokens = usage.cache_creation_input_tokens;
  const oneHour = oneHourWrites(usage);
  if (oneHour !== undefined) out.cache_write_1h_tokens = oneHour;
  const thinking = usage.output_tokens_details?.thinking_tokens;
  if (thinking !== undefined) out.thinking_tokens = thinking;
  return out;
}

/** A usage object from anywhere (a transcript line, a result's `usage`); undefined when it is not one. */
export function parseUsage(value: unknown): Usage | undefined {
  const result = v.safeParse(USAGE_SCHEMA, value);
  return result.success ? fullUsage(result.output) : undefined;
}
