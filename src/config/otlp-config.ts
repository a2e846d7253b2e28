// Export settings resolved from the standard OTEL_* variables, per signal, the way the
// OpenTelemetry SDK environment specification describes them. Bad values never stop claude:
// they fall back to the default and are reported as warnings.

import { withoutUserinfo } from '../privacy/url-userinfo.ts';
import { clampTimeoutSetting } from './timer-limit.ts';
import { GENERAL_HEADERS_VARIABLE, parseHeaderVariable, signalHeadersVariable } from './otlp-headers.ts';

export { parseKeyValueList } from './key-value-list.ts';

export type OtlpProtocol = 'grpc' | 'http/protobuf' | 'http/json';
export type Signal = 'traces' | 'logs' | 'metrics';
/** The three signals, in the order everything lists them. */
export const SIGNALS: readonly Signal[] = ['traces', 'logs', 'metrics'];
export type ExporterKind = 'otlp' | 'console' | 'none';

export interface SignalExportConfig {
  signal: Signal;
  exporter: ExporterKind;
  protocol: OtlpProtocol;
  /** Where the exporter sends: for HTTP the full URL including /v1/<signal>; for gRPC the endpoint. */
  url: string;
  headers: Readonly<Record<string, string>>;
  timeoutMs: number;
  compression: 'gzip' | 'none';
}

export interface ExportConfig {
  traces: SignalExportConfig;
  logs: SignalExportConfig;
  metrics: SignalExportConfig;
  /** OTEL_EXPORTER_OTLP_ENDPOINT as the user set it (each signal's own endpoint is resolved above). */
  endpoint: string | undefined;
  /** CLAUDE_OTEL_EXPORT_MAX_BYTES: a signal's request over this goes as several smaller ones. */
  maxRequestBytes: number;
  warnings: readonly string[];
}

type Env = Record<string, string | undefined>;

const PROTOCOLS: readonly OtlpProtocol[] = ['grpc', 'http/protobuf', 'http/json'];
const DEFAULT_EXPORTER: Record<Signal, ExporterKind> = { traces: 'otlp', logs: 'otlp', metrics: 'none' };
const DEFAULT_GRPC_ENDPOINT = 'http://localhost:4317';
const DEFAULT_HTTP_ENDPOINT = 'http://localhost:4318';

