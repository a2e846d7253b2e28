import { PrintLaunch } from './print-launch.ts';
import { readStreamSession } from './stream-run.ts';
import type { StreamRunOptions, StreamRunResult } from './stream-run.ts';

// A whole print-mode session for runClaude(): start claude, then read it. The command starts
// claude itself before the reading code is even loaded (cli/claude-otel.ts); kept apart so
// that the reading code does not pull in what starts claude.

export function runPrintSession(options: StreamRunOptions): Promise<StreamRunResult> {
  const launch = new PrintLaunch({
    claudeBin: options.claudeBin,
    claudeArgs: options.claudeArgs,
    run: options.run,
    env: options.env,
    ...(options.cwd ? { cwd: options.cwd } : {}),
    pipeStdin: options.stdin.kind !== 'terminal',
    forwardProcessSignals: options.forwardProcessSignals,
    // The library's caller hears of it from the result, not on its program's stderr.
    reportNotStarted: false,
  });
  return readStreamSession(options, launch);
}
