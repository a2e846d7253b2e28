import { parseBoolean } from './boolean-setting.ts';

// CLAUDE_OTEL_NATIVE: whether Claude Code's own OpenTelemetry export goes through the wrapper
// and is joined into the session (docs/telemetry.md, "Claude Code's own telemetry"). Read
// before claude starts, because the receiver's address goes into claude's environment.

type Env = Record<string, string | undefined>;

export type NativeSetting = 'on' | 'off' | 'auto';

export const NATIVE_SETTING = 'CLAUDE_OTEL_NATIVE';

/** The setting as given: auto when unset; an unreadable value is auto too, with a warning. */
export function nativeSetting(env: Env, warnings: string[]): NativeSetting {
  const raw = env[NATIVE_SETTING]?.trim().toLowerCase();
  if (!raw || raw === 'auto') return 'auto';
  const value = parseBoolean(raw);
  if (value !== undefined) return value ? 'on' : 'off';
  warnings.push(`${NATIVE_SETTING}=${env[NATIVE_SETTING]?.trim()} is not on, off or auto; using auto`);
  return 'auto';
}