function value(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

function exporterKind(env: Env, signal: Signal, warnings: string[]): ExporterKind {
  const name = `OTEL_${signal.toUpperCase()}_EXPORTER`;
  const raw = value(env, name);
  if (!raw) return DEFAULT_EXPORTER[signal];
  // The variable may list several exporters; the first one this tool supports wins.
  for (const item of raw.split(',').map((s) => s.trim().toLowerCase())) {
    if (item === 'otlp' || item === 'console' || item === 'none') return item;
  }
  warnings.push(`${name}=${raw} is not supported (otlp, console, none); using ${DEFAULT_EXPORTER[signal]}`);
  return DEFAULT_EXPORTER[signal];
}

// Each general variable (OTEL_EXPORTER_OTLP_PROTOCOL, _ENDPOINT, _TIMEOUT, _COMPRESSION,
// _HEADERS) is read once for all three signals, so that a bad value leaves one warning, not
// one per signal; each signal's own variable then wins for that signal.

type Compression = SignalExportConfig['compression'];
const COMPRESSIONS: readonly Compression[] = ['gzip', 'none'];
const DEFAULT_TIMEOUT_MS = 10_000;

interface GeneralSettings {
  protocol: OtlpProtocol;
  /** A valid OTEL_EXPORTER_OTLP_ENDPOINT, or undefined for the protocol's default. */
  endpoint: string | undefined;
  timeoutMs: number;
  compression: Compression;
  headers: Record<string, string>;
}

function readProtocol(env: Env, name: string, warnings: string[]): OtlpProtocol | undefined {
  const raw = value(env, name);
  if (!raw) return undefined;
  if ((PROTOCOLS as readonly string[]).includes(raw)) return raw as OtlpProtocol;
  warnings.push(`${name}=${raw} is not a protocol (grpc, http/protobuf, http/json); using grpc`);
  return 'grpc';
}

function readTimeout(env: Env, name: string, warnings: string[]): number | undefined {
  const raw = value(env, name);
  if (!raw) return undefined;
  const n = Number(raw);
  if (Number.isFinite(n) && n > 0) return clampTimeoutSetting(name, n, warnings);
  warnings.push(`${name}=${raw} is not a positive number of milliseconds; using ${DEFAULT_TIMEOUT_MS}`);
  return DEFAULT_TIMEOUT_MS;
}

function readCompression(env: Env, name: string, warnings: string[]): Compression | undefined {
  const raw = value(env, name);
  if (!raw) return undefined;
  const lower = raw.toLowerCase();
  if ((COMPRESSIONS as readonly string[]).includes(lower)) return lower as Compression;
  warnings.push(`${name}=${raw} is not supported (gzip, none); sending uncompressed`);
  return 'none';
}

function generalSettings(env: Env, warnings: string[]): GeneralSettings {
  const endpointRaw = value(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  return {
    protocol: readProtocol(env, 'OTEL_EXPORTER_OTLP_PROTOCOL', warnings) ?? 'grpc',
    endpoint: endpointRaw ? validUrl(endpointRaw, 'OTEL_EXPORTER_OTLP_ENDPOINT', warnings) : undefined,
    timeoutMs: readTimeout(env, 'OTEL_EXPORTER_OTLP_TIMEOUT', warnings) ?? DEFAULT_TIMEOUT_MS,
    compression: readCompression(env, 'OTEL_EXPORTER_OTLP_COMPRESSION', warnings) ?? 'none',
    headers: parseHeaderVariable(value(env, GENERAL_HEADERS_VARIABLE), GENERAL_HEADERS_VARIABLE, warnings),
  };
}

function validUrl(raw: string, name: string, warnings: string[]): string | undefined {
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
    return raw;
  } catch {
    warnings.push(`${name}=${withoutUserinfo(raw)} is not an http(s) URL; ignoring it`);
    return undefined;
  }
}

function url(env: Env, signal: Signal, proto: OtlpProtocol, general: GeneralSettings, warnings: string[]): string {
  const specificName = `OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_ENDPOINT`;
  const specific = value(env, specificName);
  if (specific) {
    const ok = validUrl(specific, specificName, warnings);
    // A signal-specific endpoint is used as is, path included.
    if (ok) return ok;
  }
  const base = general.endpoint ?? (proto === 'grpc' ? DEFAULT_GRPC_ENDPOINT : DEFAULT_HTTP_ENDPOINT);
  if (proto === 'grpc') return base;
  return `${base.replace(/\/+$/, '')}/v1/${signal}`;
}

function signalConfig(env: Env, signal: Signal, general: GeneralSettings, warnings: string[]): SignalExportConfig {
  const upper = signal.toUpperCase();
  const proto = readProtocol(env, `OTEL_EXPORTER_OTLP_${upper}_PROTOCOL`, warnings) ?? general.protocol;
  const own = signalHeadersVariable(signal);
  return {
    signal,
    exporter: exporterKind(env, signal, warnings),
    protocol: proto,
    url: url(env, signal, proto, general, warnings),
    headers: { ...general.headers, ...parseHeaderVariable(value(env, own), own, warnings) },
    timeoutMs: readTimeout(env, `OTEL_EXPORTER_OTLP_${upper}_TIMEOUT`, warnings) ?? general.timeoutMs,
    compression: readCompression(env, `OTEL_EXPORTER_OTLP_${upper}_COMPRESSION`, warnings) ?? general.compression,
  };
}

/** gRPC's default limit on a message a server takes (collectors keep it): larger requests are refused. */
export const DEFAULT_MAX_REQUEST_BYTES = 4 * 1024 * 1024;
/** Below this a request could hold hardly anything. */
const MIN_MAX_REQUEST_BYTES = 1024;

function maxRequestBytes(env: Env, warnings: string[]): number {
  const raw = value(env, 'CLAUDE_OTEL_EXPORT_MAX_BYTES');
  if (!raw) return DEFAULT_MAX_REQUEST_BYTES;
  const n = Number(raw);
  if (Number.isSafeInteger(n) && n >= MIN_MAX_REQUEST_BYTES) return n;
  warnings.push(`CLAUDE_OTEL_EXPORT_MAX_BYTES=${raw} is not a whole number of bytes of at least ${MIN_MAX_REQUEST_BYTES}; using ${DEFAULT_MAX_REQUEST_BYTES}`);
  return DEFAULT_MAX_REQUEST_BYTES;
}

export function resolveExportConfig(env: Env): ExportConfig {
  const warnings: string[] = [];
  const general = generalSettings(env, warnings);
  return {
    traces: signalConfig(env, 'traces', general, warnings),
    logs: signalConfig(env, 'logs', general, warnings),
    metrics: signalConfig(env, 'metrics', general, warnings),
    endpoint: value(env, 'OTEL_EXPORTER_OTLP_ENDPOINT'),
    maxRequestBytes: maxRequestBytes(env, warnings),
    warnings,
  };
}
