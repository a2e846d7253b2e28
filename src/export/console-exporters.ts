import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ExportResult } from '@opentelemetry/core';
import { JsonLogsSerializer, JsonMetricsSerializer, JsonTraceSerializer } from '@opentelemetry/otlp-transformer';

// `OTEL_*_EXPORTER=console` writes OTLP JSON lines to stderr: claude's stdout belongs to
// the user and must stay byte-for-byte what claude printed.

const decoder = new TextDecoder();

function write(bytes: Uint8Array | undefined, done: (r: ExportResult) => void): void {
  if (bytes) process.stderr.write(`${decoder.decode(bytes)}\n`);
  done({ code: 0 });
}

export function consoleSpanExporter(): SpanExporter {
  return {
    export: (spans: ReadableSpan[], done) => write(JsonTraceSerializer.serializeRequest(spans), done),
    shutdown: async () => {},
  };
}

export function consoleLogExporter(): LogRecordExporter {
  return {
    export: (logs: ReadableLogRecord[], done) => write(JsonLogsSerializer.serializeRequest(logs), done),
    forceFlush: async () => {},
    shutdown: async () => {},
  };
}

export function consoleMetricExporter(): PushMetricExporter {
  return {
    export: (metrics: ResourceMetrics, done) => write(JsonMetricsSerializer.serializeRequest(metrics), done),
    forceFlush: async () => {},
    shutdown: async () => {},
  };
}
