import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { LogRecordExporter, ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ExportResult } from '@opentelemetry/core';
import type { SignalExportConfig } from '../config/otlp-config.ts';
import { commonJsExports } from './commonjs-exports.ts';
import { consoleSpanExporter, consoleLogExporter, consoleMetricExporter } from './console-exporters.ts';

// The OpenTelemetry exporters for each signal and protocol, imported only when used: the
// gRPC stack alone costs more start-up time than everything else the wrapper loads.

export interface ExportOutcome {
  ok: boolean;
  /** Why it failed, in words a person can act on. */
  reason?: string;
}

function outcomeOf(result: ExportResult): ExportOutcome {
  if (result.code === 0) return { ok: true };
  return { ok: false, reason: describeExportError(result.error) };
}

export function describeExportError(error: unknown): string {
  if (!(error instanceof Error)) return 'export failed';
  const text = `${error.message}`;
  const code = (error as { code?: unknown }).code;
  if (/ECONNREFUSED|No connection established|connect ECONNREFUSED/i.test(text)) return `connection refused (${text})`;
  if (/timeout|timed out|DEADLINE_EXCEEDED|Deadline exceeded/i.test(text)) return `timeout (${text})`;
  if (typeof code === 'number' && code >= 400) return `HTTP ${code} (${text})`;
  return text;
}

function exportWith<T>(exporter: { export(items: T, cb: (r: ExportResult) => void): void }, items: T): Promise<ExportOutcome> {
  return new Promise((resolve) => {
    try {
      exporter.export(items, (result) => resolve(outcomeOf(result)));
    } catch (error) {
      resolve({ ok: false, reason: describeExportError(error) });
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

export function exportSpans(exporter: SpanExporter, spans: ReadableSpan[]): Promise<ExportOutcome> {
  return exportWith(exporter, spans);
}
export function exportLogs(exporter: LogRecordExporter, logs: ReadableLogRecord[]): Promise<ExportOutcome> {
  return exportWith(exporter, logs);
}
export function exportMetrics(exporter: PushMetricExporter, metrics: ResourceMetrics): Promise<ExportOutcome> {
  return exportWith(exporter, metrics);
}
