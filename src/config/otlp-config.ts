// The parser itself, not the package entry, which would load all of core before claude starts.
import { parseKeyPairsIntoRecord } from '@opentelemetry/core/build/esm/baggage/utils.js';

// Export settings resolved from the standard OTEL_* variables, per signal, the way the
// OpenTelemetry SDK environment specification describes them. Bad values never stop claude:
// they fall back to the default and are reported as warnings.

import { withoutUserinfo } from '../privacy/url-userinfo.ts';
import { clampTimeoutSetting } from './timer-limit.ts';

export type OtlpProtocol = 'grpc' | 'http/protobuf' | 'http/json';
export type Signal = 'traces' | 'logs' | 'metrics';
export type ExporterKind = 'otlp' | 'console' | 'none';

export interface SignalExportConfig {
  signal: Signal;
  exporter: ExporterKind;
  protocol: OtlpProtocol;
  /** Where the exporter sends: for HTTP the full URL including /v1/<signal>; for gRPC the endpoint. */
  url: string;
  headers: Record<string, string>;
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
  warnings: string[];
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

/**
 * `k=v,k2=v2` with percent-encoded values, as OTEL_EXPORTER_OTLP_HEADERS and
 * OTEL_RESOURCE_ATTRIBUTES are written: parsed by @opentelemetry/core, as the exporters parse
 * them; an entry it cannot read, or that `check` refuses, is left out and reported. Entries
 * may hold secrets: a warning names an entry by its place or its key, never by its text.
 */
export function parseKeyValueList(
  text: string | undefined,
  warnings: string[],
  name: string,
  check?: (key: string, value: string) => 'ok' | 'bad-key' | 'bad-value',
): Record<string, string> {
  if (!text) return {};
  const parsed = parseKeyPairsIntoRecord(text);
  const parts = text.split(',').map((part) => part.trim());
  for (const [index, entry] of parts.entries()) {
    if (entry && parseKeyPairsIntoRecord(entry)[decodedKey(entry)] === undefined) warnings.push(`${name}: ignoring entry ${index + 1} (expected key=value)`);
  }
  if (!check) return parsed;
  const out: Record<string, string> = {};
  for (const [key, entryValue] of Object.entries(parsed)) {
    const verdict = check(key, entryValue);
    if (verdict === 'ok') out[key] = entryValue;
    // A key that is not a header name may be a secret written the wrong way (`Bearer abc=...`).
    else if (verdict === 'bad-key')
      warnings.push(
        `${name}: ignoring entry ${parts.findIndex((entry) => decodedKey(entry) === key) + 1} (its key is not a header name: letters, digits, "-", "_" or ".")`,
      );
    else warnings.push(`${name}: ignoring the entry for key "${key}" (its value is not printable ASCII)`);
  }
  return out;
}

function decodedKey(entry: string): string {
  const key = entry.slice(0, Math.max(0, entry.indexOf('='))).trim();
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}

// What both HTTP and gRPC metadata accept: the exporters throw on anything else, and gRPC's
// error message would carry the value.
const HEADER_NAME = /^[A-Za-z0-9_.-]+$/;
const HEADER_VALUE = /^[\x20-\x7e]*$/;

function checkHeader(key: string, value: string): 'ok' | 'bad-key' | 'bad-value' {
  if (!HEADER_NAME.test(key)) return 'bad-key';
  return HEADER_VALUE.test(value) ? 'ok' : 'bad-value';
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

function protocol(env: Env, signal: Signal, warnings: string[]): OtlpProtocol {
  const specific = `OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_PROTOCOL`;
  for (const name of [specific, 'OTEL_EXPORTER_OTLP_PROTOCOL']) {
    const raw = value(env, name);
    if (!raw) continue;
    if ((PROTOCOLS as readonly string[]).includes(raw)) return raw as OtlpProtocol;
    warnings.push(`${name}=${raw} is not a protocol (grpc, http/protobuf, http/json); using grpc`);
    return 'grpc';
  }
  return 'grpc';
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

function url(env: Env, signal: Signal, proto: OtlpProtocol, warnings: string[]): string {
  const specificName = `OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_ENDPOINT`;
  const specific = value(env, specificName);
  if (specific) {
    const ok = validUrl(specific, specificName, warnings);
    // A signal-specific endpoint is used as is, path included.
    if (ok) return ok;
  }
  const baseRaw = value(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  const base = (baseRaw && validUrl(baseRaw, 'OTEL_EXPORTER_OTLP_ENDPOINT', warnings)) || (proto === 'grpc' ? DEFAULT_GRPC_ENDPOINT : DEFAULT_HTTP_ENDPOINT);
  if (proto === 'grpc') return base;
  return `${base.replace(/\/+$/, '')}/v1/${signal}`;
}

function timeout(env: Env, signal: Signal, warnings: string[]): number {
  for (const name of [`OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_TIMEOUT`, 'OTEL_EXPORTER_OTLP_TIMEOUT']) {
    const raw = value(env, name);
    if (!raw) continue;
    const n = Number(raw);
    if (Number.isFinite(n) && n > 0) return clampTimeoutSetting(name, n, warnings);
    warnings.push(`${name}=${raw} is not a positive number of milliseconds; using 10000`);
    break;
  }
  return 10_000;
}

function compression(env: Env, signal: Signal): 'gzip' | 'none' {
  const raw = value(env, `OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_COMPRESSION`) ?? value(env, 'OTEL_EXPORTER_OTLP_COMPRESSION');
  return raw === 'gzip' ? 'gzip' : 'none';
}

function signalConfig(env: Env, signal: Signal, warnings: string[]): SignalExportConfig {
  const proto = protocol(env, signal, warnings);
  const headers = {
    ...parseKeyValueList(value(env, 'OTEL_EXPORTER_OTLP_HEADERS'), warnings, 'OTEL_EXPORTER_OTLP_HEADERS', checkHeader),
    ...parseKeyValueList(
      value(env, `OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_HEADERS`),
      warnings,
      `OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_HEADERS`,
      checkHeader,
    ),
  };
  return {
    signal,
    exporter: exporterKind(env, signal, warnings),
    protocol: proto,
    url: url(env, signal, proto, warnings),
    headers,
    timeoutMs: timeout(env, signal, warnings),
    compression: compression(env, signal),
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
  return {
    traces: signalConfig(env, 'traces', warnings),
    logs: signalConfig(env, 'logs', warnings),
    metrics: signalConfig(env, 'metrics', warnings),
    endpoint: value(env, 'OTEL_EXPORTER_OTLP_ENDPOINT'),
    maxRequestBytes: maxRequestBytes(env, warnings),
    warnings,
  };
}
