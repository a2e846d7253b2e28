import { traceLinkSettings } from '../config/trace-link-config.ts';
import { resolveWrapperConfig } from '../config/wrapper-config.ts';
import type { WrapperConfig } from '../config/wrapper-config.ts';
import { createDebugLog } from '../debug-log.ts';
import type { DebugLog } from '../debug-log.ts';
import { redactorFor } from '../privacy/redact.ts';
import { describeConfig } from '../config/describe-config.ts';
import { readPrintSession } from '../modes/print-run.ts';
import type { PrintRunResult } from '../modes/print-run.ts';
import type { PrintLaunch } from '../modes/print-launch.ts';
import type { GitContextSink } from '../modes/git-context-sink.ts';
import { TelemetryGuard, survivePathErrors } from '../modes/telemetry-guard.ts';
import { claudeEnvironment } from '../trace-context/traceparent.ts';
import type { SessionIds } from '../trace-context/traceparent.ts';
import { announceTrace } from '../modes/trace-link.ts';
import { stateDirProblem } from '../private-files.ts';
import type { PrintRun, SdkRun } from '../launch/session-kind.ts';
import type { WrapperExit } from '../launch/end-like-claude.ts';
import type { NativeCollector } from '../sources/native-otlp/native-collector.ts';

// The command's recording of a session: its settings, the redaction, the debug log, the
// telemetry, and the reading of claude's output. In print and SDK mode all of it loads
// after claude has been started (claude-otel.ts), so that none of it delays claude; an
// interactive session needs its settings first (the hooks go into claude's arguments).

type Env = Record<string, string | undefined>;

export interface SessionRequest {
  claudeBin: string;
  claudeArgs: string[];
  env: Env;
  ids: SessionIds;
  startTime: number;
  debugFlag: boolean;
  printTraceId: boolean;
  /** Claude Code's own telemetry, received for this run (CLAUDE_OTEL_NATIVE); started before claude. */
  native?: NativeCollector;
  /** claude's environment with its own telemetry pointed at `native`'s receiver. */
  nativeEnv?: Env;
}

interface Recording {
  config: WrapperConfig;
  redact: (text: string) => string;
  debugLog: DebugLog;
}

/** Settings, redaction and the debug log; undefined when telemetry is off or cannot be set up. */
function prepareRecording(request: SessionRequest, print: boolean): Recording | undefined {
  try {
    const { env } = request;
    const config = resolveWrapperConfig(env, { debugFlag: request.debugFlag });
    if (config.sdkDisabled) return undefined;
    const invalidPatterns: string[] = [];
    const redact = redactorFor(config.privacy, env, (pattern, setting) => invalidPatterns.push(`${setting}: "${pattern}"`));
    // A state dir someone else could write to is not used at all: no store, no log file there.
    const problem = config.storeEnabled || config.debug ? stateDirProblem(config.stateDir) : undefined;
    if (problem) config.storeEnabled = false;
    // The terminal UI owns the terminal, and an SDK caller reads claude's stderr: those runs keep their diagnostics in the log file.
    const debugLog = createDebugLog({
      enabled: config.debug,
      stateDir: !problem && (config.storeEnabled || config.debug) ? config.stateDir : undefined,
      redact,
      stderr: print,
    });
    if (problem) debugLog.log('warn', `state dir not used, nothing is stored: ${problem}`);
    for (const warning of config.warnings) debugLog.log('warn', warning);
    for (const pattern of invalidPatterns) debugLog.log('warn', `${pattern} is not a regular expression; ignoring it`);
    debugLog.log('debug', 'configuration', describeConfig(config));
    if (request.ids.malformed) debugLog.log('warn', `TRACEPARENT=${request.ids.malformed} is not a W3C traceparent; starting a new trace`);
    return { config, redact, debugLog };
  } catch {
    // Telemetry that cannot even be set up is no reason to change what claude does.
    return undefined;
  }
}

/**
 * Loads one session's telemetry; `first`: the session whose ids claude's TRACEPARENT names (later ones: interactive /clear).
 * `gitFallbackCwd`: where the git context is read when claude names no directory (none in the terminal UI, see git-context-sink.ts).
 */
