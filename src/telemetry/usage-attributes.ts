import type { Attributes } from '@opentelemetry/api';
import type { TokenUsage } from '../session/events.ts';

// Token counts under the GenAI names. The default keeps the names claude-otel has always
// emitted; OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental switches to today's
// (the cache write count was renamed from cache_creation to cache_write), as the
// conventions' transition plan asks of existing instrumentations.

/** Gen AI conventions count cache reads and writes into the input tokens for Anthropic. */
export function genAiInputTokens(usage: TokenUsage): number {
  return usage.input + usage.cacheRead + usage.cacheCreation;
}

export function cacheWriteAttributeName(latest: boolean): string {
  return latest ? 'gen_ai.usage.cache_write.input_tokens' : 'gen_ai.usage.cache_creation.input_tokens';
}

export function usageAttributes(usage: TokenUsage, latest: boolean): Attributes {
  return {
    'gen_ai.usage.input_tokens': genAiInputTokens(usage),
    'gen_ai.usage.output_tokens': usage.output,
    'gen_ai.usage.cache_read.input_tokens': usage.cacheRead,
    [cacheWriteAttributeName(latest)]: usage.cacheCreation,
  };
}
