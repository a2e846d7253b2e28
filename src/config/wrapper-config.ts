import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseKeyValueList, resolveExportConfig } from './otlp-config.ts';
import type { ExportConfig } from './otlp-config.ts';
import { resolvePrivacyConfig } from './privacy-config.ts';
import type { PrivacyConfig } from './privacy-config.ts';

// Everything the wrapper reads from its environment, resolved once.

type Env = Record<string, string | undefined>;

export interface WrapperConfig {
  /** OTEL_SDK_DISABLED=true: a pure pass-through. */
  sdkDisabled: boolean;
  serviceName: string;
  resourceAttributes: Record<string, string>;
  export: ExportConfig;
  flushTimeoutMs: number;
  debug: boolean;
  stateDir: string;
  storeEnabled: boolean;
  /** Later runs send sessions the collector missed, once it answers again. */
  retryUndelivered: boolean;
  privacy: PrivacyConfig;
  warnings: string[];
}

export const DEFAULT_FLUSH_TIMEOUT_MS = 2000;

function bool(raw: string | undefined): boolean | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  return undefined;
}

export function defaultStateDir(env: Env): string {
  const xdg = env.XDG_STATE_HOME?.trim();
  const home = env.HOME?.trim() || homedir();
  return join(xdg || join(home, '.local', 'state'), 'claude-otel');
}

export function resolveWrapperConfig(env: Env, options: { debugFlag?: boolean } = {}): WrapperConfig {
  const exportConfig = resolveExportConfig(env);
  const warnings = [...exportConfig.warnings];

  let flushTimeoutMs = DEFAULT_FLUSH_TIMEOUT_MS;
  const flushRaw = env.CLAUDE_OTEL_FLUSH_TIMEOUT_MS?.trim();
  if (flushRaw) {
    const n = Number(flushRaw);
    if (Number.isFinite(n) && n >= 0) flushTimeoutMs = n;
    else warnings.push(`CLAUDE_OTEL_FLUSH_TIMEOUT_MS=${flushRaw} is not a number of milliseconds; using ${DEFAULT_FLUSH_TIMEOUT_MS}`);
  }

  const sdkDisabled = bool(env.OTEL_SDK_DISABLED) === true;
  const storeRaw = env.CLAUDE_OTEL_STORE?.trim().toLowerCase();
  const retryRaw = env.CLAUDE_OTEL_RETRY_UNDELIVERED;
  const retryUndelivered = bool(retryRaw);
  if (retryRaw?.trim() && retryUndelivered === undefined) warnings.push(`CLAUDE_OTEL_RETRY_UNDELIVERED=${retryRaw.trim()} is not on or off; using on`);
  return {
    sdkDisabled,
    serviceName: env.OTEL_SERVICE_NAME?.trim() || 'claude-otel',
    resourceAttributes: parseKeyValueList(env.OTEL_RESOURCE_ATTRIBUTES, warnings, 'OTEL_RESOURCE_ATTRIBUTES'),
    export: exportConfig,
    flushTimeoutMs,
    debug: options.debugFlag === true || bool(env.CLAUDE_OTEL_DEBUG) === true,
    stateDir: env.CLAUDE_OTEL_STATE_DIR?.trim() || defaultStateDir(env),
    storeEnabled: !sdkDisabled && storeRaw !== 'off' && storeRaw !== 'false' && storeRaw !== '0',
    retryUndelivered: retryUndelivered ?? true,
    privacy: resolvePrivacyConfig(env, warnings),
    warnings,
  };
}
