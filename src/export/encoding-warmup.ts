import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ExportConfig, Signal } from '../config/otlp-config.ts';
import { ATTR_PROCESS_PID, ATTR_SERVICE_NAME } from '../telemetry/names.ts';
import { LogBuffer, ManualMetricReader, SpanBuffer } from './session-buffer.ts';
import { chunkPieces, jsonRequests, wireRequests } from './batch-encoding.ts';

// The flush at a session's end is the first time the OTLP serializers run, and V8 compiles a
// function when it is first called: paid there, that is time the user waits for after claude
// is done. So while claude runs, a tiny made-up batch (its own providers, never stored or
// sent) goes through the same encoding, with each kind of value a session has.

/** The signals whose made-up request was encoded for the configured exporters. */
export async function warmEncoding(config: ExportConfig): Promise<Signal[]> {
  const resource = resourceFromAttributes({ [ATTR_SERVICE_NAME]: 'claude-otel-warmup', [ATTR_PROCESS_PID]: 1 });
  const spans = new SpanBuffer();
  const tracer = new BasicTracerProvider({ resource, spanProcessors: [spans] }).getTracer('warmup', '0');
  const parent = tracer.startSpan('parent', { attributes: { text: 'a', count: 1, ratio: 0.5, flag: true, list: ['a', 'b'] } });
  const child = tracer.startSpan('child', { kind: SpanKind.CLIENT }, trace.setSpan(context.active(), parent));
  child.addEvent('event', { text: 'a', count: 2 });
  child.setStatus({ code: SpanStatusCode.ERROR, message: 'failed' });
  child.end();
  parent.end();

  const logs = new LogBuffer();
  const logger = new LoggerProvider({ resource, processors: [logs] }).getLogger('warmup', '0');
  logger.emit({
    eventName: 'event',
    severityNumber: SeverityNumber.INFO,
    body: 'text',
    attributes: { text: 'a', count: 1, flag: false },
    context: context.active(),
  });

  const reader = new ManualMetricReader();
  const meter = new MeterProvider({ resource, readers: [reader] }).getMeter('warmup', '0');
  meter.createCounter('count').add(1, { text: 'a' });
  meter.createHistogram('duration', { unit: 's' }).record(1.5, { text: 'a' });
  const metrics = await reader.read();

  const batch = { spans: spans.drain(), logs: logs.drain(), metrics };
  const json = jsonRequests(batch);
  chunkPieces(json);
  return Object.keys(wireRequests(batch, config, json)) as Signal[];
}
