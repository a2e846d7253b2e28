import { isatty } from 'node:tty';
import { splitWrapperArgs, unknownOptionMessage } from '../launch/wrapper-options.ts';
import { wrapperLoop } from '../launch/wrapper-loop.ts';
import { classifyRun } from '../launch/session-kind.ts';
import { resolveClaude, ClaudeNotFoundError } from '../launch/resolve-claude.ts';
import { sdkDisabledSetting } from '../config/sdk-disabled.ts';
import { runPassthrough } from '../modes/passthrough-run.ts';
import { PrintLaunch } from '../modes/print-launch.ts';
import { planSessionIds, claudeEnvironment } from '../trace-context/traceparent.ts';
import type { WrapperExit } from '../launch/end-like-claude.ts';
import type { SessionRequest } from './recorded-session.ts';
import { launchNative } from '../modes/native-launch.ts';

export { endLikeClaude } from '../launch/end-like-claude.ts';
export type { WrapperExit } from '../launch/end-like-claude.ts';
/** For the bin script's last-resort message. */
export { withoutUserinfo } from '../privacy/url-userinfo.ts';

// `claude-otel [--otel-...] <claude arguments>`: runs claude exactly as asked and records
// the session. The wrapper ends as claude ended (its exit code, or the signal that ended it).
// Everything claude waits for is here, and no more: what is needed to start it. The settings,
// the redaction, the stream reading and the telemetry load while claude starts
// (recorded-session.ts); only an interactive session needs its settings before.

export const EXIT_CLAUDE_NOT_FOUND = 127;
/** A wrong --otel- option: claude is not started. */
export const EXIT_USAGE = 2;

type Env = Record<string, string | undefined>;

export async function main(argv: string[], env: Env, selfPaths: string[]): Promise<WrapperExit> {
  const startTime = Date.now();
  // Started by a wrapper as its claude: this wrapper would start itself again and again.
  const loop = wrapperLoop(env);
  if (loop) {
    process.stderr.write(`claude-otel: ${loop}\n`);
    return { exitCode: EXIT_CLAUDE_NOT_FOUND };
  }
  const { claudeArgs, options } = splitWrapperArgs(argv);
  const [unknown] = options.unknown;
  if (unknown !== undefined) {
    process.stderr.write(`${unknownOptionMessage(unknown)}\n`);
    return { exitCode: EXIT_USAGE };
  }
  if (options.help || options.version) {
    const about = await import('./wrapper-about.ts');
    if (options.help) {
      process.stdout.write(about.helpText());
      return { exitCode: 0 };
    }
    const answer = await about.versionLines(env, selfPaths);
    process.stdout.write(answer.text);
    if (answer.warning) process.stderr.write(`${answer.warning}\n`);
    return { exitCode: 0 };
  }

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
  // Its warnings, if any, are logged with the other settings' once those are read.
  if (run.kind === 'passthrough' || sdkDisabledSetting(env, [])) return passthrough();
  const request: SessionRequest = {
    claudeBin,
    claudeArgs,
    env,
    ids: planSessionIds(env),
    startTime,
    debugFlag: options.debug,
    printTraceId: options.printTraceId,
  };
  if (run.kind === 'interactive') {
    const native = await launchNative(env, claudeEnvironment(env, request.ids));
    if (native) request.native = native;
    const { recordInteractive } = await import('./recorded-session.ts');
    const recorded = await recordInteractive(request);
    if (recorded) return recorded;
    native?.collector.close();
    return passthrough();
  }
  // Claude Code's own telemetry, when it goes through the wrapper: its receiver must be up before claude starts.
  const native = await launchNative(env, claudeEnvironment(env, request.ids));
  if (native) request.native = native;
  const launch = new PrintLaunch({
    claudeBin,
    claudeArgs,
    run,
    env: native?.env ?? claudeEnvironment(env, request.ids),
    // Not process.stdin.isTTY: creating that stream would cost claude's start about 3 ms.
    pipeStdin: !isatty(0),
    forwardProcessSignals: true,
  });
  let recorded: typeof import('./recorded-session.ts');
  try {
    recorded = await import('./recorded-session.ts');
  } catch (error) {
    // A damaged installation: claude runs on, its output unread but not lost.
    process.stderr.write(`claude-otel: cannot record this session: ${error instanceof Error ? error.message : String(error)}\n`);
    launch.claude.stdout?.pipe(process.stdout);
    // Its reader gone, claude is told as it would be bare (and the error is no crash).
    process.stdout.on('error', () => launch.closeStdout());
    const exit = await launch.claude.exited;
    return { exitCode: exit.exitCode, ...(exit.signal ? { signal: exit.signal } : {}) };
  }
  return recorded.recordPrint(request, run, launch);
}
