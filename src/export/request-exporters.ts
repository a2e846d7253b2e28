import type { ExportResult } from '@opentelemetry/core';
import {
  JsonLogsSerializer,
  JsonMetricsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
import { SIGNALS } from '../config/otlp-config.ts';
import type { ExportConfig, Signal, SignalExportConfig } from '../config/otlp-config.ts';
import { commonJsExports } from './commonjs-exports.ts';
import { withoutHeaderVariables } from './header-variables.ts';
import { clampTimerMs } from '../config/timer-limit.ts';
import type { ExportsWithCallback } from './send-signal.ts';

// Exporters of requests that are already OTLP (a session's, encoded at its end or read from the
// store), built from the OTLP exporter packages' own export delegates with a serializer that
// hands the bytes on as they are: the packages' HTTP and gRPC transports, retries, compression,
// headers, TLS and timeouts apply as they would in the packages' own exporters. They are the
// wrapper's only exporters: the live flush, replay and doctor's test all send through these
// (send-requests.ts), imported only when used: the gRPC stack alone costs more start-up time than
// everything else the wrapper loads.

/** One signal's export request, encoded for the protocol it goes out with. */
export interface EncodedRequest {
  body: Uint8Array;
  /** Spans, log records or metrics in it (the delegates count exported items). */
  items: number;
  /** The same items as several requests of at most `maxBytes` each (where one item allows), for a request over the collector's limit. */
  split?: (maxBytes: number) => EncodedRequest[];
}

export interface RequestExporter extends ExportsWithCallback<EncodedRequest> {
  shutdown(): Promise<void>;
}

export type RequestExporters = Partial<Record<Signal, RequestExporter>>;

/** Whether `target` takes OTLP JSON (http/json, the console) rather than OTLP protobuf. */
export function sendsJson(target: Pick<SignalExportConfig, 'protocol' | 'exporter'>): boolean {
  return target.exporter === 'console' || target.protocol === 'http/json';
}

const SIGNAL_PARTS = {
  traces: {
    id: 'TRACES',
    path: 'v1/traces',
    item: 'span',
    json: JsonTraceSerializer,
    protobuf: ProtobufTraceSerializer,
    grpcName: 'TraceExportService',
    service: 'opentelemetry.proto.collector.trace.v1.TraceService',
  },
  logs: {
    id: 'LOGS',
    path: 'v1/logs',
    item: 'log',
    json: JsonLogsSerializer,
    protobuf: ProtobufLogsSerializer,
    grpcName: 'LogsExportService',
    service: 'opentelemetry.proto.collector.logs.v1.LogsService',
  },
  metrics: {
    id: 'METRICS',
    path: 'v1/metrics',
    item: 'metric_data_point',
    json: JsonMetricsSerializer,
    protobuf: ProtobufMetricsSerializer,
    grpcName: 'MetricsExportService',
    service: 'opentelemetry.proto.collector.metrics.v1.MetricsService',
  },
} as const;

function httpOptions(config: SignalExportConfig) {
  return {
    url: config.url,
    headers: config.headers,
    timeoutMillis: config.timeoutMs,
    // Always given, so the packages never fall back to OTEL_EXPORTER_OTLP_*COMPRESSION themselves.
    compression: config.compression as never,
  };
}

async function grpcOptions(config: SignalExportConfig) {
  const { Metadata } = commonJsExports(await import('@grpc/grpc-js'));
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(config.headers)) metadata.set(key, value);
  return {
    url: config.url,
    metadata,
    timeoutMillis: config.timeoutMs,
    // Always given, so the packages never fall back to OTEL_EXPORTER_OTLP_*COMPRESSION themselves.
    compression: config.compression as never,
  };
}

/**
 * Exports still unanswered, by exporter. A send given up (a refused connection, the deadline)
 * leaves the transport retrying; its shutdown would wait for those retries, to deliver what was
 * already counted as not sent.
 */
