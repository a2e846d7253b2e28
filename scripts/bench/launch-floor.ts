import type { BenchEnvironment } from './bench-environment.ts';
import type { RunFailure } from './balanced-rounds.ts';
import { SESSION_PROMPT, wrapperEnv } from './three-tool-sessions.ts';
import { runTimed } from './timed-process.ts';
import { readStamps } from './shell-scripts.ts';
import { runOrder } from './run-order.ts';
import { countForeignCpu, disturbed } from './foreign-cpu.ts';

// Start-up without a session: the stamping shim around a claude that does nothing, started
// directly, by the smallest node program that can start it, and by the wrapper. The node
// program is the floor any Node.js wrapper stands on, so the wrapper's own part can be read
// off apart from Node's.

export type LaunchArm = 'direct' | 'node' | 'wrapper';
const LAUNCH_ARMS: readonly LaunchArm[] = ['direct', 'node', 'wrapper'];

export interface LaunchSample {
  arm: LaunchArm;
  round: number;
  spawnDelayMs: number;
  afterExitMs: number;
  wallMs: number;
}

const NODE_LAUNCHER = "const c = require('node:child_process').spawn(process.argv[1], { stdio: 'inherit' }); c.on('exit', (code) => process.exit(code ?? 1));";

async function runOne(env: BenchEnvironment, arm: LaunchArm, round: number): Promise<LaunchSample | RunFailure> {
  const marks = env.scratchFile('marks');
  const options = (extra: Record<string, string>) => ({ cwd: env.sandbox.cwd, env: env.env({ BENCH_MARKS: marks, ...extra }), timeoutMs: 30_000 });
  const run =
    arm === 'direct'
      ? await runTimed(env.stampedNothing, [], options({}))
      : arm === 'node'
        ? await runTimed(process.execPath, ['-e', NODE_LAUNCHER, env.stampedNothing], options({}))
        : await runTimed(env.wrapperBin, ['-p', SESSION_PROMPT], options(wrapperEnv(env, env.live.endpoint, env.stampedNothing, 'state-launch')));
  env.live.clear();
  const stamps = await readStamps(marks);
  if (run.exitCode !== 0 || stamps.spawnMs === undefined || stamps.exitMs === undefined) {
    return {
      scenario: `start-up, ${arm}`,
      round,
      problem: `exit code ${run.exitCode}${stamps.spawnMs === undefined ? ', no stamps' : ''} ${run.stderr.slice(0, 200)}`,
    };
  }
  return { arm, round, spawnDelayMs: stamps.spawnMs - run.launchedAtMs, afterExitMs: run.exitedAtMs - stamps.exitMs, wallMs: run.wallMs };
}

export interface LaunchRounds {
  samples: LaunchSample[];
  failures: RunFailure[];
  /** Rounds run again because other work on the machine took a real share of the CPU. */
  rerun: number;
}

export async function runLaunchFloor(env: BenchEnvironment, options: { rounds: number }): Promise<LaunchRounds> {
  const result: LaunchRounds = { samples: [], failures: [], rerun: 0 };
  let attempt = 0;
  // One round to warm the file cache, not kept; a disturbed round again, up to `rounds` times.
  for (let round = -1; round < options.rounds; attempt++) {
    const samples: LaunchSample[] = [];
    const failures: RunFailure[] = [];
    const foreign = countForeignCpu();
    const started = performance.now();
    for (const arm of runOrder(LAUNCH_ARMS, attempt)) {
      const outcome = await runOne(env, arm, round);
      if ('problem' in outcome) failures.push(outcome);
      else samples.push(outcome);
    }
    if (round >= 0 && disturbed(foreign(), performance.now() - started) && result.rerun < options.rounds) {
      result.rerun += 1;
      continue;
    }
    if (round >= 0) {
      result.samples.push(...samples);
      result.failures.push(...failures);
    }
    round += 1;
  }
  return result;
}
