import type { AgentRef, TokenUsage } from '../session/events.ts';

// A cache rebuild: the prompt cache expired while the agent sat idle (the person away, a long
// tool), so the next call writes its whole context to the cache again, at the cache-write
// price. Anthropic's prompt cache lives 5 minutes, or 1 hour for 1-hour cache writes.

export const DEFAULT_CACHE_TTL_MS = 5 * 60_000;
export const LONG_CACHE_TTL_MS = 60 * 60_000;
/** "Most of its input": the share of a call's input that its cache write must cover. */
const REBUILD_WRITE_SHARE = 0.5;

export interface RebuildCall {
  agent: AgentRef;
  start: number;
  end: number;
  usage: TokenUsage;
}

/** The cache lifetime that applies to a call: the override, else 1 hour when its writes were mostly 1-hour ones. */
export function cacheTtlMs(usage: TokenUsage, overrideMs: number | undefined): number {
  if (overrideMs !== undefined) return overrideMs;
  const oneHour = usage.cacheWrite1h ?? 0;
  return oneHour > 0 && oneHour * 2 >= usage.cacheCreation ? LONG_CACHE_TTL_MS : DEFAULT_CACHE_TTL_MS;
}

export function writesMostOfInput(usage: TokenUsage): boolean {
  const input = usage.input + usage.cacheRead + usage.cacheCreation;
  return input > 0 && usage.cacheCreation > input * REBUILD_WRITE_SHARE;
}

/** Follows each agent's calls in order; says which ones rebuilt the cache. */
export class RebuildDetector {
  private readonly lastEnd = new Map<string, number>();

  constructor(private readonly ttlOverrideMs: number | undefined) {}

  /** Whether this call is a rebuild. Calls must be given in the order each agent made them. */
  check(call: RebuildCall): boolean {
    const key = call.agent ?? '';
    const previous = this.lastEnd.get(key);
    this.lastEnd.set(key, Math.max(call.end, previous ?? call.end));
    if (previous === undefined || !writesMostOfInput(call.usage)) return false;
    return call.start - previous > cacheTtlMs(call.usage, this.ttlOverrideMs);
  }
}
