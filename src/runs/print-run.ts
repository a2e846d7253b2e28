import type { WrapperConfig } from '../config/wrapper-config.ts';
import type { PrintRun } from '../launch/session-kind.ts';
import { printModeArgs } from '../launch/session-kind.ts';
import { spawnClaude } from '../claude-process/spawn-claude.ts';
import type { ClaudeExit } from '../claude-process/spawn-claude.ts';
import { forwardSignals } from '../claude-process/forward-signals.ts';
import { LineSplitter } from '../stream/line-splitter.ts';
import { parseStreamLineValue } from '../stream/messages.ts';
import { PrintOutput, printOutputOptions } from '../stream/print-output.ts';
import { StreamSessionReader } from '../session/from-stream.ts';
import type { SessionEvent } from '../session/events.ts';
import type { DebugLog } from '../sinks/debug-log.ts';
import type { Redactor } from '../privacy/redact.ts';
import type { TelemetryRuntime } from './telemetry-runtime.ts';
import { StdinTee } from './stdin-tee.ts';

// A print-mode session: claude writes stream-json to us, we write to stdout exactly what
// bare claude would have written, and every line also becomes session events.

export interface PrintRunOptions {
  claudeBin: string;
  claudeArgs: string[];
  run: PrintRun;
  config: WrapperConfig;
  env: Record<string, string | undefined>;
  debugLog: DebugLog;
  redact: Redactor;
  startTime: number;
  loadRuntime: () => Promise<TelemetryRuntime>;
}

export interface PrintRunResult {
  exitCode: number;
  traceId?: string;
}

function writeOut(text: string): Promise<void> {
  if (text.length === 0) return Promise.resolve();
  return new Promise((resolve) => {
    process.stdout.write(text, () => resolve());
  });
}

export async function runPrintSession(options: PrintRunOptions): Promise<PrintRunResult> {
  const { run, debugLog } = options;
  const rewritten = printModeArgs(options.claudeArgs, run);
  const args = rewritten ?? options.claudeArgs;
  const pipeStdin = !process.stdin.isTTY;
  const claude = spawnClaude({ file: options.claudeBin, args, env: options.env, pipeStdout: true, pipeStdin });
  let interrupted = false;
  const stopForwarding = forwardSignals(claude, {
    interactive: false,
    onSignal: (signal) => {
      interrupted = true;
      debugLog.log('info', `received ${signal}; passing it to claude`);
    },
  });
  debugLog.log('debug', 'started claude', { file: options.claudeBin, args: rewritten ? 'stream-json' : 'as given', pid: claude.pid });

  const tee = pipeStdin && claude.stdin ? new StdinTee(process.stdin, claude.stdin) : undefined;

  // Telemetry loads while claude starts; events wait in a queue until it is ready.
  const queue: SessionEvent[] = [];
  let runtime: TelemetryRuntime | undefined;
  const runtimeReady = options.loadRuntime().then(
    (r) => {
      runtime = r;
      for (const event of queue.splice(0)) safeHandle(r, event);
      return r;
    },
    (error: unknown) => {
      debugLog.log('error', 'telemetry could not start', { error: String(error) });
      return undefined;
    },
  );
  const safeHandle = (r: TelemetryRuntime, event: SessionEvent) => {
    try {
      r.handle(event);
    } catch (error) {
      debugLog.log('error', 'telemetry failed on an event', { error: String(error) });
    }
  };
  const emit = (events: SessionEvent[]) => {
    for (const event of events) {
      if (runtime) safeHandle(runtime, event);
      else queue.push(event);
    }
  };

  // With the user's own arguments, claude's stdout already is what they asked for.
  const output = new PrintOutput(rewritten ? printOutputOptions(run) : { format: 'stream-json', verbose: true, userPartialMessages: true });
  let reader: StreamSessionReader | undefined;
  const readerFor = (): StreamSessionReader => {
    reader ??= new StreamSessionReader({
      startTime: options.startTime,
      ...(run.promptArg !== undefined ? { promptText: run.promptArg } : tee?.text ? { promptText: tee.text } : {}),
    });
    return reader;
  };

  const splitter = new LineSplitter();
  let writing = Promise.resolve();
  const onLine = (line: string, newline: boolean) => {
    const parsed = parseStreamLineValue(line);
    const message = parsed?.message;
    let text: string;
    try {
      text = output.line(line, newline, parsed);
    } catch {
      text = newline ? `${line}\n` : line;
    }
    if (text) {
      const w = writeOut(text);
      writing = writing.then(() => w);
    }
    if (message === undefined) {
      if (line.trim()) debugLog.log('debug', 'skipped a line that is not stream-json', { length: line.length });
      return;
    }
    try {
      emit(readerFor().push(message, Date.now()));
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
  stopForwarding();
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
  await writing;

  // Whatever is left of the flush budget after the SDK finished loading goes to the export.
  const budget = options.config.flushTimeoutMs;
  const loaded = await Promise.race([runtimeReady, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), budget).unref())]);
  const result: PrintRunResult = { exitCode: exit.exitCode };
  if (!loaded) return result;
  try {
    const report = await loaded.finish(Math.max(0, budget - (Date.now() - exitTime)));
    debugLog.log('debug', 'flushed', { delivered: report.delivered, timedOut: report.timedOut, ms: Date.now() - exitTime });
  } catch (error) {
    debugLog.log('error', 'flush failed', { error: String(error) });
  }
  if (loaded.traceId) result.traceId = loaded.traceId;
  return result;
}
