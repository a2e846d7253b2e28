type Env = Record<string, string | undefined>;

/** CLAUDE_OTEL_CLAUDE_BIN: the claude to run, by path or by name on PATH. */
export function claudeBinSetting(env: Env): string | undefined {
  return env.CLAUDE_OTEL_CLAUDE_BIN?.trim() || undefined;
}
