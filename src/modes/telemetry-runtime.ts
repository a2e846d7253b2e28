import { ROOT_CONTEXT } from '@opentelemetry/api';
import type { Attributes, Context } from '@opentelemetry/api';
import type { WrapperConfig } from '../config/wrapper-config.ts';
import type { GitContext, SessionEvent } from '../session/events.ts';
import { SessionTelemetry } from '../telemetry/session-telemetry.ts';
import type { TextLevel } from '../config/privacy-config.ts';
import { WrapperSdk } from '../export/wrapper-sdk.ts';
import type { StoredBatch } from '../export/wrapper-sdk.ts';
import type { ExportAttempt } from '../export/send-signal.ts';
import { RunStore, newRunId } from '../store/local-store.ts';
import { flushSession } from '../store/flush-protocol.ts';
import type { FlushReport, FlushSteps } from '../store/flush-protocol.ts';
import type { Deadline } from '../deadline.ts';
import { withoutUserinfo } from '../privacy/url-userinfo.ts';
import type { SessionMeta, SessionStart } from '../store/session-meta.ts';
import type { DebugLog } from '../debug-log.ts';
import { redactAttributesByKey, type Redactor } from '../privacy/redact.ts';
import { PACKAGE_VERSION } from '../package-version.ts';
import { SessionSummaryBuilder } from './session-summary.ts';
import type { SessionSink } from './queued-runtime.ts';
import { PresetIdGenerator } from '../trace-context/preset-ids.ts';
import type { SessionIds } from '../trace-context/traceparent.ts';
import { pruneStore } from '../store/retention.ts';
import { baggageEntries } from '../trace-context/inbound-context.ts';
import { createSampler, samplerKeeps, spanVerdict } from '../telemetry/session-sampling.ts';
import type { SpanVerdict } from '../telemetry/session-sampling.ts';
import type { Sampler } from '@opentelemetry/sdk-trace-base';
import type { NativeCollector } from '../sources/native-otlp/native-collector.ts';
import { NativeRuntimeJoin } from './native-runtime-join.ts';
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
  /** The CI attributes of the run's resource (detect-ci.ts). */
  ciResource: Attributes;
  /** Called once everything the flush needs is loaded and warm, if no flush has begun (see WrapperSdkOptions). */
  onWarm?: () => void;
  /** Claude Code's own telemetry, received for this run (CLAUDE_OTEL_NATIVE): joined into every flush. */
  native?: NativeCollector;
  /** How a resumed session finds its earlier run, instead of a plain read of the store (an import knows when that run is stored). */
  earlierSession?: EarlierSessionLookup;
  /** `transcript`: the session is read from its transcript by `claude-otel-ctl import`; its run is marked so from the start. */
  source?: 'wrapper' | 'transcript';
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
  private start: SessionStart | undefined;
  /** Once meta.json is written, started.json is not written again. */
  private ended = false;
  private readonly nativeJoin: NativeRuntimeJoin | undefined;

  constructor(private readonly options: TelemetryRuntimeOptions) {
    const { config, debugLog } = options;
    this.store = config.storeEnabled ? new RunStore(config.stateDir, newRunId(options.startTime), options.source) : undefined;
    this.summary = new SessionSummaryBuilder(options.redact);
    this.sdk = new WrapperSdk({
      config,
      debugLog,
      redact: options.redact,
      version: PACKAGE_VERSION,
      detectedResource: options.ciResource,
      ...(options.ids ? { idGenerator: new PresetIdGenerator(options.ids.traceId, options.ids.sessionSpanId) } : {}),
      ...(this.store ? { store: this.store } : {}),
      ...(options.onWarm ? { onWarm: options.onWarm } : {}),
      ...(options.native ? { joinBatch: (spans, logs) => this.nativeJoin?.apply(spans, logs) ?? { spans, logs } } : {}),
    });
    this.nativeJoin = options.native ? new NativeRuntimeJoin(options.native, this.sdk.meter, options) : undefined;
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
    if (event.kind === 'session_start') this.noteStart();
    else if (event.kind === 'prompt_start' && this.start && this.start.promptPreview === undefined && this.options.prompts !== 'off') this.noteStart();
  }

  /** The work tree the session runs in, known soon after it starts (the end adds its commits). */
  gitKnown(git: GitContext): void {
    if (!this.start) return;
    const { vcsOnResource: _onResource, ...rest } = git;
    this.writeStart({ ...this.start, git: rest });
  }

  /** started.json: what the summary knows so far, so a running session is listed with its mode, model and version. */
  private noteStart(): void {
    if (!this.store) return;
    const s = this.summary.summary(0);
    this.writeStart({
      runId: this.store.runId,
      traceId: this.traceId ?? '',
      sessionId: s.sessionId,
      mode: s.mode,
      model: s.model,
      version: s.version,
      startTime: s.startTime,
      ...(s.promptPreview !== undefined && this.options.prompts !== 'off' ? { promptPreview: s.promptPreview } : {}),
      ...(s.resumedFrom !== undefined ? { resumedFrom: s.resumedFrom } : {}),
      ...(this.start?.git ? { git: this.start.git } : {}),
    });
  }

  private writeStart(start: SessionStart): void {
    this.start = start;
    if (!this.store || this.ended) return;
    try {
      this.store.writeStart(start);
    } catch (error) {
      this.options.debugLog.log('warn', 'could not write the session start', { error: String(error) });
    }
  }

  get traceId(): string | undefined {
    return this.telemetry.spans.traceId;
  }

  /**
   * Stores and sends what has finished so far (a long interactive session's finished
   * prompts), without metrics, which go once at the end.
   */
  async flushFinished(deadline: Deadline): Promise<FlushReport<ExportAttempt>> {
    // Claude's spans of these prompts, when they are to come: ours wait for them (they leave joined, later).
    const hold = (await this.nativeJoin?.holdFinished(deadline.msLeft(), this.telemetry.spans.totals.prompts)) === true;
    const verdict = hold ? 'undecided' : this.verdict();
    let stored: StoredBatch | undefined;
    return flushSession(
      this.flushSteps(
        async () => {
          stored = await this.sdk.store({ withMetrics: false, spans: verdict });
          return stored.chunk;
        },
        () => stored,
      ),
      deadline,
    );
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
   * Stores everything, then sends it until `deadline`. `onStored` is called once the session is
   * complete in the store, before anything waits on the network.
   */
  async finish(deadline: Deadline, onStored?: () => void): Promise<void> {
    await this.finishWithReport(deadline, onStored);
  }

  async finishWithReport(deadline: Deadline, onStored?: () => void): Promise<FlushReport<ExportAttempt>> {
    // A resumed session's span ends once its link is known (a read of the local store).
    await this.telemetry.spans.settled();
    // Claude's last export, within the same budget.
    await this.nativeJoin?.settle(deadline.msLeft(), this.telemetry.spans.totals.prompts);
    let stored: StoredBatch | undefined;
    const { config, debugLog } = this.options;
    const steps = this.flushSteps(
      async () => {
        const verdict = this.verdict();
        stored = await this.sdk.store({ withMetrics: true, spans: verdict === 'undecided' ? 'drop' : verdict });
        this.nativeJoin?.close();
        debugLog.log('debug', `session spans: ${verdict === 'keep' ? 'exported' : 'dropped by sampling'}`);
        return stored.chunk;
      },
      () => stored,
    );
    const store = this.store;
    return flushSession(
      {
        ...steps,
        writeMeta: () => this.writeMeta(),
        ...(onStored ? { stored: onStored } : {}),
        prune: () => this.pruneStore(),
        ...(store && config.retryUndelivered
          ? {
              sendMissed: async (left: Deadline) => {
                // Loaded at exit only, and only when the mark says there is something to send:
                // replay reads the store (and its schemas), which the live session never needs.
                const { retryUndelivered } = await import('../export/retry.ts');
                return retryUndelivered({ config, debugLog, excludeRunIds: [store.runId], deadline: left });
              },
            }
          : {}),
      },
      deadline,
    );
  }

  /** The steps every flush of this session shares: the store, the sending, where errors go. */
  private flushSteps(writeChunk: () => Promise<string | undefined>, taken: () => StoredBatch | undefined): FlushSteps<ExportAttempt> {
    const { config, debugLog } = this.options;
    return {
      stateDir: config.stateDir,
      runDir: this.store?.dir,
      writeChunk,
      send: (signal) => {
        const stored = taken();
        return stored ? this.sdk.send(stored, signal) : Promise.resolve({ outcomes: {}, timedOut: false });
      },
      endpoint: (signal) => withoutUserinfo(config.export[signal].url),
      onError: (what, error) => debugLog.log('error', what, { error: String(error) }),
    };
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
      this.ended = true;
      this.store.writeMeta(meta);
    } catch (error) {
      this.options.debugLog.log('error', 'could not write session metadata', { error: String(error) });
    }
  }

  /** Keeps the store within its retention limits; at most once an hour, cheap otherwise. */
  private pruneStore(): void {
    if (!this.store) return;
    try {
      const { config } = this.options;
      pruneStore({ stateDir: config.stateDir, settings: config.retention, atMostHourly: true, excludeRunIds: [this.store.runId] });
    } catch (error) {
      this.options.debugLog.log('warn', 'could not prune the local store', { error: String(error) });
    }
  }
}
