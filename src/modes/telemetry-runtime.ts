import { ROOT_CONTEXT } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import type { WrapperConfig } from '../config/wrapper-config.ts';
import type { SessionEvent } from '../session/events.ts';
import { SessionTelemetry } from '../telemetry/session-telemetry.ts';
import type { TextLevel } from '../config/privacy-config.ts';
import { WrapperSdk } from '../export/wrapper-sdk.ts';
import type { FlushReport, StoredBatch } from '../export/wrapper-sdk.ts';
import { RunStore, clearOwnMark, hasUndeliveredMark, markBeforeSending, newRunId } from '../store/local-store.ts';
import type { SessionMeta } from '../store/session-meta.ts';
import type { DebugLog } from '../debug-log.ts';
import { redactAttributesByKey, type Redactor } from '../privacy/redact.ts';
import { PACKAGE_VERSION } from '../package-version.ts';
import { SessionSummaryBuilder } from './session-summary.ts';
import type { SessionSink } from './queued-runtime.ts';
import { PresetIdGenerator } from '../trace-context/preset-ids.ts';
import type { SessionIds } from '../trace-context/traceparent.ts';
import { detectCi } from '../workspace/detect-ci.ts';
import { resolveRetentionSettings } from '../config/retention-config.ts';
import { pruneStore } from '../store/retention.ts';
import { baggageEntries } from '../trace-context/inbound-context.ts';
import { createSampler, samplerKeeps, spanVerdict } from '../telemetry/session-sampling.ts';
import type { SpanVerdict } from '../telemetry/session-sampling.ts';
import type { Sampler } from '@opentelemetry/sdk-trace-base';
import type { EarlierSessionLookup } from '../telemetry/resume-link.ts';

// Everything the wrapper needs once claude is running: the SDK, the mapping from session
// events to signals, and the local store. Loaded with a dynamic import after claude has
// been spawned, so claude never waits for it.

export interface TelemetryRuntimeOptions {
  config: WrapperConfig;
  debugLog: DebugLog;
  redact: Redactor;
  startTime: number;
  prompts: TextLevel;
  responses: TextLevel;
  parentContext?: Context;
  /** The session span's ids, chosen before claude started. */
  ids?: SessionIds;
  /** The environment CI attributes are detected from. */
  env: Record<string, string | undefined>;
  /** Called once everything the flush needs is loaded and warm, if no flush has begun (see WrapperSdkOptions). */
  onWarm?: () => void;
  /** How a resumed session finds its earlier run, instead of a plain read of the store (an import knows when that run is stored). */
  earlierSession?: EarlierSessionLookup;
}

/** Inbound baggage becomes attributes of the session span, scrubbed like any text and judged by key. */
function redactedBaggage(context: Context | undefined, redact: Redactor): Record<string, string> {
  if (!context) return {};
  return redactAttributesByKey(redact, baggageEntries(context));
}

export class TelemetryRuntime implements SessionSink {
  readonly sdk: WrapperSdk;
  readonly telemetry: SessionTelemetry;
  readonly store: RunStore | undefined;
  private readonly summary: SessionSummaryBuilder;
  private readonly sampler: Sampler;

