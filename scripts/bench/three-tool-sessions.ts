import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startAnthropicStub } from '../../test/support/anthropic-stub.ts';
import type { StubStep } from '../../test/support/anthropic-stub.ts';
import { ALLOW_TOOLS } from '../../test/support/scenario.ts';
import type { BenchEnvironment } from './bench-environment.ts';
import { runTimed } from './timed-process.ts';
import { readStamps } from './shell-scripts.ts';
import { type RoundOptions, type Rounds, type RunFailure, runBalancedRounds } from './balanced-rounds.ts';

// The everyday case: a print-mode session with three tool calls (Bash, Write, Read), run by
// bare claude and by the wrapper in turn, the wrapper with a live, a refusing and a
// black-holed collector. Every arm runs claude behind the same stamping shim, so each run
// also tells how long claude waited for the wrapper and how long the wrapper outlived claude.

export type SessionArm = 'bare' | 'live' | 'refused' | 'black-hole';
export const SESSION_ARMS: readonly SessionArm[] = ['bare', 'live', 'refused', 'black-hole'];

export interface SessionSample {
  arm: SessionArm;
  round: number;
  wallMs: number;
  /** Launch to the shim's first line: the wrapper's start-up, plus the shim's own. */
  spawnDelayMs: number;
  /** The shim's last line to the process's exit: the wrapper's flush, plus the shim's exit. */
  afterExitMs: number;
}

export type SessionRounds = Rounds<SessionSample>;

export const SESSION_PROMPT = 'list the files please';
const ANSWER = 'All done.';
const TIMEOUT_MS = 60_000;

export function threeToolScript(cwd: string): StubStep[] {
  const notes = join(cwd, 'notes.txt');
  return [
    {
      kind: 'tools',
      text: 'Let me look.',
      tools: [
        { name: 'Bash', input: { command: 'echo hello; echo warn >&2', description: 'say hello' } },
        { name: 'Write', input: { file_path: notes, content: 'line1\nline2\n' } },
      ],
    },
    { kind: 'tools', tools: [{ name: 'Read', input: { file_path: notes } }] },
    { kind: 'text', text: ANSWER },
  ];
}

function collectorEndpoint(env: BenchEnvironment, arm: Exclude<SessionArm, 'bare'>): string {
  switch (arm) {
    case 'live':
      return env.live.endpoint;
    case 'refused':
      return env.refusedEndpoint;
    case 'black-hole':
      return env.blackHole.endpoint;
  }
}

/** The wrapper as a user would set it up; the flush budget is left at its default. */
export function wrapperEnv(env: BenchEnvironment, endpoint: string, claudeBin: string, stateName: string): Record<string, string> {
  return {
    CLAUDE_OTEL_CLAUDE_BIN: claudeBin,
    CLAUDE_OTEL_STATE_DIR: join(env.scratch, stateName),
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
    OTEL_METRICS_EXPORTER: 'otlp',
  };
}

/** Export failures the wrapper logged in its state dir so far: a dead collector must have been tried. */
async function loggedExportFailures(env: BenchEnvironment, arm: SessionArm): Promise<number> {
  try {
    const log = await readFile(join(env.scratch, `state-${arm}`, 'claude-otel.log'), 'utf8');
    return log.split('export of traces failed').length - 1;
  } catch {
    return 0;
  }
}

async function runOne(env: BenchEnvironment, arm: SessionArm, round: number): Promise<SessionSample | RunFailure> {
  const scenario = `3-tool session, ${arm}`;
  const stub = await startAnthropicStub(threeToolScript(env.sandbox.cwd));
  const marks = env.scratchFile('marks');
  const base = { ANTHROPIC_BASE_URL: stub.url, BENCH_MARKS: marks };
  const args = ['-p', SESSION_PROMPT, ...ALLOW_TOOLS];
  const failuresBefore = await loggedExportFailures(env, arm);
  try {
    const run =
      arm === 'bare'
        ? await runTimed(env.stampedClaude, args, { cwd: env.sandbox.cwd, env: env.env(base), timeoutMs: TIMEOUT_MS })
        : await runTimed(env.wrapperBin, args, {
            cwd: env.sandbox.cwd,
            env: env.env({ ...base, ...wrapperEnv(env, collectorEndpoint(env, arm), env.stampedClaude, `state-${arm}`) }),
            timeoutMs: TIMEOUT_MS,
          });
    const problems: string[] = [];
    if (run.timedOut) problems.push('timed out');
    if (run.exitCode !== 0) problems.push(`exit code ${run.exitCode}`);
    if (run.stdout !== `${ANSWER}\n`) problems.push(`stdout ${JSON.stringify(run.stdout.slice(0, 200))}`);
    if (run.stderr !== '') problems.push(`stderr ${JSON.stringify(run.stderr.slice(0, 200))}`);
    if (arm === 'live') {
      await env.live
        .waitFor((r) => r.spans.some((s) => s.name === 'claude.session') && r.logs.length > 0 && r.metrics.length > 0, 5_000)
        .catch(() => problems.push('the live collector did not get traces, logs and metrics'));
    }
    if ((arm === 'refused' || arm === 'black-hole') && (await loggedExportFailures(env, arm)) === failuresBefore) {
      problems.push('no failed export in the debug log: the wrapper did not try the collector');
    }
    const stamps = await readStamps(marks);
    if (stamps.spawnMs === undefined || stamps.exitMs === undefined) problems.push('claude left no stamps');
    if (problems.length > 0 || stamps.spawnMs === undefined || stamps.exitMs === undefined) return { scenario, round, problem: problems.join('; ') };
    return { arm, round, wallMs: run.wallMs, spawnDelayMs: stamps.spawnMs - run.launchedAtMs, afterExitMs: run.exitedAtMs - stamps.exitMs };
  } finally {
    await stub.close();
    // The next session writes the file anew, as this one did.
    await rm(join(env.sandbox.cwd, 'notes.txt'), { force: true });
    env.live.clear();
  }
}

/** `rounds` rounds of every arm in a balanced order (balanced-rounds.ts). */
export function runThreeToolSessions(env: BenchEnvironment, options: RoundOptions): Promise<SessionRounds> {
  return runBalancedRounds(SESSION_ARMS, (arm, round) => runOne(env, arm, round), options);
}
