// The OTLP exporter packages read OTEL_EXPORTER_OTLP_HEADERS and OTEL_EXPORTER_OTLP_<SIGNAL>_HEADERS
// from the process environment themselves when an exporter is built, and add what they find
// to the headers they are given. An entry the wrapper dropped (a CR/LF or a non-ASCII value)
// would come back that way: gRPC's metadata throws while the exporter is built, which took
// every exporter down with it, and Node's HTTP client refuses the request. The wrapper's
// checked headers (src/config/otlp-headers.ts) are the only ones sent: the variables are hidden
// from the packages for the synchronous moment an exporter is built.

const HEADER_VARIABLES = [
  'OTEL_EXPORTER_OTLP_HEADERS',
  'OTEL_EXPORTER_OTLP_TRACES_HEADERS',
  'OTEL_EXPORTER_OTLP_LOGS_HEADERS',
  'OTEL_EXPORTER_OTLP_METRICS_HEADERS',
] as const;

/** `build()`'s result, built while the header variables are out of process.env (restored after). */
export function withoutHeaderVariables<T>(build: () => T): T {
  const saved: [string, string][] = [];
  for (const name of HEADER_VARIABLES) {
    const value = process.env[name];
    if (value === undefined) continue;
    saved.push([name, value]);
    delete process.env[name];
  }
  try {
    return build();
  } finally {
    for (const [name, value] of saved) process.env[name] = value;
  }
}
