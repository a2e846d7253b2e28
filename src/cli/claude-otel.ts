import { traceLinkSettings } from '../config/trace-link-config.ts';
import { splitWrapperArgs } from '../launch/wrapper-options.ts';
import { classifyRun } from '../launch/session-kind.ts';
import { resolveClaude, ClaudeNotFoundError } from '../launch/resolve-claude.ts';
import { resolveWrapperConfig } from '../config/wrapper-config.ts';
import type { WrapperConfig } from '../config/wrapper-config.ts';
import { createDebugLog } from '../debug-log.ts';
import type { DebugLog } from '../debug-log.ts';
import { redactorFor } from '../privacy/redact.ts';
import { describeConfig } from '../config/describe-config.ts';
import { runPassthrough } from '../modes/passthrough-run.ts';
import { runPrintSession } from '../modes/print-run.ts';
import type { GitContextSink } from '../modes/git-context-sink.ts';
import { TelemetryGuard, survivePathErrors } from '../modes/telemetry-guard.ts';
import { planSessionIds, claudeEnvironment } from '../trace-context/traceparent.ts';
import type { SessionIds } from '../trace-context/traceparent.ts';
import { announceTrace } from '../modes/trace-link.ts';
import { stateDirProblem } from '../private-files.ts';
import type { WrapperExit } from '../launch/end-like-claude.ts';

export { endLikeClaude } from '../launch/end-like-claude.ts';
export type { WrapperExit } from '../launch/end-like-claude.ts';
/** For the bin script's last-resort message. */
export { withoutUserinfo } from '../privacy/url-userinfo.ts';

// `claude-otel [--otel-...] <claude arguments>`: runs claude exactly as asked and records
// the session. The wrapper ends as claude ended (its exit code, or the signal that ended it).

export const EXIT_CLAUDE_NOT_FOUND = 127;

type Env = Record<string, string | undefined>;

interface Recording {
  config: WrapperConfig;
  redact: (text: string) => string;
  debugLog: DebugLog;
  ids: SessionIds;
}

/** Settings, redaction and the debug log; undefined when telemetry is off (OTEL_SDK_DISABLED=true). */
function prepareRecording(env: Env, debugFlag: boolean, unknownOptions: string[], print: boolean): Recording | undefined {
  const config = resolveWrapperConfig(env, { debugFlag });
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
  for (const unknown of unknownOptions) debugLog.log('warn', `unknown wrapper option ${unknown} (ignored)`);
  debugLog.log('debug', 'configuration', describeConfig(config));
  const ids = planSessionIds(env);
  if (ids.malformed) debugLog.log('warn', `TRACEPARENT=${ids.malformed} is not a W3C traceparent; starting a new trace`);
  return { config, redact, debugLog, ids };
}

export async function main(argv: string[], env: Env, selfPaths: string[]): Promise<WrapperExit> {
  const startTime = Date.now();
  const { claudeArgs, options } = splitWrapperArgs(argv);

  let claudeBin: string;
  try {
    claudeBin = resolveClaude({ env, selfPaths });
  } catch (error) {
    if (error instanceof ClaudeNotFoundError) {
      process.stderr.write(`${error.message}\n`);
      return { exitCode: EXIT_CLAUDE_NOT_FOUND };
    }
    throw error;
  }

  const run = classifyRun(claudeArgs);
  const passthrough = () => runPassthrough(claudeBin, claudeArgs, env, run.kind === 'interactive' || run.kind === 'passthrough');
  if (run.kind === 'passthrough') return passthrough();
  let recording: Recording | undefined;
  try {
    recording = prepareRecording(env, options.debug, options.unknown, run.kind === 'print');
  } catch {
    // Telemetry that cannot even be set up is no reason to change what claude does.
    recording = undefined;
  }
  if (!recording) return passthrough();
  const { config, redact, debugLog, ids } = recording;
  const guard = new TelemetryGuard(debugLog);
  survivePathErrors(guard);

  // `first`: the session whose ids claude's TRACEPARENT names; later ones (interactive /clear) get new ids.
  const loadSink = async (sessionStart = startTime, first = true): Promise<GitContextSink> => {
    const [{ TelemetryRuntime }, { inboundContext }, { withGitContext }, { detectCi }] = await Promise.all([
      import('../modes/telemetry-runtime.ts'),
      import('../trace-context/inbound-context.ts'),
      import('../modes/git-context-sink.ts'),
      import('../workspace/detect-ci.ts'),
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
    });
    return withGitContext(runtime, { cwd: process.cwd(), env, ciResource: detectCi(env), redact, debugLog });
  };
  const printTraceId = options.printTraceId || config.printTraceId;
  const result =
    run.kind === 'interactive'
      ? await (await import('../modes/interactive-run.ts')).runInteractiveSession({
          claudeBin,
          claudeArgs,
          config,
          env: claudeEnvironment(env, ids),
          debugLog,
          startTime,
          loadSink,
        })
      : await runPrintSession({
          claudeBin,
          claudeArgs,
          run,
          env: claudeEnvironment(env, ids),
          stdin: process.stdin.isTTY ? { kind: 'terminal' } : { kind: 'tee', from: process.stdin },
          write: writeStdout,
          forwardProcessSignals: true,
          flushTimeoutMs: run.kind === 'sdk' ? config.sdkFlushTimeoutMs : config.flushTimeoutMs,
          debugLog,
          startTime,
          loadSink,
          captureContent: config.genAi.logContent,
        });
  const { traceId } = result;
  if (traceId)
    await guard.settle('announcing the trace', () => announceTrace(traceId, { print: printTraceId, settings: traceLinkSettings(env), debugLog }), undefined);
  await debugLog.close();
  return { exitCode: result.exitCode, ...(result.signal ? { signal: result.signal } : {}) };
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
