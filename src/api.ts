import * as v from 'valibot';
import { asTextRun, classifyRun } from './launch/session-kind.ts';
import { ClaudeNotFoundError, resolveClaude } from './launch/resolve-claude.ts';
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

// What a program passes to runClaude() is checked before anything runs: a caller in plain
// JavaScript has no compiler to catch `{ prompt: '...' }` or a number in `env`, and would
// otherwise meet a TypeError from deep inside the library.

/** runClaude() could not run the session it was asked for: its options, its arguments, or no claude to run. */
export class ClaudeRunError extends Error {
  override name = 'ClaudeRunError';
}

// Typed by what it yields, so that it cannot drift from RunClaudeOptions.
const OPTIONS_SCHEMA: v.GenericSchema<unknown, RunClaudeOptions> = v.strictObject({
  args: v.array(v.string()),
  cwd: v.optional(v.string()),
  env: v.optional(v.record(v.string(), v.optional(v.string()))),
  stdin: v.optional(v.union([v.string(), v.instance(Uint8Array)])),
  signal: v.optional(v.instance(AbortSignal)),
});

export interface RunClaudeOptions {
  /** claude's arguments; `-p` is added when missing. The prompt is an argument or `stdin`. */
  args: string[];
  cwd?: string;
  /** Added to the program's environment for claude and for telemetry settings. */
  env?: Record<string, string | undefined>;
  stdin?: string | Uint8Array;
  signal?: AbortSignal;
}

/** What the caller gave, in a few words. */
function shown(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  return type === 'object' ? 'an object' : `a ${type}`;
}

/** What each option must be, as the message for a wrong one says it. */
const EXPECTED: Record<keyof RunClaudeOptions, string> = {
  args: "an array of strings (claude's arguments; the prompt is one of them, or goes in stdin)",
  cwd: 'a string',
  env: 'an object of strings',
  stdin: 'a string or a Buffer',
  signal: 'an AbortSignal',
};

/** `value` as runClaude() options, or a ClaudeRunError of one line that names what is wrong. */
function checkedOptions(value: unknown): RunClaudeOptions {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ClaudeRunError(`runClaude: options must be an object ({ args, ... }), not ${shown(value)}`);
  }
  const result = v.safeParse(OPTIONS_SCHEMA, value);
  if (result.success) return result.output;
  const known = (key: unknown): key is keyof RunClaudeOptions => Object.hasOwn(EXPECTED, String(key));
  // A misspelt or made-up option says more than the option it stands for being missing.
  const unknown = result.issues.find((each) => each.type === 'strict_object' && !known(each.path?.[0]?.key));
  if (unknown) throw new ClaudeRunError(`runClaude: unknown option "${String(unknown.path?.[0]?.key)}" (the options are ${Object.keys(EXPECTED).join(', ')})`);
  const issue = result.issues[0];
  const first = issue.path?.[0]?.key;
  const option = known(first) ? first : undefined;
  const key = issue.path?.[1]?.key;
  // An element of `args` or a value of `env`: each must be a string.
  const where = key === undefined ? (option ?? 'options') : `${option}[${typeof key === 'number' ? key : JSON.stringify(key)}]`;
  const expected = key !== undefined ? 'a string' : option !== undefined ? EXPECTED[option] : 'an object';
  throw new ClaudeRunError(`runClaude: ${where} must be ${expected}, not ${shown(issue.input)}`);
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

/** The claude to run; none found is the caller's to handle, as a ClaudeRunError. */
function claudeToRun(env: Record<string, string | undefined>, cwd: string | undefined): string {
  try {
    return resolveClaude({ env, selfPaths: [], ...(cwd ? { cwd } : {}) });
  } catch (error) {
    if (error instanceof ClaudeNotFoundError) throw new ClaudeRunError(`runClaude: ${error.message.replace(/^claude-otel: /, '')}`);
    throw error;
  }
}

export async function runClaude(given: RunClaudeOptions): Promise<RunClaudeResult> {
  const startTime = Date.now();
  const options = checkedOptions(given);
  // Aborted already (the caller gave up on the request): no claude is started, as with fetch().
  options.signal?.throwIfAborted();
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  const args = options.args.includes('-p') || options.args.includes('--print') ? [...options.args] : ['-p', ...options.args];
  const classified = classifyRun(args);
  if (classified.kind !== 'print') throw new ClaudeRunError('runClaude: it runs print-mode sessions; these arguments are not one');
  const claudeBin = claudeToRun(env, options.cwd);
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
    stdin: {
      kind: 'data',
      data:
        typeof options.stdin === 'string' || options.stdin === undefined
          ? (options.stdin ?? '')
          : Buffer.from(options.stdin.buffer, options.stdin.byteOffset, options.stdin.byteLength),
    },
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
  if (result.notStarted) throw new ClaudeRunError(`runClaude: ${result.notStarted}`);
  const answer = typeof result.result?.result === 'string' ? result.result.result : Buffer.concat(written).toString('utf8').replace(/\n$/, '');
  return { exitCode: result.exitCode, signal: result.signal, sessionId: result.sessionId, traceId: result.traceId, result: result.result, text: answer };
}
