// How sessions are described: which GenAI convention names, whether conversation content is
// recorded, and the prompt cache lifetime rebuilds are judged by. Read once, like every setting.

import { booleanSetting } from './boolean-setting.ts';

type Env = Record<string, string | undefined>;

export interface GenAiConfig {
  /** OTEL_SEMCONV_STABILITY_OPT_IN names gen_ai_latest_experimental: today's GenAI names only. */
  latestSemconv: boolean;
  /** CLAUDE_OTEL_LOG_CONTENT=on: messages and tool arguments/results on spans (scrubbed, capped). */
  logContent: boolean;
  /** CLAUDE_OTEL_CACHE_TTL_S, in ms: overrides the 5-minute / 1-hour prompt cache lifetime. */
  cacheTtlMs?: number;
}

export const DEFAULT_GENAI_CONFIG: GenAiConfig = { latestSemconv: false, logContent: false };

export function resolveGenAiConfig(env: Env, warnings: string[]): GenAiConfig {
  const optIn = (env.OTEL_SEMCONV_STABILITY_OPT_IN ?? '').split(',').map((v) => v.trim().toLowerCase());
  const config: GenAiConfig = {
    latestSemconv: optIn.includes('gen_ai_latest_experimental'),
    logContent: booleanSetting(env, 'CLAUDE_OTEL_LOG_CONTENT', false, warnings),
  };

  const ttl = env.CLAUDE_OTEL_CACHE_TTL_S?.trim();
  if (ttl) {
    const seconds = Number(ttl);
    if (Number.isFinite(seconds) && seconds > 0) config.cacheTtlMs = seconds * 1000;
    else warnings.push(`CLAUDE_OTEL_CACHE_TTL_S=${ttl} is not a positive number of seconds; using the cache's own lifetime`);
  }
  return config;
}
