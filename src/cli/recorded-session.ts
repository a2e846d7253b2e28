import { createDebugLog } from '../debug-log.ts';
import { readStreamSession } from '../modes/stream-run.ts';
import type { PrintLaunch } from '../modes/print-launch.ts';
import { TelemetryGuard, survivePathErrors } from '../modes/telemetry-guard.ts';
import { startRecording } from '../recording/session-recording.ts';
import type { SessionIds } from '../trace-context/traceparent.ts';
import type { PrintRun, SdkRun } from '../launch/session-kind.ts';
import type { WrapperExit } from '../launch/end-like-claude.ts';
import type { NativeLaunch } from '../modes/native-launch.ts';

// The command's sessions, recorded by the same recording as runClaude()'s
// (recording/session-recording.ts). In print and SDK mode it loads after claude has been
// started (claude-otel.ts), so that none of it delays claude; an interactive session needs its
// settings first (the hooks go into claude's arguments).

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
  native?: NativeLaunch;
}

/**
 * An interactive session, claude not started yet; undefined when it is not to be recorded
 * (the caller then runs claude as it is).
 */
export async function recordInteractive(request: SessionRequest): Promise<WrapperExit | undefined> {
  const recording = startRecording({
    mode: 'interactive',
    env: request.env,
    ids: request.ids,
    startTime: request.startTime,
    debugFlag: request.debugFlag,
    printTraceId: request.printTraceId,
    ...(request.native ? { native: request.native } : {}),
  });
  if (!recording) return undefined;
  survivePathErrors(new TelemetryGuard(recording.debugLog));
  const { runInteractiveSession } = await import('../modes/interactive-run.ts');
  const result = await runInteractiveSession({
    claudeBin: request.claudeBin,
    claudeArgs: request.claudeArgs,
    config: recording.config,
    env: recording.claudeEnv,
    debugLog: recording.debugLog,
    startTime: request.startTime,
    loadSink: recording.loadSink,
  });
  return recording.end(result);
}

/** A print-mode or SDK-mode session of a claude `launch` has started. */
export async function recordPrint(request: SessionRequest, run: PrintRun | SdkRun, launch: PrintLaunch): Promise<WrapperExit> {
  const recording = startRecording({
    mode: run.kind,
    env: request.env,
    ids: request.ids,
    startTime: request.startTime,
    debugFlag: request.debugFlag,
    printTraceId: request.printTraceId,
    gitFallbackCwd: process.cwd(),
    ...(request.native ? { native: request.native } : {}),
  });
  // Without telemetry claude's output is still read, to write what bare claude would have written.
  const debugLog = recording?.debugLog ?? createDebugLog({ enabled: false, stateDir: undefined, redact: (text) => text });
  survivePathErrors(new TelemetryGuard(debugLog));
  const result = await readStreamSession(
    {
      claudeBin: request.claudeBin,
      claudeArgs: request.claudeArgs,
      run,
      env: recording?.claudeEnv ?? request.env,
      stdin: launch.stdinPiped ? { kind: 'tee', from: process.stdin } : { kind: 'terminal' },
      write: writeStdout,
      forwardProcessSignals: true,
      flushTimeoutMs: recording?.flushTimeoutMs ?? 0,
      debugLog,
      startTime: request.startTime,
      loadSink: recording ? () => recording.loadSink() : () => Promise.reject(new Error('telemetry is off')),
      captureContent: recording?.config.genAi.logContent === true,
      claudeConfigDir: recording?.config.claudeConfigDir ?? '',
    },
    launch,
  );
  if (recording) return recording.end(result);
  await debugLog.close();
  return { exitCode: result.exitCode, ...(result.signal ? { signal: result.signal } : {}) };
}

/** Set once the reader of our stdout has gone (`| head`): nothing more goes out, and claude is told (claude-output.ts). */
let stdoutClosed = false;
process.stdout.on('error', () => {
  stdoutClosed = true;
});

function writeStdout(chunk: string | Uint8Array): Promise<void> {
  if (stdoutClosed) return Promise.reject(new Error('stdout is closed'));
  return new Promise((resolve, reject) => {
    process.stdout.write(chunk, (error) => (error ? reject(error) : resolve()));
  });
}
