import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { AlwaysOnSampler } from '@opentelemetry/sdk-trace-base';
import type { IdGenerator } from '@opentelemetry/sdk-trace-base';
import type { SpanVerdict } from '../telemetry/session-sampling.ts';
import type { Redactor } from '../privacy/redact.ts';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import type { Attributes, Meter, Tracer } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { Logger } from '@opentelemetry/api-logs';
import type { WrapperConfig } from '../config/wrapper-config.ts';
import { SIGNALS } from '../config/otlp-config.ts';
import type { Signal } from '../config/otlp-config.ts';
import { DroppedCounts, SpanBuffer, LogBuffer, ManualMetricReader } from './session-buffer.ts';
import type { MetricTimes, TelemetryBatch } from './session-buffer.ts';
import { createRequestExporters } from './request-exporters.ts';
import type { RequestExporters } from './request-exporters.ts';
import { sendRequests } from './send-requests.ts';
import type { SendReport } from './send-requests.ts';
import { chunkPieces, jsonRequests, sentAsJson, wireRequests } from './batch-encoding.ts';
import { warmEncoding } from './encoding-warmup.ts';
import type { JsonRequests } from './batch-encoding.ts';
import { buildResource } from '../telemetry/resource.ts';
import { warmGrpcConnections } from './grpc-warmup.ts';
import type { ConnectionWarmup } from './grpc-warmup.ts';
import type { RunStore } from '../store/local-store.ts';
import type { DebugLog } from '../debug-log.ts';
import { untilAborted } from '../deadline.ts';

// The OpenTelemetry SDK as the wrapper runs it: providers that buffer one session, and the two
// halves of a flush the store's protocol (src/store/flush-protocol.ts) puts in order: `store`
// encodes each signal once and writes it to the local store, `send` sends those requests through
// the one send path (send-requests.ts) until the deadline aborts.

export const INSTRUMENTATION_SCOPE = 'claude-otel';

/** A flush's batch once it is in the local store (`chunk` is its name there, when it was written). */
export interface StoredBatch {
  batch: TelemetryBatch;
  /** Its OTLP JSON requests as stored, those that go out as they are (none when the store is off). */
  json: JsonRequests;
  chunk?: string;
}

export interface WrapperSdkOptions {
  config: WrapperConfig;
  store?: RunStore;
  debugLog: DebugLog;
  detectedResource?: Attributes;
  version: string;
  redact: Redactor;
  idGenerator?: IdGenerator;
  /**
   * Called once the exporters are loaded, the connection is on its way and the encoding is
   * warm, unless a flush has begun: a quiet moment while claude runs.
   */
  onWarm?: () => void;
  /** Joins what else belongs to a flush (Claude Code's own telemetry) into its spans and log records, before anything is encoded. */
  joinBatch?: (spans: ReadableSpan[], logs: ReadableLogRecord[]) => { spans: ReadableSpan[]; logs: ReadableLogRecord[] };
}

export class WrapperSdk {
  readonly tracer: Tracer;
  readonly logger: Logger;
  readonly meter: Meter;
  private readonly spanBuffer: SpanBuffer;
  private readonly logBuffer: LogBuffer;
  private readonly metricReader = new ManualMetricReader();
  private readonly exportersReady: Promise<RequestExporters>;
  private readonly warmup: Promise<ConnectionWarmup | undefined>;
  private flushed = false;

