// Claude's own OTEL_* environment, rewritten for the claude the wrapper starts (never for
// anything else): its OTLP exporters point at the wrapper's loopback receiver, over
// http/protobuf, with short export intervals so that nothing waits at exit. Which signals the
// user wanted stays theirs: an exporter set to anything but otlp (none, console) is left as it is.

import { CLAUDE_EXPORT_INTERVALS } from '../../config/standard-otel-variables.ts';

type Env = Record<string, string | undefined>;

/** The header that carries the run's token; its value is checked by the receiver. */
export const TOKEN_HEADER = 'x-claude-otel-token';

/** Export intervals short enough that Claude's last export is sent while it exits. */
const METRIC_INTERVAL_MS = '1000';
const LOGS_INTERVAL_MS = '200';
const SPAN_DELAY_MS = '200';

const SIGNALS = ['TRACES', 'LOGS', 'METRICS'] as const;
const PER_SIGNAL_PARTS = ['ENDPOINT', 'PROTOCOL', 'HEADERS', 'COMPRESSION', 'TIMEOUT', 'CERTIFICATE', 'CLIENT_CERTIFICATE', 'CLIENT_KEY', 'INSECURE'];

export interface NativeEndpoint {
  /** http://127.0.0.1:<port> */
  url: string;
  token: string;
}

/**
 * claude's environment with its own telemetry pointed at the receiver. `enable`: turn it on
 * (CLAUDE_OTEL_NATIVE=on) when the user did not.
 */
export function nativeChildEnv(env: Env, endpoint: NativeEndpoint, enable: boolean): Env {
  const out: Env = { ...env };
  if (enable) out.CLAUDE_CODE_ENABLE_TELEMETRY = '1';
  // The user's own exporter settings would send Claude's data past the wrapper: none of them reach claude.
  for (const part of PER_SIGNAL_PARTS) {
    delete out[`OTEL_EXPORTER_OTLP_${part}`];
    for (const signal of SIGNALS) delete out[`OTEL_EXPORTER_OTLP_${signal}_${part}`];
  }
  out.OTEL_EXPORTER_OTLP_ENDPOINT = endpoint.url;
  out.OTEL_EXPORTER_OTLP_PROTOCOL = 'http/protobuf';
  out.OTEL_EXPORTER_OTLP_HEADERS = `${TOKEN_HEADER}=${endpoint.token}`;
  if (enable) {
    // Turned on for the user: every signal they did not name, and the spans of the beta.
    for (const signal of SIGNALS) if (!env[`OTEL_${signal}_EXPORTER`]?.trim()) out[`OTEL_${signal}_EXPORTER`] = 'otlp';
    if (!env.CLAUDE_CODE_ENHANCED_TELEMETRY_BETA?.trim()) out.CLAUDE_CODE_ENHANCED_TELEMETRY_BETA = '1';
  }
  // `none` or `console` stay as the user set them; `otlp` (alone or in a list) now means the receiver.
  out[CLAUDE_EXPORT_INTERVALS.metrics] = METRIC_INTERVAL_MS;
  out[CLAUDE_EXPORT_INTERVALS.logs] = LOGS_INTERVAL_MS;
  out[CLAUDE_EXPORT_INTERVALS.spans] = SPAN_DELAY_MS;
  return out;
}
