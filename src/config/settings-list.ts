// Every environment variable the wrapper reads, with one line on what it does: `doctor` tells a
// misspelt name from a real one with it, and the settings reference (docs/telemetry.md) lists
// the same names. Per-signal variants are spelt out, so that each entry is one exact name.

import { SIGNALS } from './otlp-config.ts';

export interface WrapperSetting {
  name: string;
  description: string;
}

/** The general OTEL_EXPORTER_OTLP_<part> and its per-signal variants. */
function perSignal(part: string, description: string): WrapperSetting[] {
  return [
    { name: `OTEL_EXPORTER_OTLP_${part}`, description },
    ...SIGNALS.map((signal) => ({ name: `OTEL_EXPORTER_OTLP_${signal.toUpperCase()}_${part}`, description: `${description}, for ${signal} only` })),
  ];
}

export const WRAPPER_SETTINGS: readonly WrapperSetting[] = [
  { name: 'OTEL_SDK_DISABLED', description: 'on: run claude and nothing else (no telemetry, no store)' },
  { name: 'OTEL_SERVICE_NAME', description: 'the service.name resource attribute (default claude-otel)' },
  { name: 'OTEL_RESOURCE_ATTRIBUTES', description: 'extra resource attributes, key=value,...' },
  ...perSignal('ENDPOINT', 'where telemetry is sent (an http(s) URL, or host:port for gRPC)'),
  ...perSignal('PROTOCOL', 'grpc, http/protobuf or http/json'),
  ...perSignal('HEADERS', 'headers or gRPC metadata sent with each export, key=value,...'),
  ...perSignal('TIMEOUT', 'the timeout of one export, in ms'),
  ...perSignal('COMPRESSION', 'gzip or none'),
  ...perSignal('CERTIFICATE', 'a CA certificate file to trust (read by the OpenTelemetry exporters)'),
  ...perSignal('CLIENT_CERTIFICATE', 'a client certificate file (read by the OpenTelemetry exporters)'),
  ...perSignal('CLIENT_KEY', "the client certificate's key file (read by the OpenTelemetry exporters)"),
  ...perSignal('INSECURE', 'on: gRPC without TLS (http://) to a host:port endpoint written without a scheme'),
  { name: 'OTEL_TRACES_EXPORTER', description: 'otlp, console or none' },
  { name: 'OTEL_LOGS_EXPORTER', description: 'otlp, console or none' },
  { name: 'OTEL_METRICS_EXPORTER', description: 'otlp, console or none (default none)' },
  { name: 'OTEL_TRACES_SAMPLER', description: 'which sessions are traced (default parentbased_always_on)' },
  { name: 'OTEL_TRACES_SAMPLER_ARG', description: 'the ratio of the traceidratio samplers' },
  { name: 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT', description: 'the longest string attribute value' },
  { name: 'OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT', description: 'the longest string attribute value, on spans' },
  { name: 'OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT', description: 'the longest string attribute value, on log records' },
  { name: 'OTEL_ATTRIBUTE_COUNT_LIMIT', description: 'the most attributes per span or log record (default 128)' },
  { name: 'OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT', description: 'the most attributes per span' },
  { name: 'OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT', description: 'the most attributes per log record' },
  { name: 'OTEL_SEMCONV_STABILITY_OPT_IN', description: 'gen_ai_latest_experimental: the latest GenAI attribute names' },
  { name: 'CLAUDE_OTEL_CLAUDE_BIN', description: 'the claude executable to run' },
  { name: 'CLAUDE_OTEL_FLUSH_TIMEOUT_MS', description: 'the most the wrapper waits after claude exits to send the session, in ms' },
  { name: 'CLAUDE_OTEL_DEBUG', description: "on: the wrapper's diagnostics on stderr and in the debug log" },
  { name: 'CLAUDE_OTEL_STATE_DIR', description: 'the local store and debug log directory (an absolute path)' },
  { name: 'CLAUDE_OTEL_STORE', description: 'off: keep nothing locally' },
  { name: 'CLAUDE_OTEL_STORE_MAX_AGE_DAYS', description: 'sessions older than this leave the local store (default 30)' },
  { name: 'CLAUDE_OTEL_STORE_MAX_MB', description: "the local store's size limit for delivered sessions (default 200)" },
  { name: 'CLAUDE_OTEL_RETRY_UNDELIVERED', description: 'off: sessions the collector missed wait for claude-otel-ctl replay' },
  { name: 'CLAUDE_OTEL_PRINT_TRACE_ID', description: "on: the session's trace id on stderr at exit" },
  { name: 'CLAUDE_OTEL_TRACE_URL', description: 'a trace link template with {trace_id}, printed at exit' },
  { name: 'TRACEPARENT', description: "the caller's W3C traceparent: the session span becomes a child of its span" },
  { name: 'TRACESTATE', description: "the caller's W3C tracestate, passed on to claude with the session's TRACEPARENT" },
  { name: 'BAGGAGE', description: "the caller's W3C baggage: attributes of the session span, and passed on to claude" },
  { name: 'CLAUDE_OTEL_LOG_PROMPTS', description: 'prompt text: off, preview (120 characters, on spans) or full (also all of it, on its log record)' },
  { name: 'CLAUDE_OTEL_LOG_RESPONSES', description: 'response text on log records: off, preview or full' },
  { name: 'CLAUDE_OTEL_REDACT', description: 'extra regular expressions to scrub' },
  { name: 'CLAUDE_OTEL_REDACT_ALLOW', description: 'regular expressions never scrubbed' },
  { name: 'CLAUDE_OTEL_REDACT_ENTROPY', description: 'on: also hide random-looking values after = or :' },
  { name: 'CLAUDE_OTEL_LOG_CONTENT', description: 'on: conversation content on chat and tool spans' },
  { name: 'CLAUDE_OTEL_CACHE_TTL_S', description: "the prompt cache's lifetime in seconds, for cache rebuilds" },
  { name: 'CLAUDE_OTEL_KEEP_ERRORS', description: 'on: export a failed session whole even when the sampler dropped it' },
  { name: 'CLAUDE_OTEL_EXPORT_MAX_BYTES', description: 'the largest export request, in bytes; a larger one goes as several (default 4 MiB)' },
  { name: 'CLAUDE_OTEL_MAX_SPANS', description: 'spans, and log records, held for export at a time; the rest are counted (default 10000)' },
  { name: 'CLAUDE_OTEL_NATIVE', description: "Claude Code's own telemetry joined into the session: auto (when it is on), on or off" },
  { name: 'CLAUDE_OTEL_DEPTH', description: 'set by the wrapper for the claude it starts, to stop a wrapper that runs itself; never set it yourself' },
];
