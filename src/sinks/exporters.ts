import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ExportResult } from '@opentelemetry/core';
import type { SignalExportConfig } from '../config/otlp-config.ts';
import { commonJsExports } from './commonjs-exports.ts';
import { classifyExportFailure } from './export-attempt.ts';
import { consoleSpanExporter, consoleLogExporter, consoleMetricExporter } from './console-exporters.ts';

// The OpenTelemetry exporters for each signal and protocol, imported only when used: the
// gRPC stack alone costs more start-up time than everything else the wrapper loads.

export interface ExportOutcome {
  ok: boolean;
  /** Why it failed, in words a person can act on. */
  reason?: string;
}

/** The result of one export, with the same reasons `claude-otel-ctl doctor` and `replay` give. */
function exportWith<T>(exporter: { export(items: T, cb: (r: ExportResult) => void): void }, items: T, config: SignalExportConfig): Promise<ExportOutcome> {
  const describe = (error: unknown) => classifyExportFailure(error, { protocol: config.protocol, timeoutMs: config.timeoutMs }).reason;
  return new Promise((resolve) => {
    try {
      exporter.export(items, (result) => resolve(result.code === 0 ? { ok: true } : { ok: false, reason: describe(result.error) }));
    } catch (error) {
      resolve({ ok: false, reason: describe(error) });
    }
  });
}

function httpOptions(config: SignalExportConfig) {
  return {
    url: config.url,
    headers: config.headers,
    timeoutMillis: config.timeoutMs,
    ...(config.compression === 'gzip' ? { compression: 'gzip' as never } : {}),
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
    ...(config.compression === 'gzip' ? { compression: 'gzip' as never } : {}),
  };
}

export async function createSpanExporter(config: SignalExportConfig): Promise<SpanExporter | undefined> {
  if (config.exporter === 'none') return undefined;
  if (config.exporter === 'console') return consoleSpanExporter();
  switch (config.protocol) {
    case 'grpc':
      return new (commonJsExports(await import('@opentelemetry/exporter-trace-otlp-grpc')).OTLPTraceExporter)(await grpcOptions(config));
    case 'http/protobuf':
      return new (commonJsExports(await import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter)(httpOptions(config));
    case 'http/json':
      return new (commonJsExports(await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter)(httpOptions(config));
  }
}

export async function createLogExporter(config: SignalExportConfig): Promise<LogRecordExporter | undefined> {
  if (config.exporter === 'none') return undefined;
  if (config.exporter === 'console') return consoleLogExporter();
  switch (config.protocol) {
    case 'grpc':
      return new (commonJsExports(await import('@opentelemetry/exporter-logs-otlp-grpc')).OTLPLogExporter)(await grpcOptions(config));
    case 'http/protobuf':
      return new (commonJsExports(await import('@opentelemetry/exporter-logs-otlp-proto')).OTLPLogExporter)(httpOptions(config));
    case 'http/json':
      return new (commonJsExports(await import('@opentelemetry/exporter-logs-otlp-http')).OTLPLogExporter)(httpOptions(config));
  }
}

export async function createMetricExporter(config: SignalExportConfig): Promise<PushMetricExporter | undefined> {
  if (config.exporter === 'none') return undefined;
  if (config.exporter === 'console') return consoleMetricExporter();
  switch (config.protocol) {
    case 'grpc':
      return new (commonJsExports(await import('@opentelemetry/exporter-metrics-otlp-grpc')).OTLPMetricExporter)(await grpcOptions(config));
    case 'http/protobuf':
      return new (commonJsExports(await import('@opentelemetry/exporter-metrics-otlp-proto')).OTLPMetricExporter)(httpOptions(config));
    case 'http/json':
      return new (commonJsExports(await import('@opentelemetry/exporter-metrics-otlp-http')).OTLPMetricExporter)(httpOptions(config));
  }
}

export function exportSpans(exporter: SpanExporter, spans: ReadableSpan[], config: SignalExportConfig): Promise<ExportOutcome> {
  return exportWith(exporter, spans, config);
}
export function exportLogs(exporter: LogRecordExporter, logs: ReadableLogRecord[], config: SignalExportConfig): Promise<ExportOutcome> {
  return exportWith(exporter, logs, config);
}
export function exportMetrics(exporter: PushMetricExporter, metrics: ResourceMetrics, config: SignalExportConfig): Promise<ExportOutcome> {
  return exportWith(exporter, metrics, config);
}
