import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { AlwaysOnSampler } from '@opentelemetry/sdk-trace-base';
import type { IdGenerator } from '@opentelemetry/sdk-trace-base';
import type { SpanVerdict } from '../telemetry/session-sampling.ts';
import type { Redactor } from '../privacy/redact.ts';
import { LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import type { Attributes, Meter, Tracer } from '@opentelemetry/api';
import type { Logger } from '@opentelemetry/api-logs';
import type { WrapperConfig } from '../config/wrapper-config.ts';
import type { ExportConfig, Signal } from '../config/otlp-config.ts';
import { DroppedCounts, SpanBuffer, LogBuffer, ManualMetricReader } from './session-buffer.ts';
import type { MetricTimes, TelemetryBatch } from './session-buffer.ts';
import { createRequestExporters } from './request-exporters.ts';
import type { EncodedRequest, RequestExporters } from './request-exporters.ts';
import { dispatchRequests } from './dispatch.ts';
import { chunkPieces, jsonRequests, sentAsJson, wireRequests } from './batch-encoding.ts';
import { warmEncoding } from './encoding-warmup.ts';
import type { JsonRequests } from './batch-encoding.ts';
import type { ExportAttempt } from './send-signal.ts';
import { buildResource } from '../telemetry/resource.ts';
import { warmGrpcConnections } from './grpc-warmup.ts';
import type { ConnectionWarmup } from './grpc-warmup.ts';
import { type RunStore, markSignalDelivered, markUndelivered, recordDeliveryFailure } from '../store/local-store.ts';
import type { DebugLog } from '../debug-log.ts';
import { withoutUserinfo } from '../privacy/url-userinfo.ts';

// The OpenTelemetry SDK as the wrapper runs it: providers that buffer one session, a local
// store written before anything is sent, and one flush for all three signals under one deadline.
// A flush encodes each signal once for the store and sends those requests through the same
// request exporters replay uses (batch-encoding.ts, request-exporters.ts).

export const INSTRUMENTATION_SCOPE = 'claude-otel';

export interface FlushReport {
  chunk?: string;
  outcomes: Partial<Record<Signal, ExportAttempt>>;
  delivered: boolean;
  timedOut: boolean;
}

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
}

/** Sends each signal's request with its exporter, all at once; never longer than `budgetMs`. */
export async function sendRequests(
  exporters: RequestExporters,
  requests: Partial<Record<Signal, EncodedRequest>>,
  budgetMs: number,
  config: ExportConfig,
): Promise<{ outcomes: Partial<Record<Signal, ExportAttempt>>; timedOut: boolean }> {
  const outcomes: Partial<Record<Signal, ExportAttempt>> = {};
  const sending = dispatchRequests(exporters, requests, config);
  const jobs = sending.map(({ signal, attempt }) =>
    attempt.then((a) => {
      outcomes[signal] = a;
    }),
  );
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), Math.max(0, budgetMs));
    timer.unref();
  });
  const finished = await Promise.race([Promise.all(jobs).then(() => 'done' as const), deadline]);
  if (timer) clearTimeout(timer);
  for (const { signal } of sending) {
    outcomes[signal] ??= { ok: false, durationMs: budgetMs, failure: { kind: 'timeout', reason: `no answer within the flush budget (${budgetMs} ms)` } };
  }
  return { outcomes, timedOut: finished === 'timeout' };
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
      .then(() => warmGrpcConnections([exportConfig.traces, exportConfig.logs, exportConfig.metrics], options.debugLog))
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
   * Stores and sends what the session produced since the last flush. `spans` is the
   * sampling verdict: kept spans go out, dropped ones are discarded, undecided ones wait
   * for a later flush. Logs and metrics always go.
   */
  async flush(options: { budgetMs: number; withMetrics: boolean; spans: SpanVerdict }): Promise<FlushReport> {
    const started = Date.now();
    const stored = await this.store(options);
    return this.send(stored, options.budgetMs - (Date.now() - started));
  }

  /**
   * The local half of a flush: takes what the session produced since the last flush and
   * writes it to the store. Nothing here waits on the network.
   */
  async store(options: { withMetrics: boolean; spans: SpanVerdict; metricTimes?: MetricTimes }): Promise<StoredBatch> {
    this.flushed = true;
    const spans = this.spanBuffer.drain();
    if (options.spans === 'undecided') this.spanBuffer.putBack(spans);
    const logs = this.logBuffer.drain();
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

  /** One line for the store: the first signal that failed, where it went and why. */
  private failureLine(outcomes: FlushReport['outcomes'], timedOut: boolean): string {
    for (const [signal, outcome] of Object.entries(outcomes)) {
      if (!outcome.ok) return `${signal} to ${withoutUserinfo(this.options.config.export[signal as Signal].url)}: ${outcome.failure.reason}`;
    }
    return timedOut ? 'not sent within the flush budget' : 'not sent';
  }

  /** The network half of a flush: sends a stored batch, never longer than `budgetMs`, and marks what was accepted. */
  async send(stored: StoredBatch, budgetMs: number): Promise<FlushReport> {
    const started = Date.now();
    const report: FlushReport = { outcomes: {}, delivered: false, timedOut: false };
    if (stored.chunk) report.chunk = stored.chunk;
    const { store, debugLog } = this.options;
    const requests = wireRequests(stored.batch, this.options.config.export, stored.json);
    const exporters = await Promise.race([
      this.exportersReady,
      new Promise<RequestExporters>((resolve) => setTimeout(() => resolve({}), Math.max(0, budgetMs)).unref()),
    ]);
    const sent = await sendRequests(exporters, requests, budgetMs - (Date.now() - started), this.options.config.export);
    // The exporters hold their connections now; the warm-up clients have done their part.
    void this.warmup.then((warmup) => warmup?.close());
    report.outcomes = sent.outcomes;
    report.timedOut = sent.timedOut;
    const failures = Object.entries(sent.outcomes).filter(([, o]) => !o.ok);
    report.delivered = failures.length === 0 && Object.keys(sent.outcomes).length > 0;
    for (const [signal, outcome] of Object.entries(sent.outcomes)) {
      debugLog.log(outcome.ok ? 'debug' : 'warn', outcome.ok ? `exported ${signal}` : `export of ${signal} failed: ${outcome.failure.reason}`, {
        signal,
        endpoint: this.options.config.export[signal as Signal].url,
      });
    }
    if (store && report.chunk) {
      try {
        // A chunk the collector took whole is never sent again; one it took in part gets a mark
        // per accepted signal, so that a replay never sends those again.
        if (report.delivered) store.markDelivered(report.chunk);
        else {
          for (const [signal, outcome] of Object.entries(sent.outcomes)) if (outcome.ok) markSignalDelivered(store.dir, report.chunk, signal as Signal);
          markUndelivered(this.options.config.stateDir);
          recordDeliveryFailure(store.dir, this.failureLine(sent.outcomes, report.timedOut));
        }
      } catch (error) {
        debugLog.log('error', 'could not mark a chunk delivered', { error: String(error) });
      }
    }
    return report;
  }
}
