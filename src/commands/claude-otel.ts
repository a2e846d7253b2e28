import { splitWrapperArgs } from '../launch/wrapper-options.ts';
import { classifyRun } from '../launch/session-kind.ts';
import { resolveClaude, ClaudeNotFoundError } from '../launch/resolve-claude.ts';
import { resolveWrapperConfig } from '../config/wrapper-config.ts';
import { createDebugLog } from '../sinks/debug-log.ts';
import { redactorFor } from '../privacy/redact.ts';
import { describeConfig } from '../config/describe-config.ts';
import { runPassthrough } from '../runs/passthrough-run.ts';
import { runPrintSession } from '../runs/print-run.ts';
import type { GitContextSink } from '../runs/git-context-sink.ts';
import { planSessionIds, claudeEnvironment } from '../trace-context/traceparent.ts';
import { announceTrace } from '../runs/trace-link.ts';

// `claude-otel [--otel-...] <claude arguments>`: runs claude exactly as asked and records
// the session. The exit code is claude's.

export const EXIT_CLAUDE_NOT_FOUND = 127;

export async function main(argv: string[], env: Record<string, string | undefined>, selfPaths: string[]): Promise<number> {
  const startTime = Date.now();
  const { claudeArgs, options } = splitWrapperArgs(argv);
  const config = resolveWrapperConfig(env, { debugFlag: options.debug });

  let claudeBin: string;
  try {
    claudeBin = resolveClaude({ env, selfPaths });
  } catch (error) {
    if (error instanceof ClaudeNotFoundError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT_CLAUDE_NOT_FOUND;
    }
    throw error;
  }

  const run = classifyRun(claudeArgs);
  if (config.sdkDisabled || run.kind === 'passthrough') {
    return runPassthrough(claudeBin, claudeArgs, env, run.kind === 'interactive' || run.kind === 'passthrough');
  }

  const invalidPatterns: string[] = [];
  const redact = redactorFor(config.privacy, env, (pattern, setting) => invalidPatterns.push(`${setting}: "${pattern}"`));
  // The terminal UI owns the terminal, and an SDK caller reads claude's stderr: those runs keep their diagnostics in the log file.
  const debugLog = createDebugLog({ enabled: config.debug, stateDir: config.storeEnabled || config.debug ? config.stateDir : undefined, redact, stderr: run.kind === 'print' });
  for (const warning of config.warnings) debugLog.log('warn', warning);
  for (const pattern of invalidPatterns) debugLog.log('warn', `${pattern} is not a regular expression; ignoring it`);
  for (const unknown of options.unknown) debugLog.log('warn', `unknown wrapper option ${unknown} (ignored)`);
  debugLog.log('debug', 'configuration', describeConfig(config));

  const ids = planSessionIds(env);
  if (ids.malformed) debugLog.log('warn', `TRACEPARENT=${ids.malformed} is not a W3C traceparent; starting a new trace`);
  // `first`: the session whose ids claude's TRACEPARENT names; later ones (interactive /clear) get new ids.
  const loadSink = async (sessionStart = startTime, first = true): Promise<GitContextSink> => {
    const [{ TelemetryRuntime }, { inboundContext }, { withGitContext }, { detectCi }] = await Promise.all([
      import('../runs/telemetry-runtime.ts'),
      import('../trace-context/inbound-context.ts'),
      import('../runs/git-context-sink.ts'),
      import('../ci/detect-ci.ts'),
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
  if (run.kind === 'interactive') {
    const { runInteractiveSession } = await import('../runs/interactive-run.ts');
    const result = await runInteractiveSession({ claudeBin, claudeArgs, config, env: claudeEnvironment(env, ids), debugLog, startTime, loadSink });
    if (result.traceId) await announceTrace(result.traceId, { print: printTraceId, env, debugLog });
    await debugLog.close();
    return result.exitCode;
  }
  const result = await runPrintSession({
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
  if (result.traceId) await announceTrace(result.traceId, { print: printTraceId, env, debugLog });
  await debugLog.close();
  return result.exitCode;
}

/** Set once the reader of our stdout has gone (`| head`): what is left is dropped, quietly. */
let stdoutClosed = false;
process.stdout.on('error', () => {
  stdoutClosed = true;
});

function writeStdout(text: string): Promise<void> {
  if (stdoutClosed) return Promise.resolve();
  return new Promise((resolve) => {
    process.stdout.write(text, () => resolve());
  });
}

