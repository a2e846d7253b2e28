import type { Attributes } from '@opentelemetry/api';
import { ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS } from './names.ts';
import type { TokenUsage } from '../session/events.ts';
import {
  ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
} from './names.ts';

// Token counts under the GenAI names. The default keeps the names claude-otel has always
// emitted; OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental switches to today's
// (the cache write count was renamed from cache_creation to cache_write), as the
// conventions' transition plan asks of existing instrumentations.

/** Gen AI conventions count cache reads and writes into the input tokens for Anthropic. */
export function genAiInputTokens(usage: TokenUsage): number {
  return usage.input + usage.cacheRead + usage.cacheCreation;
}

export function cacheWriteAttributeName(latest: boolean): string {
  return latest ? ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS : ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS;
}

export function usageAttributes(usage: TokenUsage, latest: boolean): Attributes {
  const attributes: Attributes = {
    [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: genAiInputTokens(usage),
    [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: usage.output,
    [ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS]: usage.cacheRead,
    [cacheWriteAttributeName(latest)]: usage.cacheCreation,
  };
  if (usage.reasoning !== undefined) attributes[ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS] = usage.reasoning;
  if (usage.outputUnknown) delete attributes[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS];
  return attributes;
}
