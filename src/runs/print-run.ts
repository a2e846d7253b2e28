import type { PrintRun } from '../launch/session-kind.ts';
import { printModeArgs } from '../launch/session-kind.ts';
import { spawnClaude } from '../claude-process/spawn-claude.ts';
import type { ClaudeExit } from '../claude-process/spawn-claude.ts';
import { forwardSignals } from '../claude-process/forward-signals.ts';
import { holdTerminationSignals } from '../claude-process/hold-signals.ts';
import { LineSplitter } from '../stream/line-splitter.ts';
import { readLine } from '../stream/read-line.ts';
import { PrintOutput, printOutputOptions } from '../stream/print-output.ts';
import { StreamSessionReader } from '../session/from-stream.ts';
import type { SessionEvent } from '../session/events.ts';
import type { DebugLog } from '../sinks/debug-log.ts';
import { StdinTee } from './stdin-tee.ts';
import { QueuedRuntime } from './queued-runtime.ts';
import type { SessionSink } from './queued-runtime.ts';
import { claudeConfigDir, subagentUsage } from '../transcript/subagent-usage.ts';
import { SubagentUsageHold } from './subagent-usage-hold.ts';
import type { ReadSubagentUsage } from './subagent-usage-hold.ts';

// A print-mode session: claude writes stream-json to us, we write out exactly what bare
// claude would have written, and every line also becomes session events. Used by the
// command (stdout, the terminal's stdin and signals) and by runClaude() (in memory).

/** How much longer than the flush budget a slow telemetry start may take, so the session is still stored. */
const LATE_LOAD_GRACE_MS = 3000;

export type PrintStdin = { kind: 'terminal' } | { kind: 'tee'; from: NodeJS.ReadStream } | { kind: 'data'; data: string | Buffer };

export interface PrintRunOptions {
  claudeBin: string;
  claudeArgs: string[];
  run: PrintRun;
  /** claude's environment. */
  env: Record<string, string | undefined>;
  cwd?: string;
  stdin: PrintStdin;
  write: (text: string) => Promise<void>;
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
  traceId?: string;
  sessionId?: string;
  /** claude's result message, as it printed it. */
  result?: Record<string, unknown>;
}

function transcriptUsageReader(env: Record<string, string | undefined>, sessionId: () => string | undefined, debugLog: DebugLog): ReadSubagentUsage {
  return () => {
    const id = sessionId();
    if (!id) return new Map();
    try {
      return subagentUsage(claudeConfigDir(env), id);
    } catch (error) {
      debugLog.log('warn', 'could not read subagent transcripts', { error: String(error) });
      return new Map();
    }
  };
}

export async function runPrintSession(options: PrintRunOptions): Promise<PrintRunResult> {
  const { run, debugLog } = options;
  const rewritten = printModeArgs(options.claudeArgs, run);
  const args = rewritten ?? options.claudeArgs;
  const claude = spawnClaude({
    file: options.claudeBin,
    args,
    env: options.env,
    pipeStdout: true,
    pipeStdin: options.stdin.kind !== 'terminal',
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  let interrupted = false;
  const stopForwarding = options.forwardProcessSignals
    ? forwardSignals(claude, {
        interactive: false,
        onSignal: (signal) => {
          interrupted = true;
          debugLog.log('info', `received ${signal}; passing it to claude`);
        },
      })
    : () => {};
  const onAbort = () => {
    interrupted = true;
    claude.kill('SIGTERM');
  };
  options.abortSignal?.addEventListener('abort', onAbort, { once: true });
  if (options.abortSignal?.aborted) onAbort();
  debugLog.log('debug', 'started claude', { file: options.claudeBin, args: rewritten ? 'stream-json' : 'as given', pid: claude.pid });

  let tee: StdinTee | undefined;
  let promptFromData: string | undefined;
  if (options.stdin.kind === 'tee' && claude.stdin) tee = new StdinTee(options.stdin.from, claude.stdin);
  if (options.stdin.kind === 'data' && claude.stdin) {
    promptFromData = options.stdin.data.toString().replace(/\n$/, '');
    claude.stdin.on('error', () => {});
    claude.stdin.end(options.stdin.data);
  }

  // Telemetry loads while claude starts; events wait in a queue until it is ready.
  const telemetry = new QueuedRuntime(options.loadSink(), debugLog);
  const deliver = (event: SessionEvent) => telemetry.handle(event);
  // A subagent's calls wait for their exact usage from its transcript.
  const hold = new SubagentUsageHold(deliver, transcriptUsageReader(options.env, () => result.sessionId, debugLog));
  const emit = (events: SessionEvent[]) => {
    for (const event of events) hold.push(event);
  };

  // With the user's own arguments, claude's stdout already is what they asked for.
  const output = new PrintOutput(rewritten ? printOutputOptions(run) : { format: 'stream-json', verbose: true, userPartialMessages: true });
  let reader: StreamSessionReader | undefined;
  const readerFor = (): StreamSessionReader => {
    const prompt = [run.promptArg, promptFromData ?? tee?.text].filter((p): p is string => p !== undefined && p !== '').join('\n');
    reader ??= new StreamSessionReader({ startTime: options.startTime, captureContent: options.captureContent === true, ...(prompt ? { promptText: prompt } : {}) });
    return reader;
  };
  const result: PrintRunResult = { exitCode: 0 };

  const splitter = new LineSplitter();
  let writing = Promise.resolve();
  const onLine = (line: string, newline: boolean) => {
    const { text, parsed } = readLine(output, line, newline);
    if (text) {
      const w = options.write(text);
      writing = writing.then(() => w);
    }
    if (parsed === undefined) {
      if (line.trim()) debugLog.log('debug', 'skipped a line that is not stream-json', { length: line.length });
      return;
    }
    if (parsed.message.type === 'init') result.sessionId = parsed.message.sessionId;
    if (parsed.message.type === 'result') result.result = parsed.value;
    try {
      emit(readerFor().push(parsed.message, Date.now()));
    } catch (error) {
      debugLog.log('error', 'could not read a stream-json line', { error: String(error) });
    }
  };

  const stdoutDone = new Promise<void>((resolve) => {
    if (!claude.stdout) return resolve();
    claude.stdout.on('data', (chunk: Buffer) => splitter.push(chunk, onLine));
    claude.stdout.on('end', () => {
      splitter.end(onLine);
      resolve();
    });
    claude.stdout.on('error', () => resolve());
  });

  const exit: ClaudeExit = await claude.exited;
  await stdoutDone;
  // From here until the session is stored, a signal to the wrapper waits (see hold-signals.ts).
  const signalHold = options.forwardProcessSignals
    ? holdTerminationSignals(options.flushTimeoutMs + LATE_LOAD_GRACE_MS, (signal) => debugLog.log('info', `received ${signal}; it takes effect once the session is stored`))
    : undefined;
  stopForwarding();
  options.abortSignal?.removeEventListener('abort', onAbort);
  tee?.stop();
  const exitTime = Date.now();
  debugLog.log('debug', 'claude exited', { detail: exit.detail });
  emit(
    readerFor().finish({
      time: exitTime,
      exitCode: exit.exitCode,
      interrupted: interrupted || exit.signal !== undefined,
      ...(exit.signal ? { signal: exit.signal } : {}),
    }),
  );
  hold.finish();
  await writing;
  result.exitCode = exit.exitCode;

  // Whatever is left of the flush budget after the telemetry finished loading goes to the export.
  const traceId = await telemetry.finish(options.flushTimeoutMs, LATE_LOAD_GRACE_MS, () => signalHold?.release());
  if (traceId) result.traceId = traceId;
  return result;
}
