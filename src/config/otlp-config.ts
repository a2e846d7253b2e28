// Export settings resolved from the standard OTEL_* variables, per signal, the way the
// OpenTelemetry SDK environment specification describes them. Bad values never stop claude:
// they are ignored and reported as warnings.

import { withoutUserinfo } from '../privacy/url-userinfo.ts';
import { booleanSetting } from './boolean-setting.ts';
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
// _HEADERS, _INSECURE) is read once for all three signals, so that a bad value leaves one warning, not
// one per signal; each signal's own variable then wins for that signal. A bad value is
// ignored: a signal's own falls back to the general setting, a general one to the default.

type Compression = SignalExportConfig['compression'];
const COMPRESSIONS: readonly Compression[] = ['gzip', 'none'];
const DEFAULT_TIMEOUT_MS = 10_000;

/** An endpoint as written: an http(s) URL, or (for gRPC only) a host:port without a scheme. */
type Endpoint = { url: string } | { hostPort: string };

interface GeneralSettings {
  protocol: OtlpProtocol;
  /** A valid OTEL_EXPORTER_OTLP_ENDPOINT, or undefined for the protocol's default. */
  endpoint: Endpoint | undefined;
  /** OTEL_EXPORTER_OTLP_INSECURE: a host:port endpoint gets http:// rather than https://. */
  insecure: boolean;
  timeoutMs: number;
  compression: Compression;
  headers: Record<string, string>;
}

function readProtocol(env: Env, name: string, fallback: OtlpProtocol, warnings: string[]): OtlpProtocol {
  const raw = value(env, name);
  if (!raw) return fallback;
  if ((PROTOCOLS as readonly string[]).includes(raw)) return raw as OtlpProtocol;
  warnings.push(`${name}=${raw} is not a protocol (grpc, http/protobuf, http/json); using ${fallback}`);
  return fallback;
}

function readTimeout(env: Env, name: string, fallback: number, warnings: string[]): number {
  const raw = value(env, name);
  if (!raw) return fallback;
  const n = Number(raw);
  if (Number.isFinite(n) && n > 0) return clampTimeoutSetting(name, n, warnings);
  warnings.push(`${name}=${raw} is not a positive number of milliseconds; using ${fallback}`);
  return fallback;
}

function readCompression(env: Env, name: string, fallback: Compression, warnings: string[]): Compression {
  const raw = value(env, name);
  if (!raw) return fallback;
  const lower = raw.toLowerCase();
  if ((COMPRESSIONS as readonly string[]).includes(lower)) return lower as Compression;
  warnings.push(`${name}=${raw} is not supported (gzip, none); ${fallback === 'none' ? 'sending uncompressed' : `using ${fallback}`}`);
  return fallback;
}

function generalSettings(env: Env, warnings: string[]): GeneralSettings {
  const endpointRaw = value(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  return {
    protocol: readProtocol(env, 'OTEL_EXPORTER_OTLP_PROTOCOL', 'grpc', warnings),
    endpoint: endpointRaw ? readEndpoint(endpointRaw, 'OTEL_EXPORTER_OTLP_ENDPOINT', warnings) : undefined,
    insecure: booleanSetting(env, 'OTEL_EXPORTER_OTLP_INSECURE', false, warnings),
    timeoutMs: readTimeout(env, 'OTEL_EXPORTER_OTLP_TIMEOUT', DEFAULT_TIMEOUT_MS, warnings),
    compression: readCompression(env, 'OTEL_EXPORTER_OTLP_COMPRESSION', 'none', warnings),
    headers: parseHeaderVariable(value(env, GENERAL_HEADERS_VARIABLE), GENERAL_HEADERS_VARIABLE, warnings),
  };
}

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** What a warning may show of an endpoint: never its user:password@. */
function shown(raw: string): string {
  return SCHEME.test(raw) ? withoutUserinfo(raw) : withoutUserinfo(`x://${raw}`).slice('x://'.length);
}

function readEndpoint(raw: string, name: string, warnings: string[]): Endpoint | undefined {
  try {
    if (SCHEME.test(raw)) {
      const url = new URL(raw);
      if (url.protocol === 'http:' || url.protocol === 'https:') return { url: raw };
      warnings.push(`${name}=${shown(raw)} is not an http(s) URL; ignoring it`);
      return undefined;
    }
    // The OpenTelemetry spec lets gRPC take a bare host:port, its scheme set by ..._INSECURE.
    const url = new URL(`http://${raw}`);
    if (url.hostname && !url.username && !url.password && url.pathname === '/' && !url.search && !url.hash) return { hostPort: raw.replace(/\/$/, '') };
  } catch {
    // reported below
  }
  warnings.push(`${name}=${shown(raw)} is neither an http(s) URL nor a host:port; ignoring it`);
  return undefined;
}

/** The URL the exporter is given, or undefined when the protocol cannot use the endpoint. */
function endpointUrl(endpoint: Endpoint, name: string, proto: OtlpProtocol, insecure: boolean, warnings: string[]): string | undefined {
  if ('url' in endpoint) return endpoint.url;
  if (proto === 'grpc') return `${insecure ? 'http' : 'https'}://${endpoint.hostPort}`;
  const warning = `${name}=${endpoint.hostPort} has no http:// or https://, which ${proto} needs; ignoring it`;
  // The general endpoint is tried for each signal: one warning, not three.
  if (!warnings.includes(warning)) warnings.push(warning);
  return undefined;
}

function url(env: Env, signal: Signal, proto: OtlpProtocol, insecure: boolean, general: GeneralSettings, warnings: string[]): string {
  const specificName = `OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_ENDPOINT`;
  const specificRaw = value(env, specificName);
  const specific = specificRaw ? readEndpoint(specificRaw, specificName, warnings) : undefined;
  // A signal-specific endpoint is used as is, path included.
  const own = specific && endpointUrl(specific, specificName, proto, insecure, warnings);
  if (own) return own;
  const base =
    (general.endpoint && endpointUrl(general.endpoint, 'OTEL_EXPORTER_OTLP_ENDPOINT', proto, insecure, warnings)) ??
    (proto === 'grpc' ? DEFAULT_GRPC_ENDPOINT : DEFAULT_HTTP_ENDPOINT);
  if (proto === 'grpc') return base;
  return `${base.replace(/\/+$/, '')}/v1/${signal}`;
}

function signalConfig(env: Env, signal: Signal, general: GeneralSettings, warnings: string[]): SignalExportConfig {
  const upper = signal.toUpperCase();
  const proto = readProtocol(env, `OTEL_EXPORTER_OTLP_${upper}_PROTOCOL`, general.protocol, warnings);
  const insecure = booleanSetting(env, `OTEL_EXPORTER_OTLP_${upper}_INSECURE`, general.insecure, warnings);
  const own = signalHeadersVariable(signal);
  return {
    signal,
    exporter: exporterKind(env, signal, warnings),
    protocol: proto,
    url: url(env, signal, proto, insecure, general, warnings),
    headers: { ...general.headers, ...parseHeaderVariable(value(env, own), own, warnings) },
    timeoutMs: readTimeout(env, `OTEL_EXPORTER_OTLP_${upper}_TIMEOUT`, general.timeoutMs, warnings),
    compression: readCompression(env, `OTEL_EXPORTER_OTLP_${upper}_COMPRESSION`, general.compression, warnings),
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