  constructor(private readonly options: WrapperSdkOptions) {
    const { privacy } = options.config;
    const resource = buildResource({
      serviceName: options.config.serviceName,
      resourceAttributes: options.config.resourceAttributes,
      redact: options.redact,
      ...(options.detectedResource ? { detected: options.detectedResource } : {}),
    });
    const dropped = new DroppedCounts();
    this.spanBuffer = new SpanBuffer(privacy.spanLimits.valueLength, options.config.maxHeldItems, dropped);
    this.logBuffer = new LogBuffer(privacy.logLimits.valueLength, options.config.maxHeldItems, dropped);
    // Every span is recorded; whether a session's spans leave is decided when it ends
    // (src/privacy/session-sampling.ts). Lengths are cut by the buffers, with a mark.
    const tracerProvider = new NodeTracerProvider({
      resource,
      sampler: new AlwaysOnSampler(),
      ...(options.idGenerator ? { idGenerator: options.idGenerator } : {}),
      spanLimits: { attributeCountLimit: privacy.spanLimits.count, attributeValueLengthLimit: Number.POSITIVE_INFINITY },
      spanProcessors: [this.spanBuffer],
    });
    const loggerProvider = new LoggerProvider({
      resource,
      logRecordLimits: { attributeCountLimit: privacy.logLimits.count, attributeValueLengthLimit: Number.POSITIVE_INFINITY },
      processors: [this.logBuffer],
    });
    const meterProvider = new MeterProvider({ resource, readers: [this.metricReader] });
    this.tracer = tracerProvider.getTracer(INSTRUMENTATION_SCOPE, options.version);
    this.logger = loggerProvider.getLogger(INSTRUMENTATION_SCOPE, options.version);
    this.meter = meterProvider.getMeter(INSTRUMENTATION_SCOPE, options.version);
    // Exporters load while claude works, so the flush at the end does not wait for imports.
    this.exportersReady = createRequestExporters(options.config.export).catch((error: unknown) => {
      options.debugLog.log('error', 'could not create exporters', { error: String(error) });
      return {};
    });
    const { export: exportConfig } = options.config;
    this.warmup = this.exportersReady
      .then(() =>
        warmGrpcConnections(
          SIGNALS.map((signal) => exportConfig[signal]),
          options.debugLog,
        ),
      )
      .catch((error: unknown) => {
        options.debugLog.log('debug', 'no gRPC warm-up', { error: String(error) });
        return undefined;
      });
    // Once the connection is on its way; not when a flush has begun (it would only add to it).
    void this.warmup
      .then(() => (this.flushed ? undefined : warmEncoding(exportConfig)))
      .catch((error: unknown) => options.debugLog.log('debug', 'no encoding warm-up', { error: String(error) }))
      .then(() => {
        if (!this.flushed) options.onWarm?.();
      });
  }

  /**
   * The local half of a flush: takes what the session produced since the last flush and
   * writes it to the store. Nothing here waits on the network.
   */
  async store(options: { withMetrics: boolean; spans: SpanVerdict; metricTimes?: MetricTimes }): Promise<StoredBatch> {
    this.flushed = true;
    let spans = this.spanBuffer.drain();
    let logs = this.logBuffer.drain();
    if (this.options.joinBatch) ({ spans, logs } = this.options.joinBatch(spans, logs));
    if (options.spans === 'undecided') this.spanBuffer.putBack(spans);
    const metrics = options.withMetrics ? await this.metricReader.read(options.metricTimes).catch(() => undefined) : undefined;
    const batch: TelemetryBatch = { spans: options.spans === 'keep' ? spans : [], logs, metrics };
    const { store, debugLog } = this.options;
    if (store && (batch.spans.length > 0 || batch.logs.length > 0 || batch.metrics)) {
      const json = jsonRequests(batch);
      // What goes out as protobuf is encoded from the batch: its JSON need not stay in memory.
      const kept = sentAsJson(json, this.options.config.export);
      try {
        return { batch, json: kept, chunk: store.writeChunk(chunkPieces(json)) };
      } catch (error) {
        debugLog.log('error', 'could not write to the local store', { error: String(error), dir: store.dir });
        return { batch, json: kept };
      }
    }
    return { batch, json: {} };
  }

  /** The network half of a flush: sends a stored batch until `deadline` aborts (the store's marks are the protocol's). */
  async send(stored: StoredBatch, deadline: AbortSignal): Promise<SendReport> {
    const { debugLog, config } = this.options;
    const requests = wireRequests(stored.batch, config.export, stored.json);
    let late = false;
    const exporters = await untilAborted(this.exportersReady, deadline, (): RequestExporters => {
      late = Object.keys(requests).length > 0;
      return {};
    });
    const sent = await sendRequests(exporters, requests, config.export, deadline);
    // The exporters hold their connections now; the warm-up clients have done their part.
    void this.warmup.then((warmup) => warmup?.close());
    for (const [signal, outcome] of Object.entries(sent.outcomes)) {
      debugLog.log(outcome.ok ? 'debug' : 'warn', outcome.ok ? `exported ${signal}` : `export of ${signal} failed: ${outcome.failure.reason}`, {
        signal,
        endpoint: config.export[signal as Signal].url,
      });
    }
    return late ? { ...sent, timedOut: true } : sent;
  }
}
