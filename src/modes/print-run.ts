import type { PrintRun, SdkRun } from '../launch/session-kind.ts';
import { resumeArgs } from '../launch/resume-args.ts';
import type { ClaudeExit } from '../launch/spawn-claude.ts';
import { holdTerminationSignals } from '../launch/hold-signals.ts';
import { LineSplitter, MAX_LINE_BYTES } from '../sources/stream-json/line-splitter.ts';
import { readLine } from '../sources/stream-json/read-line.ts';
import { parseStreamLineValue } from '../sources/stream-json/messages.ts';
import type { ParsedLine } from '../sources/stream-json/messages.ts';
import { TelemetryGuard } from './telemetry-guard.ts';
import { PrintOutput, printOutputOptions } from '../sources/stream-json/print-output.ts';
import type { PrintOutputOptions } from '../sources/stream-json/print-output.ts';
import { SdkInputReader } from '../sources/stream-json/sdk-input.ts';
import { StreamSessionReader } from '../session/from-stream.ts';
import type { SessionEvent } from '../session/events.ts';
import type { DebugLog } from '../debug-log.ts';
import { StdinTee } from './stdin-tee.ts';
import { QueuedRuntime } from './queued-runtime.ts';
import type { SessionSink } from './queued-runtime.ts';
import { subagentUsage } from '../sources/transcript/subagent-usage.ts';
import { SubagentUsageHold, withoutTranscript } from './subagent-usage-hold.ts';
import type { ReadSubagentUsage } from './subagent-usage-hold.ts';
import type { PrintLaunch } from './print-launch.ts';

// A print-mode or SDK-mode session: claude writes stream-json to us, we write out exactly
// what bare claude would have written, and every line also becomes session events. Used by
// the command (stdout, the terminal's stdin and signals) and by runClaude() (in memory).
// In SDK mode stdin carries the caller's messages: they pass to claude unchanged and are
// read on the way (prompts, permission answers).

/** Output written but not yet taken by our reader beyond which claude's stdout is paused, and below which it is read again. */
const OUTPUT_HIGH_WATER = 1024 * 1024;
const OUTPUT_LOW_WATER = 256 * 1024;
/** How much longer than the flush budget a slow telemetry start may take, so the session is still stored. */
const LATE_LOAD_GRACE_MS = 3000;
/** SDK mode: the caller stops waiting 2 s after the query; the flush budget and this grace stay well inside that. */
export const SDK_LOAD_GRACE_MS = 500;
/** SDK mode: a finished prompt's spans leave while claude waits for the next message; nobody waits for them. */
const BACKGROUND_FLUSH_MS = 10_000;

export type PrintStdin = { kind: 'terminal' } | { kind: 'tee'; from: NodeJS.ReadStream } | { kind: 'data'; data: string | Buffer };

export interface PrintRunOptions {
  claudeBin: string;
  claudeArgs: string[];
  run: PrintRun | SdkRun;
  /** claude's environment (PrintLaunch starts claude with it). */
  env: Record<string, string | undefined>;
  cwd?: string;
  stdin: PrintStdin;
  /** Where claude writes its transcripts (the subagents' exact usage is read there). */
  claudeConfigDir: string;
  /** Where claude's output goes: bytes as claude wrote them, or text rebuilt from stream-json. */
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
}

export interface PrintRunResult {
  exitCode: number;
  /** The signal that ended claude, if one did (exitCode is then 128+N). */
  signal?: string;
  traceId?: string;
  sessionId?: string;
  /** claude's result message, as it printed it. */
  result?: Record<string, unknown>;
}

function transcriptUsageReader(configDir: string, sessionId: () => string | undefined, debugLog: DebugLog): ReadSubagentUsage {
  return () => {
    const id = sessionId();
    if (!id) return new Map();
    try {
      return subagentUsage(configDir, id);
    } catch (error) {
      debugLog.log('warn', 'could not read subagent transcripts', { error: String(error) });
      return new Map();
    }
  };
}

