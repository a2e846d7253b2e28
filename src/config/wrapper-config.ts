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
import { resolveRetentionSettings } from './retention-config.ts';
import type { RetentionSettings } from './retention-config.ts';
import { traceLinkSettings } from './trace-link-config.ts';
import type { TraceLinkSettings } from './trace-link-config.ts';
import { claudeConfigDir } from './claude-config-dir.ts';
import { secretValuesFromEnv } from '../privacy/environment-secrets.ts';
import { stateDirProblem } from '../private-files.ts';

// Everything the wrapper reads from its environment, resolved once at an entry point (the
// command, runClaude(), ctl) and frozen: below them no module reads the environment, and
// nothing changes a setting once it is made.

type Env = Record<string, string | undefined>;

interface WrapperSettings {
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
  /** CLAUDE_OTEL_STORE_MAX_AGE_DAYS, CLAUDE_OTEL_STORE_MAX_MB. */
  retention: RetentionSettings;
  /** CLAUDE_OTEL_TRACE_URL, and GitHub Actions' job summary. */
  traceLink: TraceLinkSettings;
  /** Where claude keeps its transcripts (CLAUDE_CONFIG_DIR, else ~/.claude). */
  claudeConfigDir: string;
  /** The values of secret-named variables, hidden wherever they show up (environment-secrets.ts). */
  secretValues: readonly string[];
  /** The caller's trace context beside TRACEPARENT, passed to the session span as it came. */
  inbound: { tracestate?: string; baggage?: string };
  /** PATH, for the git commands that read the repository (never claude's: it gets its environment whole). */
  searchPath: string | undefined;
  /** Why the state dir is not used (someone else could write to it): nothing is stored, no log file. */
  stateDirProblem: string | undefined;
  /** CLAUDE_OTEL_NATIVE: whether Claude Code's own telemetry is joined (read again before claude starts, see native-launch.ts). */
  native: NativeSetting;
  warnings: string[];
}

/** The configuration: no one can change it once it is made. */
export type WrapperConfig = DeepReadonly<WrapperSettings>;
type DeepReadonly<T> = T extends (infer U)[] ? readonly DeepReadonly<U>[] : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
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

export interface ResolveOptions {
  debugFlag?: boolean;
  /** Create a missing state dir and tighten its mode, as a recording does; ctl only looks. */
  prepareStateDir?: boolean;
}

/** The warning a state dir that cannot be used leaves (claude-otel-ctl drops it when --state-dir names another). */
export function stateDirWarning(problem: string): string {
  return `state dir not used, nothing is stored: ${problem}`;
}

export function resolveWrapperConfig(env: Env, options: ResolveOptions = {}): WrapperConfig {
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
  const retention = resolveRetentionSettings(env);
  warnings.push(...retention.warnings);
  const debug = booleanSetting(env, 'CLAUDE_OTEL_DEBUG', false, warnings) || options.debugFlag === true;
  const stateDir = env.CLAUDE_OTEL_STATE_DIR?.trim() || defaultStateDir(env);
  const storeWanted = booleanSetting(env, 'CLAUDE_OTEL_STORE', true, warnings) && !sdkDisabled;
  // A state dir someone else could write to is not used at all: no store, no log file there.
  const problem = storeWanted || debug ? stateDirProblem(stateDir, { create: options.prepareStateDir === true }) : undefined;
  if (problem) warnings.push(stateDirWarning(problem));
  const config: WrapperSettings = {
    sdkDisabled,
    serviceName: env.OTEL_SERVICE_NAME?.trim() || 'claude-otel',
    resourceAttributes: parseKeyValueList(env.OTEL_RESOURCE_ATTRIBUTES, warnings, 'OTEL_RESOURCE_ATTRIBUTES'),
    export: exportConfig,
    flushTimeoutMs,
    sdkFlushTimeoutMs,
    debug,
    stateDir,
    storeEnabled: storeWanted && !problem,
    retryUndelivered: booleanSetting(env, 'CLAUDE_OTEL_RETRY_UNDELIVERED', true, warnings),
    printTraceId: booleanSetting(env, 'CLAUDE_OTEL_PRINT_TRACE_ID', false, warnings),
    privacy: resolvePrivacyConfig(env, warnings),
    genAi: resolveGenAiConfig(env, warnings),
    maxHeldItems: maxHeldItems(env, warnings),
    retention: retention.settings,
    traceLink: traceLinkSettings(env),
    claudeConfigDir: claudeConfigDir(env),
    secretValues: secretValuesFromEnv(env),
    inbound: { ...(env.TRACESTATE ? { tracestate: env.TRACESTATE } : {}), ...(env.BAGGAGE ? { baggage: env.BAGGAGE } : {}) },
    searchPath: env.PATH,
    stateDirProblem: problem,
    native: nativeSetting(env, warnings),
    warnings,
  };
  return deepFreeze(config);
}
