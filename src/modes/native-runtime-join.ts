import type { Meter } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { WrapperConfig } from '../config/wrapper-config.ts';
import type { TextLevel } from '../config/privacy-config.ts';
import type { DebugLog } from '../debug-log.ts';
import type { Redactor } from '../privacy/redact.ts';
import type { NativeCollector } from '../sources/native-otlp/native-collector.ts';
import { NativeJoin } from '../telemetry/native/native-join.ts';
import type { JoinedBatch } from '../telemetry/native/native-join.ts';

// The session's side of Claude Code's own telemetry: the join run on every flush, the wait
// for Claude's last export within the flush budget, and the receiver closed once the session
// is stored. A join that fails leaves the flush as it was: our own telemetry never suffers.

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
      return this.join.apply(spans, logs);
    } catch (error) {
      this.settings.debugLog.log('error', "could not join Claude Code's own telemetry", {
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      });
      return { spans, logs };
    }
  }

  /**
   * Claude's requests still being read, and its spans of the prompts so far: at most half of
   * `budgetMs`, so that the session itself is always left the other half to be sent in.
   */
  async settle(budgetMs: number, prompts: number): Promise<void> {
    if (this.closed) return;
    await this.collector.settle(budgetMs / 2, prompts);
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
