import type { Usage } from '../sources/stream-json/messages.ts';
import type { TokenUsage } from './events.ts';

// A stream line's usage figures onto a call's: only those the line has (message_delta carries
// the final output tokens alone).

export function usageFrom(usage: Partial<Usage> | undefined, into: TokenUsage): void {
  if (!usage) return;
  if (usage.input_tokens !== undefined) into.input = usage.input_tokens;
  if (usage.output_tokens !== undefined) into.output = usage.output_tokens;
  if (usage.cache_read_input_tokens !== undefined) into.cacheRead = usage.cache_read_input_tokens;
  if (usage.cache_creation_input_tokens !== undefined) into.cacheCreation = usage.cache_creation_input_tokens;
  if (usage.cache_write_1h_tokens !== undefined) into.cacheWrite1h = usage.cache_write_1h_tokens;
  if (usage.thinking_tokens !== undefined) into.reasoning = usage.thinking_tokens;
}
