import type { WrapperConfig } from './wrapper-config.ts';
import type { SignalExportConfig } from './otlp-config.ts';
import { withoutUserinfo } from '../privacy/url-userinfo.ts';

// The resolved configuration in a form fit for logs and `doctor`: header values masked,
// URLs without their userinfo.

/** Longer values show their first 2 characters (enough to tell two keys apart), shorter ones none. */
const SHOW_PREFIX_FROM = 12;

export function maskSecret(value: string): string {
  return value.length < SHOW_PREFIX_FROM ? '****' : `${value.slice(0, 2)}****`;
}

export interface SignalDescription {
  exporter: SignalExportConfig['exporter'];
  protocol: SignalExportConfig['protocol'];
  url: string;
  /** Values masked: at most their first 2 characters show. */
  headers: Record<string, string>;
  timeoutMs: number;
  compression: SignalExportConfig['compression'];
}

export function describeSignal(config: SignalExportConfig): SignalDescription {
  return {
    exporter: config.exporter,
    protocol: config.protocol,
    url: withoutUserinfo(config.url),
    headers: Object.fromEntries(Object.entries(config.headers).map(([k, v]) => [k, maskSecret(v)])),
    timeoutMs: config.timeoutMs,
    compression: config.compression,
  };
}

export function describeConfig(config: WrapperConfig) {
  return {
    serviceName: config.serviceName,
    traces: describeSignal(config.export.traces),
    logs: describeSignal(config.export.logs),
    metrics: describeSignal(config.export.metrics),
    stateDir: config.stateDir,
    store: config.storeEnabled,
    flushTimeoutMs: config.flushTimeoutMs,
    sdkFlushTimeoutMs: config.sdkFlushTimeoutMs,
    retryUndelivered: config.retryUndelivered,
    prompts: config.privacy.prompts,
    responses: config.privacy.responses,
    sampler: config.privacy.sampler,
    samplerRatio: config.privacy.samplerRatio,
    keepErrors: config.privacy.keepErrors,
    genAi: config.genAi,
  };
}
