import { spawn } from 'node:child_process';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeManyToolsClaude } from '../../test/support/many-tools-claude.ts';
import type { BenchEnvironment } from './bench-environment.ts';
import type { RunFailure } from './balanced-rounds.ts';
import { wrapperEnv } from './three-tool-sessions.ts';
import { runTimed } from './timed-process.ts';
import { readUsage } from './usage-probe.ts';

// Volume: what the wrapper holds when a session or its output is very large.
// - a session of 100,000 tool calls (a script in claude's place writes them as fast as the pipe
//   takes them): wall time and the wrapper's peak RSS, which the span cap keeps bounded;
// - 256 MB of stream-json output read slowly by whatever reads the wrapper's stdout: peak RSS,
//   which backpressure keeps from growing with the output.

export interface VolumeSample {
  kind: 'many-calls' | 'slow-reader';
  wallMs: number;
  wrapperMaxRssKb: number;
}

const MANY_CALLS = 100_000;
const SLOW_LINES = 4000;

async function manyCalls(env: BenchEnvironment): Promise<VolumeSample | RunFailure> {
  const claude = await writeManyToolsClaude(env.scratch, MANY_CALLS, 'claude-many-calls');
  const usageFile = env.scratchFile('usage');
  const run = await runTimed(process.execPath, [...env.probe.nodeArgs, env.wrapperBin, '-p', 'go'], {
    cwd: env.sandbox.cwd,
    env: env.env({ ...env.probe.env(usageFile), ...wrapperEnv(env, env.live.endpoint, claude, 'state-volume') }),
    timeoutMs: 600_000,
  });
  env.live.clear();
  const usage = await readUsage(usageFile);
  if (run.exitCode !== 0 || !usage) return { scenario: 'volume, 100,000 calls', round: 0, problem: `exit code ${run.exitCode}; ${run.stderr.slice(-300)}` };
  return { kind: 'many-calls', wallMs: run.wallMs, wrapperMaxRssKb: usage.maxRssKb };
}

/** The wrapper's stdout read a 64 KB chunk per millisecond at most: a reader far slower than claude writes. */
async function slowReader(env: BenchEnvironment): Promise<VolumeSample | RunFailure> {
  const big = `{"type":"system","subtype":"volume_bench","data":"${'x'.repeat(64 * 1024)}"}`;
  const claude = join(env.scratch, 'claude-copious');
  await writeFile(claude, `#!/bin/sh\nyes '${big}' | head -n ${SLOW_LINES}\n`);
  await chmod(claude, 0o755);
  const usageFile = env.scratchFile('usage');
  const started = performance.now();
  const child = spawn(process.execPath, [...env.probe.nodeArgs, env.wrapperBin, '-p', 'go', '--output-format', 'stream-json', '--verbose'], {
    cwd: env.sandbox.cwd,
    env: env.env({ ...env.probe.env(usageFile), ...wrapperEnv(env, env.live.endpoint, claude, 'state-volume') }) as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let closed = false;
  const tick = () => {
    if (closed) return;
    child.stdout.read(64 * 1024) ?? child.stdout.read();
    setTimeout(tick, 1);
  };
  setTimeout(tick, 1);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  closed = true;
  env.live.clear();
  const usage = await readUsage(usageFile);
  if (code !== 0 || !usage) return { scenario: 'volume, slow reader', round: 0, problem: `exit code ${code}` };
  return { kind: 'slow-reader', wallMs: performance.now() - started, wrapperMaxRssKb: usage.maxRssKb };
}

export async function runVolumeSessions(env: BenchEnvironment, log: (line: string) => void): Promise<{ samples: VolumeSample[]; failures: RunFailure[] }> {
  const samples: VolumeSample[] = [];
  const failures: RunFailure[] = [];
  for (const run of [manyCalls, slowReader]) {
    const outcome = await run(env);
    if ('problem' in outcome) failures.push(outcome);
    else samples.push(outcome);
    log(
      `  ${'problem' in outcome ? `failed (${outcome.problem})` : `${outcome.kind}: ${Math.round(outcome.wallMs)} ms, peak RSS ${Math.round(outcome.wrapperMaxRssKb / 1024)} MB`}`,
    );
  }
  return { samples, failures };
}
