import type { ClaudeExit } from '../launch/spawn-claude.ts';
import { holdTerminationSignals } from '../launch/hold-signals.ts';
import { LineSplitter } from '../sources/stream-json/line-splitter.ts';
import { TelemetryGuard } from './telemetry-guard.ts';
import type { PrintLaunch } from './print-launch.ts';
import { ClaudeOutput } from './claude-output.ts';
import { LineRecording } from './line-recording.ts';
import { carriedTotals } from '../sources/transcript/carried-totals.ts';
import { printMode } from './print-run.ts';
import { sdkMode } from './sdk-run.ts';
import type { StreamMode, StreamRunOptions, StreamRunResult } from './stream-run-options.ts';

export type { PrintStdin, StreamRunOptions, StreamRunResult } from './stream-run-options.ts';

// A session claude writes as stream-json to us, in print mode (print-run.ts) or SDK mode
// (sdk-run.ts): claude's stdout goes to the caller as bare claude would have written it
// (claude-output.ts), each line also becomes session events (line-recording.ts), and once
// claude has exited the session is stored and sent within the flush budget. Used by the command
// (stdout, the terminal's stdin and signals) and by runClaude() (in memory).

/** The session of a claude already started by `launch` (with the same options). */
export async function readStreamSession(options: StreamRunOptions, launch: PrintLaunch): Promise<StreamRunResult> {
  const { debugLog } = options;
  const guard = new TelemetryGuard(debugLog);
  const { claude } = launch;
  let interrupted = false;
  launch.onSignal((signal) => {
    interrupted = true;
    debugLog.log('info', `received ${signal}; passing it to claude`);
  });
  const onAbort = () => {
    interrupted = true;
    claude.kill('SIGTERM');
  };
  options.abortSignal?.addEventListener('abort', onAbort, { once: true });
  if (options.abortSignal?.aborted) onAbort();
  debugLog.log('debug', 'started claude', { file: options.claudeBin, args: launch.rewritten ? 'stream-json' : 'as given', pid: claude.pid });

  const recording: LineRecording = new LineRecording({
    debugLog,
    loadSink: options.loadSink,
    // No config dir when nothing records (OTEL_SDK_DISABLED): then nothing is looked up.
    readerOptions: () =>
      options.claudeConfigDir
        ? { ...mode.readerOptions(), carriedTotals: (resumed, version) => carriedTotals(options.claudeConfigDir, resumed, version) }
        : mode.readerOptions(),
    claudeConfigDir: options.claudeArgs.includes('--no-session-persistence') || !options.claudeConfigDir ? undefined : options.claudeConfigDir,
    delivered: (event, telemetry) => mode.delivered?.(event, telemetry),
  });
  const mode: StreamMode = options.run.kind === 'sdk' ? sdkMode(options, claude, () => recording.sessionReader) : printMode(options, options.run, claude);
  const output = new ClaudeOutput({ run: options.run, launch, write: options.write, debugLog });

  const splitter = new LineSplitter();
  const lineBytes = () => splitter.lineBytes();
  /**
   * When the chunk being read arrived: the time of each of its lines. Taken before the chunk is
   * passed on, so that a permission request is dated before the caller could have seen it.
   */
  let arrivedAt = Date.now();
  const onLine = (line: string, newline: boolean) => {
    if (output.passBytes) {
      guard.run('reading a stream-json line', () => recording.record(output.line(line, newline, lineBytes), line, arrivedAt));
      return;
    }
    const parsed = output.line(line, newline, lineBytes);
    guard.run('reading a stream-json line', () => recording.record(parsed, line, arrivedAt));
  };
  const onOversize = (piece: Buffer, newline: boolean) => output.oversize(piece, newline);

  const stdoutDone = new Promise<void>((resolve) => {
    launch.readStdout({
      data: (chunk) => {
        arrivedAt = Date.now();
        output.chunk(chunk);
        try {
          splitter.push(chunk, onLine, onOversize);
        } catch (error) {
          guard.report("splitting claude's output", error);
        }
      },
      end: () => {
        arrivedAt = Date.now();
        guard.run('reading the last line', () => splitter.end(onLine));
        output.end();
        resolve();
      },
      error: () => resolve(),
    });
  });

  const exit: ClaudeExit = await claude.exited;
  await stdoutDone;
  mode.claudeExited();
  // From here until the session is stored, a signal to the wrapper waits (see hold-signals.ts).
  const signalHold = options.forwardProcessSignals
    ? holdTerminationSignals(options.flushTimeoutMs + mode.loadGraceMs, (signal) =>
        debugLog.log('info', `received ${signal}; it takes effect once the session is stored`),
      )
    : undefined;
  launch.stopForwarding();
  options.abortSignal?.removeEventListener('abort', onAbort);
  const exitTime = Date.now();
  debugLog.log('debug', 'claude exited', { detail: exit.detail });
  guard.run('closing the session', () =>
    recording.close({
      time: exitTime,
      exitCode: exit.exitCode,
      interrupted: interrupted || exit.signal !== undefined,
      ...(exit.signal ? { signal: exit.signal } : {}),
    }),
  );
  await output.written();
  const result: StreamRunResult = { exitCode: exit.exitCode };
  if (exit.signal) result.signal = exit.signal;
  if (exit.notStarted) result.notStarted = exit.notStarted;
  if (recording.sessionId) result.sessionId = recording.sessionId;
  if (recording.result) result.result = recording.result;

  // Whatever is left of the flush budget after the telemetry finished loading goes to the export.
  const traceId = await guard.settle(
    'flushing the session',
    () => recording.telemetry.finish(options.flushTimeoutMs, mode.loadGraceMs, () => signalHold?.release()),
    undefined,
  );
  // Normally released once the session is stored; after a failure, now.
  signalHold?.release();
  if (traceId) result.traceId = traceId;
  return result;
}