function sinkLoader(request: SessionRequest, recording: Recording, gitFallbackCwd: string | undefined) {
  const { config, debugLog, redact } = recording;
  const { env, ids } = request;
  return async (sessionStart = request.startTime, first = true): Promise<GitContextSink> => {
    const [{ TelemetryRuntime }, { inboundContext }, { withGitContext }, { detectCi }, { collectGarbageOnce }] = await Promise.all([
      import('../modes/telemetry-runtime.ts'),
      import('../trace-context/inbound-context.ts'),
      import('../modes/git-context-sink.ts'),
      import('../workspace/detect-ci.ts'),
      import('./idle-collection.ts'),
    ]);
    const runtime = new TelemetryRuntime({
      config,
      debugLog,
      redact,
      startTime: sessionStart,
      prompts: config.privacy.prompts,
      responses: config.privacy.responses,
      parentContext: inboundContext(env, ids),
      ...(first ? { ids } : {}),
      env,
      onWarm: collectGarbageOnce,
      ...(first && request.native ? { native: request.native } : {}),
    });
    return withGitContext(runtime, { ...(gitFallbackCwd ? { fallbackCwd: gitFallbackCwd } : {}), env, ciResource: detectCi(env), redact, debugLog });
  };
}

async function ended(
  result: { exitCode: number; signal?: string; traceId?: string },
  recording: Recording,
  printTraceId: boolean,
  env: Env,
): Promise<WrapperExit> {
  const { config, debugLog } = recording;
  const { traceId } = result;
  if (traceId) {
    const guard = new TelemetryGuard(debugLog);
    const print = printTraceId || config.printTraceId;
    await guard.settle('announcing the trace', () => announceTrace(traceId, { print, settings: traceLinkSettings(env), debugLog }), undefined);
  }
  await debugLog.close();
  return { exitCode: result.exitCode, ...(result.signal ? { signal: result.signal } : {}) };
}

/**
 * An interactive session, claude not started yet; undefined when it is not to be recorded
 * (the caller then runs claude as it is).
 */
export async function recordInteractive(request: SessionRequest): Promise<WrapperExit | undefined> {
  const recording = prepareRecording(request, false);
  if (!recording) return undefined;
  survivePathErrors(new TelemetryGuard(recording.debugLog));
  const { runInteractiveSession } = await import('../modes/interactive-run.ts');
  const result = await runInteractiveSession({
    claudeBin: request.claudeBin,
    claudeArgs: request.claudeArgs,
    config: recording.config,
    env: request.nativeEnv ?? claudeEnvironment(request.env, request.ids),
    debugLog: recording.debugLog,
    startTime: request.startTime,
    loadSink: sinkLoader(request, recording, undefined),
  });
  return ended(result, recording, request.printTraceId, request.env);
}

/** A print-mode or SDK-mode session of a claude `launch` has started. */
export async function recordPrint(request: SessionRequest, run: PrintRun | SdkRun, launch: PrintLaunch): Promise<WrapperExit> {
  const recording = prepareRecording(request, run.kind === 'print');
  // Without telemetry claude's output is still read, to write what bare claude would have written.
  const debugLog = recording?.debugLog ?? createDebugLog({ enabled: false, stateDir: undefined, redact: (text) => text });
  survivePathErrors(new TelemetryGuard(debugLog));
  const config = recording?.config;
  const result: PrintRunResult = await readPrintSession(
    {
      claudeBin: request.claudeBin,
      claudeArgs: request.claudeArgs,
      run,
      env: claudeEnvironment(request.env, request.ids),
      stdin: launch.stdinPiped ? { kind: 'tee', from: process.stdin } : { kind: 'terminal' },
      write: writeStdout,
      forwardProcessSignals: true,
      flushTimeoutMs: config ? (run.kind === 'sdk' ? config.sdkFlushTimeoutMs : config.flushTimeoutMs) : 0,
      debugLog,
      startTime: request.startTime,
      loadSink: recording ? sinkLoader(request, recording, process.cwd()) : () => Promise.reject(new Error('telemetry is off')),
      captureContent: config?.genAi.logContent === true,
    },
    launch,
  );
  if (!recording) {
    await debugLog.close();
    return { exitCode: result.exitCode, ...(result.signal ? { signal: result.signal } : {}) };
  }
  return ended(result, recording, request.printTraceId, request.env);
}

/** Set once the reader of our stdout has gone (`| head`): what is left is dropped, quietly. */
let stdoutClosed = false;
process.stdout.on('error', () => {
  stdoutClosed = true;
});

function writeStdout(chunk: string | Uint8Array): Promise<void> {
  if (stdoutClosed) return Promise.resolve();
  return new Promise((resolve) => {
    process.stdout.write(chunk, () => resolve());
  });
}