  constructor(private readonly options: TelemetryRuntimeOptions) {
    const { config, debugLog } = options;
    this.store = config.storeEnabled ? new RunStore(config.stateDir, newRunId(options.startTime)) : undefined;
    this.summary = new SessionSummaryBuilder(options.redact);
    this.sdk = new WrapperSdk({
      config,
      debugLog,
      redact: options.redact,
      version: PACKAGE_VERSION,
      detectedResource: detectCi(options.env),
      ...(options.ids ? { idGenerator: new PresetIdGenerator(options.ids.traceId, options.ids.sessionSpanId) } : {}),
      ...(this.store ? { store: this.store } : {}),
      ...(options.onWarm ? { onWarm: options.onWarm } : {}),
    });
    this.sampler = createSampler(config.privacy);
    this.telemetry = new SessionTelemetry({
      tracer: this.sdk.tracer,
      logger: this.sdk.logger,
      meter: this.sdk.meter,
      parentContext: options.parentContext ?? ROOT_CONTEXT,
      prompts: options.prompts,
      responses: options.responses,
      redact: options.redact,
      sessionAttributes: redactedBaggage(options.parentContext, options.redact),
      genAi: config.genAi,
      maxPendingChats: config.maxHeldItems,
      onError: (error) => debugLog.log('error', 'telemetry mapping failed', { error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
      // The store's reader (and its schemas) load only for a resumed session.
      ...(options.earlierSession
        ? { earlierSession: options.earlierSession }
        : this.store
          ? {
              earlierSession: async (sessionId: string) =>
                (await import('../store/earlier-session.ts')).earlierSessionSpan(config.stateDir, sessionId, this.store?.runId),
            }
          : {}),
    });
  }

  handle(event: SessionEvent): void {
    this.summary.add(event);
    this.telemetry.handle(event);
  }

  get traceId(): string | undefined {
    return this.telemetry.spans.traceId;
  }

  /**
   * Stores and sends what has finished so far (a long interactive session's finished
   * prompts), without metrics, which go once at the end.
   */
  async flushFinished(budgetMs: number): Promise<FlushReport> {
    return this.sdk.flush({ budgetMs, withMetrics: false, spans: this.verdict() });
  }

  /** Whether this session's spans may leave: sampler first, then errors (see docs/telemetry.md). */
  private verdict(): SpanVerdict {
    const traceId = this.traceId;
    const sampled = traceId ? samplerKeeps(this.sampler, traceId, this.options.parentContext) : true;
    return spanVerdict({
      sampled,
      keepErrors: this.options.config.privacy.keepErrors,
      failed: this.telemetry.sessionFailed,
      ended: this.telemetry.sessionEnded,
    });
  }

  /**
   * Stores everything, then sends it within the flush budget that is left. `onStored` is
   * called once the session is complete in the store, before anything waits on the network.
   */
  async finish(budgetMs: number, onStored?: () => void): Promise<void> {
    await this.finishWithReport(budgetMs, onStored);
  }

  async finishWithReport(budgetMs: number, onStored?: () => void): Promise<FlushReport> {
    const deadline = Date.now() + budgetMs;
    // A resumed session's span ends once its link is known (a read of the local store).
    await this.telemetry.spans.settled();
    const verdict = this.verdict();
    let stored: StoredBatch;
    let ownMark: string | undefined;
    try {
      stored = await this.sdk.store({ withMetrics: true, spans: verdict === 'undecided' ? 'drop' : verdict });
      this.options.debugLog.log('debug', `session spans: ${verdict === 'keep' ? 'exported' : 'dropped by sampling'}`);
      this.writeMeta();
      // Marked before sending: a wrapper killed while it waits for the collector leaves the mark behind.
      if (stored.chunk) ownMark = markBeforeSending(this.options.config.stateDir);
    } finally {
      onStored?.();
    }
    const report = await this.sdk.send(stored, deadline - Date.now());
    if (report.delivered && ownMark) clearOwnMark(this.options.config.stateDir, ownMark);
    this.pruneStore();
    // The collector took this session: it may take what it missed before, in what is left of the budget.
    if (report.delivered && this.store && this.options.config.retryUndelivered && hasUndeliveredMark(this.options.config.stateDir)) {
      try {
        // Loaded at exit only, and only when the mark says there is something to send: replay
        // reads the store (and its schemas), which the live session never needs.
        const { retryUndelivered } = await import('../export/retry.ts');
        await retryUndelivered({ config: this.options.config, debugLog: this.options.debugLog, excludeRunIds: [this.store.runId], deadline });
      } catch (error) {
        this.options.debugLog.log('warn', 'could not send earlier sessions', { error: String(error) });
      }
    }
    return report;
  }

  /**
   * Stores the whole session and sends nothing: a session imported from its transcript, its
   * metric points dated over its own times. `claude-otel-ctl import --export` sends it as replay does.
   */
  async storeOnly(metricTimes: { startMs: number; endMs: number }, transcriptRun: string): Promise<void> {
    await this.telemetry.spans.settled();
    const verdict = this.verdict();
    await this.sdk.store({ withMetrics: true, spans: verdict === 'undecided' ? 'drop' : verdict, metricTimes });
    this.writeMeta({ transcriptRun });
  }

  /** meta.json, written last of the local files: a run that has it is complete. */
  private writeMeta(extra: Pick<SessionMeta, 'transcriptRun'> = {}): void {
    if (!this.store) return;
    try {
      const summary = this.summary.summary(this.telemetry.spans.totals.costUsd);
      if (this.options.prompts === 'off') delete summary.promptPreview;
      const spanId = this.telemetry.spans.sessionSpanId;
      const meta: SessionMeta = { runId: this.store.runId, traceId: this.traceId ?? '', ...(spanId ? { spanId } : {}), ...summary, ...extra };
      this.store.writeMeta(meta);
    } catch (error) {
      this.options.debugLog.log('error', 'could not write session metadata', { error: String(error) });
    }
  }

  /** Keeps the store within its retention limits; at most once an hour, cheap otherwise. */
  private pruneStore(): void {
    if (!this.store) return;
    try {
      const { settings, warnings } = resolveRetentionSettings(this.options.env);
      for (const warning of warnings) this.options.debugLog.log('warn', warning);
      pruneStore({ stateDir: this.options.config.stateDir, settings, atMostHourly: true, excludeRunIds: [this.store.runId] });
    } catch (error) {
      this.options.debugLog.log('warn', 'could not prune the local store', { error: String(error) });
    }
  }
}
