import { nativeSetting } from './native-config.ts';
import type { NativeSetting } from './native-config.ts';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseKeyValueList, resolveExportConfig } from './otlp-config.ts';
import type { ExportConfig } from './otlp-config.ts';
import { resolvePrivacyConfig } from './privacy-config.ts';
import { booleanSetting } from './boolean-setting.ts';
import { sdkDisabledSetting } from './sdk-disabled.ts';
import { clampTimeoutSetting } from './timer-limit.ts';
import type { PrivacyConfig } from './privacy-config.ts';
import { resolveGenAiConfig } from './genai-config.ts';
import type { GenAiConfig } from './genai-config.ts';
import { unknownVariableWarnings } from './unknown-variables.ts';

// Everything the wrapper reads from its environment, resolved once.

type Env = Record<string, string | undefined>;

export interface WrapperConfig {
  /** OTEL_SDK_DISABLED=true: a pure pass-through. */
  sdkDisabled: boolean;
  serviceName: string;
  resourceAttributes: Record<string, string>;
  export: ExportConfig;
  flushTimeoutMs: number;
  /** SDK mode's budget: the Agent SDK stops waiting 2 s after a query, so the default is shorter. */
  sdkFlushTimeoutMs: number;
  debug: boolean;
  stateDir: string;
  storeEnabled: boolean;
  /** Later runs send sessions the collector missed, once it answers again. */
  retryUndelivered: boolean;
  /** CLAUDE_OTEL_PRINT_TRACE_ID: the trace id on stderr when the run ends (also --otel-print-trace-id). */
  printTraceId: boolean;
  privacy: PrivacyConfig;
  genAi: GenAiConfig;
  /** CLAUDE_OTEL_MAX_SPANS: spans, and log records, held for export at most at a time; the rest are counted. */
  maxHeldItems: number;
  /** CLAUDE_OTEL_NATIVE: whether Claude Code's own telemetry is joined (read again before claude starts, see native-launch.ts). */
  native: NativeSetting;
  warnings: string[];
}

export const DEFAULT_FLUSH_TIMEOUT_MS = 2000;
export const DEFAULT_SDK_FLUSH_TIMEOUT_MS = 500;

export function defaultStateDir(env: Env): string {
  const xdg = env.XDG_STATE_HOME?.trim();
  const home = env.HOME?.trim() || homedir();
  return join(xdg || join(home, '.local', 'state'), 'claude-otel');
}

/** The default of CLAUDE_OTEL_MAX_SPANS (session-buffer.ts says why). */
export const DEFAULT_MAX_SPANS = 10_000;

function maxHeldItems(env: Env, warnings: string[]): number {
  const raw = env.CLAUDE_OTEL_MAX_SPANS?.trim();
  if (!raw) return DEFAULT_MAX_SPANS;
  const n = Number(raw);
  if (Number.isSafeInteger(n) && n >= 1) return n;
  warnings.push(`CLAUDE_OTEL_MAX_SPANS=${raw} is not a whole number of at least 1; using ${DEFAULT_MAX_SPANS}`);
  return DEFAULT_MAX_SPANS;
}

export function resolveWrapperConfig(env: Env, options: { debugFlag?: boolean } = {}): WrapperConfig {
  const exportConfig = resolveExportConfig(env);
  const warnings = [...exportConfig.warnings];

  let flushTimeoutMs = DEFAULT_FLUSH_TIMEOUT_MS;
  let sdkFlushTimeoutMs = DEFAULT_SDK_FLUSH_TIMEOUT_MS;
  const flushRaw = env.CLAUDE_OTEL_FLUSH_TIMEOUT_MS?.trim();
  if (flushRaw) {
    const n = Number(flushRaw);
    if (Number.isFinite(n) && n >= 0) flushTimeoutMs = sdkFlushTimeoutMs = clampTimeoutSetting('CLAUDE_OTEL_FLUSH_TIMEOUT_MS', n, warnings);
    else warnings.push(`CLAUDE_OTEL_FLUSH_TIMEOUT_MS=${flushRaw} is not a number of milliseconds; using ${DEFAULT_FLUSH_TIMEOUT_MS}`);
  }

  const sdkDisabled = sdkDisabledSetting(env, warnings);
  warnings.push(...unknownVariableWarnings(env));
  return {
    sdkDisabled,
    serviceName: env.OTEL_SERVICE_NAME?.trim() || 'claude-otel',
    resourceAttributes: parseKeyValueList(env.OTEL_RESOURCE_ATTRIBUTES, warnings, 'OTEL_RESOURCE_ATTRIBUTES'),
    export: exportConfig,
    flushTimeoutMs,
    sdkFlushTimeoutMs,
    debug: booleanSetting(env, 'CLAUDE_OTEL_DEBUG', false, warnings) || options.debugFlag === true,
    stateDir: env.CLAUDE_OTEL_STATE_DIR?.trim() || defaultStateDir(env),
    storeEnabled: booleanSetting(env, 'CLAUDE_OTEL_STORE', true, warnings) && !sdkDisabled,
    retryUndelivered: booleanSetting(env, 'CLAUDE_OTEL_RETRY_UNDELIVERED', true, warnings),
    printTraceId: booleanSetting(env, 'CLAUDE_OTEL_PRINT_TRACE_ID', false, warnings),
    privacy: resolvePrivacyConfig(env, warnings),
    genAi: resolveGenAiConfig(env, warnings),
    maxHeldItems: maxHeldItems(env, warnings),
    native: nativeSetting(env, warnings),
    warnings,
  };
}
