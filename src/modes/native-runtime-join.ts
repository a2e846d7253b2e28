import type { Meter } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { WrapperConfig } from '../config/wrapper-config.ts';
import type { TextLevel } from '../config/privacy-config.ts';
import type { DebugLog } from '../debug-log.ts';
import type { Redactor } from '../privacy/redact.ts';
import type { NativeCollector } from '../sources/native-otlp/native-collector.ts';
import { NativeJoin } from '../telemetry/native/native-join.ts';
import { NATIVE_SPAN_INTERACTION } from '../telemetry/names.ts';
import type { JoinedBatch } from '../telemetry/native/native-join.ts';

// The session's side of Claude Code's own telemetry: the join run on every flush, the wait
// for Claude's last export within the flush budget, and the receiver closed once the session
// is stored. A join that fails leaves the flush as it was: our own telemetry never suffers.

/** The most a finished prompt waits for Claude's spans of it before it is held for a later flush. */
const HOLD_WAIT_MS = 1000;

interface RuntimeSettings {
  config: WrapperConfig;
  debugLog: DebugLog;
  redact: Redactor;
  prompts: TextLevel;
  responses: TextLevel;
}

export class NativeRuntimeJoin {
  private readonly join: NativeJoin;
  private closed = false;
  /** The session's last flush is under way. */
  private final = false;

  constructor(
    private readonly collector: NativeCollector,
    meter: Meter,
    private readonly settings: RuntimeSettings,
  ) {
    const { privacy, genAi } = settings.config;
    this.join = new NativeJoin(collector, {
      meter,
      redact: settings.redact,
      prompts: settings.prompts,
      responses: settings.responses,
      latestSemconv: genAi.latestSemconv,
      spanValueLimit: privacy.spanLimits.valueLength,
      logValueLimit: privacy.logLimits.valueLength,
    });
  }

  apply(spans: ReadableSpan[], logs: ReadableLogRecord[]): JoinedBatch {
    this.writeNotes();
    try {
      return this.join.apply(spans, logs, this.final);
    } catch (error) {
      this.settings.debugLog.log('error', "could not join Claude Code's own telemetry", {
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
      return { spans, logs };
    }
  }

  /**
   * Before the session's last flush: Claude's requests still being read, and its spans of the
   * prompts so far, at most half of `budgetMs`, so that the session itself is always left the
   * other half to be sent in.
   */
  async settle(budgetMs: number, prompts: number): Promise<void> {
    this.final = true;
    if (this.closed) return;
    await this.collector.settle(budgetMs / 2, () => this.promptsIn(prompts));
  }

  /**
   * Before a finished prompt leaves (SDK mode): whether its spans wait for a later flush,
   * because Claude's spans of it are expected and not in yet. Claude 2.1.197 sends its spans
   * only at exit; the prompt's spans then leave with the session, joined.
   */
  async holdFinished(budgetMs: number, prompts: number): Promise<boolean> {
    if (this.closed) return false;
    const arrived = () => !this.collector.expectsSpans || this.promptsIn(prompts);
    return !(await this.collector.settle(Math.min(budgetMs / 2, HOLD_WAIT_MS), arrived));
  }

  /** Claude's spans of `prompts` prompts are in: it ends each prompt's trace with its interaction span. */
  private promptsIn(prompts: number): boolean {
    return this.collector.spanCount(NATIVE_SPAN_INTERACTION) >= prompts;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.collector.close();
    this.writeNotes();
    const { spans, logs, points, skippedPoints } = this.join.joined;
    this.settings.debugLog.log('debug', "Claude Code's own telemetry joined", { spans, logs, points, skippedPoints });
  }

  private writeNotes(): void {
    for (const note of this.collector.notes.splice(0)) this.settings.debugLog.log(note.level, note.message);
  }
}