const unanswered = new WeakMap<RequestExporter, number>();

function counted(exporter: RequestExporter): RequestExporter {
  const out: RequestExporter = {
    export: (request, done) => {
      unanswered.set(out, (unanswered.get(out) ?? 0) + 1);
      exporter.export(request, (result) => {
        unanswered.set(out, (unanswered.get(out) ?? 1) - 1);
        done(result);
      });
    },
    shutdown: () => exporter.shutdown(),
  };
  return out;
}

export async function createRequestExporter(signal: Signal, config: SignalExportConfig): Promise<RequestExporter | undefined> {
  const exporter = await transportExporter(signal, config);
  return exporter && counted(exporter);
}

async function transportExporter(signal: Signal, config: SignalExportConfig): Promise<RequestExporter | undefined> {
  if (config.exporter === 'none') return undefined;
  if (config.exporter === 'console') return consoleRequestExporter();
  const parts = SIGNAL_PARTS[signal];
  const responses = config.protocol === 'http/json' ? parts.json : parts.protobuf;
  // The request is encoded already; the response is read as the signal's own exporter reads it.
  const serializer = {
    serializeRequest: (request: EncodedRequest) => request.body,
    deserializeResponse: (data: Uint8Array) => responses.deserializeResponse(data),
  };
  const counter = { name: parts.item, countItems: (request: EncodedRequest) => request.items };
  if (config.protocol === 'grpc') {
    const grpc = commonJsExports(await import('@opentelemetry/otlp-grpc-exporter-base'));
    const legacy = await grpcOptions(config);
    const options = withoutHeaderVariables(() => grpc.convertLegacyOtlpGrpcOptions(legacy, parts.id));
    return grpc.createOtlpGrpcExportDelegate(options, serializer, 'claude_otel', counter, undefined, parts.grpcName, `/${parts.service}/Export`);
  }
  const http = commonJsExports(await import('@opentelemetry/otlp-exporter-base/node-http'));
  const contentType = config.protocol === 'http/json' ? 'application/json' : 'application/x-protobuf';
  const options = withoutHeaderVariables(() => http.convertLegacyHttpOptions(httpOptions(config), parts.id, parts.path, { 'Content-Type': contentType }));
  return http.createOtlpHttpExportDelegate(options, serializer, 'claude_otel', counter, undefined);
}

/** The request exporters of `signals` (default: all three) as configured. */
export async function createRequestExporters(config: ExportConfig, signals: readonly Signal[] = SIGNALS): Promise<RequestExporters> {
  const out: RequestExporters = {};
  await Promise.all(
    signals.map(async (signal) => {
      const exporter = await createRequestExporter(signal, config[signal]);
      if (exporter) out[signal] = exporter;
    }),
  );
  return out;
}

/**
 * Shuts every request exporter down, waiting at most `withinMs` for a collector that hangs, and
 * not at all for an exporter with a send that was given up.
 */
export async function shutdownRequestExporters(exporters: RequestExporters, withinMs: number): Promise<void> {
  const shutdowns = SIGNALS.flatMap((signal) => {
    const exporter = exporters[signal];
    if (!exporter) return [];
    const shutdown = exporter.shutdown().catch(() => {});
    return (unanswered.get(exporter) ?? 0) > 0 ? [] : [shutdown];
  });
  await Promise.race([Promise.all(shutdowns), new Promise((resolve) => setTimeout(resolve, clampTimerMs(withinMs)).unref())]);
}

/** `OTEL_*_EXPORTER=console`: OTLP JSON lines on stderr (claude's stdout stays byte for byte what claude printed). */
function consoleRequestExporter(): RequestExporter {
  return {
    export: (request: EncodedRequest, done: (result: ExportResult) => void) => {
      process.stderr.write(`${Buffer.from(request.body).toString('utf8')}\n`);
      done({ code: 0 });
    },
    shutdown: async () => {},
  };
}
