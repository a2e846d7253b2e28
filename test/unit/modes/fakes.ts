import { PassThrough } from 'node:stream';
import type { ClaudeExit, ClaudeProcess } from '../../../src/launch/spawn-claude.ts';
import type { PrintRun, SdkRun } from '../../../src/launch/session-kind.ts';
import type { PrintStdin, StreamRunOptions } from '../../../src/modes/stream-run-options.ts';
import type { DebugLog, Level } from '../../../src/debug-log.ts';
import type { Deadline } from '../../../src/deadline.ts';
import type { SessionSink } from '../../../src/modes/queued-runtime.ts';
import type { SessionEvent } from '../../../src/session/events.ts';

// Stand-ins for the wrapper's own seams (its debug log and the session's telemetry sink) shared by the modes' unit tests.

export interface LogRecord {
  level: Level;
  message: string;
  fields: Record<string, unknown> | undefined;
}

export function recordingLog(): DebugLog & { records: LogRecord[] } {
  const records: LogRecord[] = [];
  return { records, log: (level, message, fields) => records.push({ level, message, fields }), close: async () => {} };
}

/** A sink that keeps what it is given; `finish` calls `onStored` as the real runtime does. */
export class FakeSink implements SessionSink {
  readonly events: SessionEvent[] = [];
  readonly finishDeadlines: Deadline[] = [];
  readonly flushDeadlines: Deadline[] = [];
  /** Set to make the next flushes wait until the test resolves them. */
  flushGate: (() => Promise<void>) | undefined;
  constructor(readonly traceId: string | undefined = '4bf92f3577b34da6a3ce929d0e0e4736') {}
  handle(event: SessionEvent): void {
    this.events.push(event);
  }
  async flushFinished(deadline: Deadline): Promise<{ delivered: boolean; timedOut: boolean }> {
    this.flushDeadlines.push(deadline);
    await this.flushGate?.();
    return { delivered: true, timedOut: false };
  }
  async finish(deadline: Deadline, onStored?: () => void): Promise<void> {
    this.finishDeadlines.push(deadline);
    onStored?.();
  }
  kinds(): SessionEvent['kind'][] {
    return this.events.map((e) => e.kind);
  }
}

/** A promise and the functions that settle it, for loads the test decides the outcome of. */
export function settleable<T>() {
  let resolve: (value: T) => void = () => {};
  let reject: (error: unknown) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every callback already due run (promise reactions, I/O), without waiting for any time. */
export function settled(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A claude process that never runs: stdin a PassThrough the test reads. */
export function fakeClaude(): ClaudeProcess & { stdin: PassThrough; received: () => string } {
  const stdin = new PassThrough();
  const chunks: Buffer[] = [];
  stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
  return {
    pid: undefined,
    stdout: null,
    stdin,
    exited: new Promise<ClaudeExit>(() => {}),
    kill: () => {},
    received: () => Buffer.concat(chunks).toString('utf8'),
  };
}

export function streamRunOptions(run: PrintRun | SdkRun, stdin: PrintStdin, claudeArgs: string[] = []): StreamRunOptions {
  return {
    claudeBin: 'claude',
    claudeArgs,
    run,
    env: {},
    stdin,
    write: async () => {},
    forwardProcessSignals: false,
    flushTimeoutMs: 1000,
    debugLog: recordingLog(),
    startTime: 1000,
    loadSink: async () => new FakeSink(),
    claudeConfigDir: '/nonexistent',
  };
}
