// Every environment variable the wrapper reads, with its meaning in one line: `claude-otel
// --otel-help` lists them, and a test checks that the source reads no OTEL_* or CLAUDE_OTEL_*
// variable missing here and that docs/telemetry.md documents each one.

export interface WrapperSetting {
  /** Its name; `{TRACES,LOGS,METRICS}` stands for one variable per signal. */
  name: string;
  meaning: string;
}

const PER_SIGNAL = '{TRACES,LOGS,METRICS}';

export const WRAPPER_SETTINGS: readonly WrapperSetting[] = [
  { name: 'OTEL_SDK_DISABLED', meaning: 'true: run claude and nothing else (no telemetry, no local store)' },
  { name: 'OTEL_SERVICE_NAME', meaning: 'service.name of the telemetry (default claude-otel)' },
  { name: 'OTEL_RESOURCE_ATTRIBUTES', meaning: 'extra resource attributes, key=value,...' },
  { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', meaning: 'collector endpoint (default http://localhost:4317 for grpc, :4318 for http)' },
  { name: `OTEL_EXPORTER_OTLP_${PER_SIGNAL}_ENDPOINT`, meaning: "one signal's endpoint, used as is" },
  { name: 'OTEL_EXPORTER_OTLP_PROTOCOL', meaning: 'grpc (default), http/protobuf or http/json' },
  { name: `OTEL_EXPORTER_OTLP_${PER_SIGNAL}_PROTOCOL`, meaning: "one signal's protocol" },
  { name: 'OTEL_EXPORTER_OTLP_HEADERS', meaning: 'key=value,... sent with every export (gRPC metadata or HTTP headers)' },
  { name: `OTEL_EXPORTER_OTLP_${PER_SIGNAL}_HEADERS`, meaning: "one signal's headers" },
  { name: 'OTEL_EXPORTER_OTLP_TIMEOUT', meaning: 'per-export timeout in ms (default 10000)' },
  { name: `OTEL_EXPORTER_OTLP_${PER_SIGNAL}_TIMEOUT`, meaning: "one signal's timeout" },
  { name: 'OTEL_EXPORTER_OTLP_COMPRESSION', meaning: 'gzip, or none (default)' },
  { name: `OTEL_EXPORTER_OTLP_${PER_SIGNAL}_COMPRESSION`, meaning: "one signal's compression" },
  { name: `OTEL_${PER_SIGNAL}_EXPORTER`, meaning: 'otlp, console (stderr) or none (default otlp; metrics none)' },
  { name: 'OTEL_TRACES_SAMPLER', meaning: 'which traces are kept (default parentbased_always_on)' },
  { name: 'OTEL_TRACES_SAMPLER_ARG', meaning: 'the ratio of the traceidratio samplers' },
  { name: 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT', meaning: 'longest string attribute value (default none)' },
  { name: 'OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT', meaning: 'the same, for spans' },
  { name: 'OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT', meaning: 'the same, for log records' },
  { name: 'OTEL_ATTRIBUTE_COUNT_LIMIT', meaning: 'most attributes per span or log record (default 128)' },
  { name: 'OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT', meaning: 'the same, for spans' },
  { name: 'OTEL_LOGRECORD_ATTRIBUTE_COUNT_LIMIT', meaning: 'the same, for log records' },
  { name: 'OTEL_SEMCONV_STABILITY_OPT_IN', meaning: 'gen_ai_latest_experimental: the latest GenAI attribute and metric names' },
  { name: 'CLAUDE_OTEL_CLAUDE_BIN', meaning: 'the claude to run (default: the first claude on PATH that is not this wrapper)' },
  { name: 'CLAUDE_OTEL_FLUSH_TIMEOUT_MS', meaning: 'the most the wrapper waits after claude exits (default 2000; 500 in SDK mode)' },
  { name: 'CLAUDE_OTEL_DEBUG', meaning: "on: the wrapper's diagnostics (as --otel-debug)" },
  { name: 'CLAUDE_OTEL_STATE_DIR', meaning: 'local store and debug log (default ~/.local/state/claude-otel)' },
  { name: 'CLAUDE_OTEL_STORE', meaning: 'off: keep nothing locally' },
  { name: 'CLAUDE_OTEL_STORE_MAX_AGE_DAYS', meaning: 'sessions older than this leave the local store (default 30)' },
  { name: 'CLAUDE_OTEL_STORE_MAX_MB', meaning: 'the oldest delivered sessions leave a bigger store (default 200)' },
  { name: 'CLAUDE_OTEL_RETRY_UNDELIVERED', meaning: 'off: sessions the collector missed wait for claude-otel-ctl replay' },
  { name: 'CLAUDE_OTEL_PRINT_TRACE_ID', meaning: "on: write the session's trace id to stderr at exit (as --otel-print-trace-id)" },
  { name: 'CLAUDE_OTEL_TRACE_URL', meaning: 'a link template with {trace_id}, printed to stderr at exit' },
  { name: 'CLAUDE_OTEL_LOG_PROMPTS', meaning: 'off, preview (default) or full' },
  { name: 'CLAUDE_OTEL_LOG_RESPONSES', meaning: 'off (default), preview or full' },
  { name: 'CLAUDE_OTEL_LOG_CONTENT', meaning: 'on: conversation content on chat and tool spans' },
  { name: 'CLAUDE_OTEL_REDACT', meaning: 'extra regular expressions to scrub, separated by newlines or ,,' },
  { name: 'CLAUDE_OTEL_REDACT_ALLOW', meaning: 'regular expressions never scrubbed' },
  { name: 'CLAUDE_OTEL_REDACT_ENTROPY', meaning: 'on: also scrub random-looking values after = or :' },
  { name: 'CLAUDE_OTEL_CACHE_TTL_S', meaning: "the prompt cache's lifetime in seconds, for cache rebuilds" },
  { name: 'CLAUDE_OTEL_KEEP_ERRORS', meaning: 'export a failed session whole even when the sampler dropped it (default on)' },
  { name: 'CLAUDE_OTEL_DEPTH', meaning: 'set by the wrapper for the claude it starts, to stop a wrapper that starts itself; not a setting' },
  { name: 'TRACEPARENT', meaning: "the caller's trace context (W3C), with TRACESTATE and BAGGAGE" },
  { name: 'TRACESTATE', meaning: "the caller's trace state" },
  { name: 'BAGGAGE', meaning: "the caller's baggage" },
];

/** Every variable name the settings stand for, spelled out. */
export function wrapperSettingNames(): string[] {
  return WRAPPER_SETTINGS.flatMap(({ name }) =>
    name.includes(PER_SIGNAL) ? ['TRACES', 'LOGS', 'METRICS'].map((signal) => name.replace(PER_SIGNAL, signal)) : [name],
  );
}
