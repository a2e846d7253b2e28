import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { ExportConfig, Signal, SignalExportConfig } from '../config/otlp-config.ts';
import { commonJsExports } from './commonjs-exports.ts';
import { withoutHeaderVariables } from './header-variables.ts';
import { consoleSpanExporter, consoleLogExporter, consoleMetricExporter } from './console-exporters.ts';

// The OpenTelemetry exporters for each signal and protocol (doctor sends its test data with
// them), imported only when used: the gRPC stack alone costs more start-up time than
// everything else the wrapper loads. Their HTTP and gRPC options serve the request exporters too.

/** The exporter of each signal; a signal without one is not sent (OTEL_*_EXPORTER=none). */
export interface Exporters {
  traces?: SpanExporter;
  logs?: LogRecordExporter;
  metrics?: PushMetricExporter;
}

export function httpOptions(config: SignalExportConfig) {
  return {
    url: config.url,
    headers: config.headers,
    timeoutMillis: config.timeoutMs,
    // Always given, so the packages never fall back to OTEL_EXPORTER_OTLP_*COMPRESSION themselves.
    compression: config.compression as never,
  };
}

export async function grpcOptions(config: SignalExportConfig) {
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

export async function createSpanExporter(config: SignalExportConfig): Promise<SpanExporter | undefined> {
  if (config.exporter === 'none') return undefined;
  if (config.exporter === 'console') return consoleSpanExporter();
  switch (config.protocol) {
    case 'grpc': {
      const Exporter = commonJsExports(await import('@opentelemetry/exporter-trace-otlp-grpc')).OTLPTraceExporter;
      const options = await grpcOptions(config);
      return withoutHeaderVariables(() => new Exporter(options));
    }
    case 'http/protobuf': {
      const Exporter = commonJsExports(await import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter;
      const options = httpOptions(config);
      return withoutHeaderVariables(() => new Exporter(options));
    }
    case 'http/json': {
      const Exporter = commonJsExports(await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter;
      const options = httpOptions(config);
      return withoutHeaderVariables(() => new Exporter(options));
    }
  }
}

export async function createLogExporter(config: SignalExportConfig): Promise<LogRecordExporter | undefined> {
  if (config.exporter === 'none') return undefined;
  if (config.exporter === 'console') return consoleLogExporter();
  switch (config.protocol) {
    case 'grpc': {
      const Exporter = commonJsExports(await import('@opentelemetry/exporter-logs-otlp-grpc')).OTLPLogExporter;
      const options = await grpcOptions(config);
      return withoutHeaderVariables(() => new Exporter(options));
    }
    case 'http/protobuf': {
      const Exporter = commonJsExports(await import('@opentelemetry/exporter-logs-otlp-proto')).OTLPLogExporter;
      const options = httpOptions(config);
      return withoutHeaderVariables(() => new Exporter(options));
    }
    case 'http/json': {
      const Exporter = commonJsExports(await import('@opentelemetry/exporter-logs-otlp-http')).OTLPLogExporter;
      const options = httpOptions(config);
      return withoutHeaderVariables(() => new Exporter(options));
    }
  }
}

export async function createMetricExporter(config: SignalExportConfig): Promise<PushMetricExporter | undefined> {
  if (config.exporter === 'none') return undefined;
  if (config.exporter === 'console') return consoleMetricExporter();
  switch (config.protocol) {
    case 'grpc': {
      const Exporter = commonJsExports(await import('@opentelemetry/exporter-metrics-otlp-grpc')).OTLPMetricExporter;
      const options = await grpcOptions(config);
      return withoutHeaderVariables(() => new Exporter(options));
    }
    case 'http/protobuf': {
      const Exporter = commonJsExports(await import('@opentelemetry/exporter-metrics-otlp-proto')).OTLPMetricExporter;
      const options = httpOptions(config);
      return withoutHeaderVariables(() => new Exporter(options));
    }
    case 'http/json': {
      const Exporter = commonJsExports(await import('@opentelemetry/exporter-metrics-otlp-http')).OTLPMetricExporter;
      const options = httpOptions(config);
      return withoutHeaderVariables(() => new Exporter(options));
    }
  }
}

/** The exporters of `signals` (default: all three) as configured. */
export async function createExporters(config: ExportConfig, signals: readonly Signal[] = ['traces', 'logs', 'metrics']): Promise<Exporters> {
  const [traces, logs, metrics] = await Promise.all([
    signals.includes('traces') ? createSpanExporter(config.traces) : undefined,
    signals.includes('logs') ? createLogExporter(config.logs) : undefined,
    signals.includes('metrics') ? createMetricExporter(config.metrics) : undefined,
  ]);
  const out: Exporters = {};
  if (traces) out.traces = traces;
  if (logs) out.logs = logs;
  if (metrics) out.metrics = metrics;
  return out;
}

/** Shuts every exporter down, waiting at most `withinMs` for a collector that hangs. */
export async function shutdownExporters(exporters: Exporters, withinMs: number): Promise<void> {
  const all = [exporters.traces, exporters.logs, exporters.metrics].filter((e) => e !== undefined);
  const shutdowns = Promise.allSettled(all.map((e) => e.shutdown()));
  await Promise.race([shutdowns, new Promise((resolve) => setTimeout(resolve, withinMs).unref())]);
}
