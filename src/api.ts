import { asTextRun, classifyRun } from './launch/session-kind.ts';
import { resolveClaude } from './launch/resolve-claude.ts';
import { runPrintSession } from './modes/print-session.ts';
import { startRecording } from './recording/session-recording.ts';
import { hostProviders } from './recording/host-telemetry.ts';
import { claudeEnvironment, planSessionIds } from './trace-context/traceparent.ts';
import { launchNative } from './modes/native-launch.ts';
import { createDebugLog } from './debug-log.ts';

// runClaude(): one print-mode session through the same pipeline as the command. When the
// host program has registered its own global tracer provider, the session's spans, logs
// and metrics go to the host's providers, under the host's active span; otherwise the
// library sets up its own SDK from OTEL_* (and the local store), exactly like the command.

export interface RunClaudeOptions {
  /** claude's arguments; `-p` is added when missing. The prompt is an argument or `stdin`. */
  args: string[];
  cwd?: string;
  /** Added to the program's environment for claude and for telemetry settings. */
  env?: Record<string, string | undefined>;
  stdin?: string | Buffer;
  signal?: AbortSignal;
}

export interface RunClaudeResult {
  /** claude's exit code; 128+N when signal N ended it. */
  exitCode: number;
  /** The signal that ended claude (the host process itself is never signalled). */
  signal: string | undefined;
  sessionId: string | undefined;
  traceId: string | undefined;
  /** The CLI's result message. */
  result: Record<string, unknown> | undefined;
  /** The answer's text. */
  text: string;
}

export class ClaudeRunError extends Error {}

export async function runClaude(options: RunClaudeOptions): Promise<RunClaudeResult> {
  const startTime = Date.now();
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  const args = options.args.includes('-p') || options.args.includes('--print') ? [...options.args] : ['-p', ...options.args];
  const classified = classifyRun(args);
  if (classified.kind !== 'print') throw new ClaudeRunError('runClaude runs print-mode sessions; these arguments are not one');
  const claudeBin = resolveClaude({ env, selfPaths: [], ...(options.cwd ? { cwd: options.cwd } : {}) });
  const ids = planSessionIds(env);
  // The same recording as the command's: the same settings, warnings, store, redaction and sampling.
  const host = hostProviders();
  // Claude Code's own telemetry joins the session as the command's does; a host's providers take ours alone.
  const native = host ? undefined : await launchNative(env, claudeEnvironment(env, ids));
  const recording = startRecording({
    mode: 'library',
    env,
    ids,
    startTime,
    gitFallbackCwd: options.cwd ?? process.cwd(),
    ...(host ? { host } : {}),
    ...(native ? { native } : {}),
  });
  if (!recording) native?.collector.close();
  const { args: claudeArgs, run } = asTextRun(args, classified);

  const written: Buffer[] = [];
  const debugLog = recording?.debugLog ?? createDebugLog({ enabled: false, stateDir: undefined, redact: (text) => text });
  const result = await runPrintSession({
    claudeBin,
    claudeArgs,
    run,
    env: recording?.claudeEnv ?? env,
    ...(options.cwd ? { cwd: options.cwd } : {}),
    stdin: { kind: 'data', data: options.stdin ?? '' },
    write: async (chunk) => {
      written.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    },
    forwardProcessSignals: false,
    ...(options.signal ? { abortSignal: options.signal } : {}),
    flushTimeoutMs: recording?.flushTimeoutMs ?? 0,
    debugLog,
    startTime,
    loadSink: recording ? () => recording.loadSink() : async () => ({ handle: () => {}, traceId: undefined, finish: async () => {} }),
    captureContent: recording?.config.genAi.logContent === true,
    claudeConfigDir: recording?.config.claudeConfigDir ?? '',
  });
  if (recording) await recording.end(result);
  else await debugLog.close();
  const answer = typeof result.result?.result === 'string' ? result.result.result : Buffer.concat(written).toString('utf8').replace(/\n$/, '');
  return { exitCode: result.exitCode, signal: result.signal, sessionId: result.sessionId, traceId: result.traceId, result: result.result, text: answer };
}