/** The session of a claude already started by `launch` (with the same options). */
export async function readPrintSession(options: PrintRunOptions, launch: PrintLaunch): Promise<PrintRunResult> {
  const { run, debugLog } = options;
  const sdk = run.kind === 'sdk';
  const guard = new TelemetryGuard(debugLog);
  const { claude, rewritten } = launch;
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
  debugLog.log('debug', 'started claude', { file: options.claudeBin, args: rewritten ? 'stream-json' : 'as given', pid: claude.pid });

  let tee: StdinTee | undefined;
  let promptFromData: string | undefined;
  const output = new PrintOutput(outputOptions(run, rewritten !== undefined));
  let reader: StreamSessionReader | undefined;
  const readerFor = (): StreamSessionReader => {
    // Called for every line: made once, when claude's first line arrives.
    if (reader) return reader;
    const captureContent = options.captureContent === true;
    const resume = resumeArgs(options.claudeArgs);
    if (run.kind === 'sdk')
      return (reader = new StreamSessionReader({ startTime: options.startTime, mode: 'sdk', captureContent, ...(resume ? { resume } : {}) }));
    const prompt = [run.promptArg, promptFromData ?? tee?.text].filter((p): p is string => p !== undefined && p !== '').join('\n');
    reader = new StreamSessionReader({
      startTime: options.startTime,
      captureContent,
      ...(prompt ? { promptText: prompt } : {}),
      ...(resume ? { resume } : {}),
    });
    return reader;
  };
  const input = sdk
    ? new SdkInputReader((message, time) => {
        if (message.type === 'user') readerFor().caller.userMessage(message.text, time);
        else if (message.type === 'permission_answer') readerFor().caller.permissionAnswered(message.requestId, time, message.denied);
      })
    : undefined;
  if (options.stdin.kind === 'tee' && claude.stdin) tee = new StdinTee(options.stdin.from, claude.stdin, input);
  if (options.stdin.kind === 'data' && claude.stdin) {
    if (input) {
      input.push(Buffer.from(options.stdin.data));
      input.end();
    } else promptFromData = options.stdin.data.toString().replace(/\n$/, '');
    claude.stdin.on('error', () => {});
    claude.stdin.end(options.stdin.data);
  }

  // Telemetry loads while claude starts; events wait in a queue until it is ready.
  const telemetry = new QueuedRuntime(options.loadSink(), debugLog);
  let claudeExited = false;
  const deliver = (event: SessionEvent) => {
    telemetry.handle(event);
    // A long SDK session sends each prompt when it is over; after claude's exit the final flush takes everything.
    if (sdk && event.kind === 'prompt_end' && !claudeExited) telemetry.flushFinished(BACKGROUND_FLUSH_MS);
  };
  // A subagent's calls wait for their exact usage from its transcript, when claude writes one.
  const hold = options.claudeArgs.includes('--no-session-persistence')
    ? undefined
    : new SubagentUsageHold(
        deliver,
        transcriptUsageReader(options.claudeConfigDir, () => result.sessionId, debugLog),
      );
  const emit = (events: SessionEvent[]) => {
    for (const event of events) {
      if (hold) hold.push(event);
      else deliver(withoutTranscript(event));
    }
  };

  const result: PrintRunResult = { exitCode: 0 };

  let writing = Promise.resolve();
  // Backpressure, as a pipe gives it: while more than OUTPUT_HIGH_WATER is written but not yet
  // taken by whatever reads our output, claude's stdout is not read on, so claude waits.
  let unwritten = 0;
  let paused = false;
  const write = (chunk: string | Uint8Array) => {
    if (chunk.length === 0) return;
    const size = chunk.length;
    unwritten += size;
    const w = options.write(chunk).then(() => {
      unwritten -= size;
      if (paused && unwritten <= OUTPUT_LOW_WATER) {
        paused = false;
        launch.resumeStdout();
      }
    });
    writing = writing.then(() => w);
    if (!paused && unwritten > OUTPUT_HIGH_WATER) {
      paused = true;
      launch.pauseStdout();
    }
  };
  // With the caller's own arguments, claude's stdout already is what they asked for: its bytes
  // go out as they come, and the lines are only read for telemetry.
  const passBytes = rewritten === undefined;
  const splitter = new LineSplitter();
  /**
   * When the chunk being read arrived: the time of each of its lines. Taken before the chunk is
   * passed on, so that a permission request is dated before the caller could have seen it.
   */
  let arrivedAt = Date.now();
  /** What one line means for the session (never for the output). */
  const record = (parsed: ParsedLine | undefined, line: string) => {
    if (parsed === undefined) {
      if (line.length > 0) debugLog.log('debug', 'skipped a line that is not stream-json', { length: Buffer.byteLength(line) });
      return;
    }
    if (parsed.message.type === 'init') result.sessionId = parsed.message.sessionId;
    if (parsed.message.type === 'result') result.result = parsed.value;
    emit(readerFor().push(parsed.message, arrivedAt));
  };
  const onLine = (line: string, newline: boolean) => {
    if (passBytes) {
      guard.run('reading a stream-json line', () => record(parseStreamLineValue(line), line));
      return;
    }
    const { text, parsed } = readLine(output, line, newline);
    if (parsed === undefined) {
      // A line cut short (claude's output ended mid-line) is a JSON fragment, never an answer.
      const rebuilt = newline ? undefined : output.cutShort(line);
      if (rebuilt !== undefined) write(rebuilt);
      else {
        // A line that is not stream-json is claude's own: its bytes, not their decoding.
        write(splitter.lineBytes());
        if (newline) write('\n');
      }
    } else if (passedAsItCame(text, line, newline)) {
      // Passed through whole: its bytes, so that bytes that are not UTF-8 stay as they came.
      write(splitter.lineBytes());
      if (newline) write('\n');
    } else write(text);
    guard.run('reading a stream-json line', () => record(parsed, line));
  };
  let oversizeReported = false;
  const onOversize = (piece: Buffer, newline: boolean) => {
    if (!passBytes) {
      write(piece);
      if (newline) write('\n');
    }
    if (!oversizeReported) debugLog.log('warn', `a line of claude's output is over ${MAX_LINE_BYTES / 1024 / 1024} MB: passed through unparsed`);
    oversizeReported = !newline;
  };

  const stdoutDone = new Promise<void>((resolve) => {
    launch.readStdout({
      data: (chunk) => {
        arrivedAt = Date.now();
        if (passBytes) write(chunk);
        try {
          splitter.push(chunk, onLine, onOversize);
        } catch (error) {
          guard.report("splitting claude's output", error);
        }
      },
      end: () => {
        arrivedAt = Date.now();
        guard.run('reading the last line', () => splitter.end(onLine));
        const tail = output.end();
        if (tail) write(tail);
        resolve();
      },
      error: () => resolve(),
    });
  });

  const exit: ClaudeExit = await claude.exited;
  await stdoutDone;
  claudeExited = true;
  const loadGraceMs = sdk ? SDK_LOAD_GRACE_MS : LATE_LOAD_GRACE_MS;
  // From here until the session is stored, a signal to the wrapper waits (see hold-signals.ts).
  const signalHold = options.forwardProcessSignals
    ? holdTerminationSignals(options.flushTimeoutMs + loadGraceMs, (signal) =>
        debugLog.log('info', `received ${signal}; it takes effect once the session is stored`),
      )
    : undefined;
  launch.stopForwarding();
  options.abortSignal?.removeEventListener('abort', onAbort);
  tee?.stop();
  const exitTime = Date.now();
  debugLog.log('debug', 'claude exited', { detail: exit.detail });
  guard.run('closing the session', () => {
    emit(
      readerFor().finish({
        time: exitTime,
        exitCode: exit.exitCode,
        interrupted: interrupted || exit.signal !== undefined,
        ...(exit.signal ? { signal: exit.signal } : {}),
      }),
    );
    hold?.finish();
  });
  await writing;
  result.exitCode = exit.exitCode;
  if (exit.signal) result.signal = exit.signal;

  // Whatever is left of the flush budget after the telemetry finished loading goes to the export.
  const traceId = await guard.settle(
    'flushing the session',
    () => telemetry.finish(options.flushTimeoutMs, loadGraceMs, () => signalHold?.release()),
    undefined,
  );
  // Normally released once the session is stored; after a failure, now.
  signalHold?.release();
  if (traceId) result.traceId = traceId;
  return result;
}

/** Whether the output rules wrote the line as it was (then its bytes go out instead of its decoding). */
function passedAsItCame(text: string, line: string, newline: boolean): boolean {
  if (text.length !== line.length + (newline ? 1 : 0)) return false;
  return newline ? text.startsWith(line) && text.endsWith('\n') : text === line;
}

/** With the caller's own arguments (`rewritten` false), claude's stdout already is what they asked for. */
function outputOptions(run: PrintRun | SdkRun, rewritten: boolean): PrintOutputOptions {
  if (!rewritten) return { format: 'stream-json', verbose: true, userPartialMessages: true };
  if (run.kind === 'sdk') return { format: 'stream-json', verbose: true, userPartialMessages: run.includePartialMessages };
  return printOutputOptions(run);
}
