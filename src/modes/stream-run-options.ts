import type { PrintRun, SdkRun } from '../launch/session-kind.ts';
import type { StreamReaderOptions } from '../session/from-stream.ts';
import type { SessionEvent } from '../session/events.ts';
import type { DebugLog } from '../debug-log.ts';
import type { QueuedRuntime, SessionSink } from './queued-runtime.ts';

// What a stream-json session is run with (stream-run.ts), and what its modes provide.

export type PrintStdin = { kind: 'terminal' } | { kind: 'tee'; from: NodeJS.ReadStream } | { kind: 'data'; data: string | Buffer };

export interface StreamRunOptions {
  claudeBin: string;
  claudeArgs: string[];
  run: PrintRun | SdkRun;
  /** claude's environment (PrintLaunch starts claude with it). */
  env: Record<string, string | undefined>;
  cwd?: string;
  stdin: PrintStdin;
  /**
   * Where claude's output goes: bytes as claude wrote them, or text rebuilt from stream-json.
   * Rejects once the caller's reader has gone (a closed pipe): claude's stdout is then closed too.
   */
  write: (chunk: string | Uint8Array) => Promise<void>;
  /** The command passes the wrapper's signals on; the library uses `abortSignal`. */
  forwardProcessSignals: boolean;
  abortSignal?: AbortSignal;
  flushTimeoutMs: number;
  debugLog: DebugLog;
  startTime: number;
  loadSink: () => Promise<SessionSink>;
  /** Keep conversation content for the spans (CLAUDE_OTEL_LOG_CONTENT=on). */
  captureContent?: boolean;
  /** Where claude writes its transcripts (the subagents' exact usage is read there). */
  claudeConfigDir: string;
}

export interface StreamRunResult {
  exitCode: number;
  /** The signal that ended claude, if one did (exitCode is then 128+N). */
  signal?: string;
  traceId?: string;
  sessionId?: string;
  /** claude's result message, as it printed it. */
  result?: Record<string, unknown>;
  /** claude could not be started at all: why, in one line. */
  notStarted?: string;
}

/** What differs between print and SDK mode: stdin, the reader, and when finished prompts leave. */
export interface StreamMode {
  readerOptions(): StreamReaderOptions;
  /** After each event has gone to the telemetry. */
  delivered?(event: SessionEvent, telemetry: QueuedRuntime): void;
  /** How much longer than the flush budget a slow telemetry start may take, so the session is still stored. */
  loadGraceMs: number;
  /** claude has exited: stdin is no longer read. */
  claudeExited(): void;
}
