import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAnthropicStub } from '../../test/support/anthropic-stub.ts';
import type { StubStep } from '../../test/support/anthropic-stub.ts';
import { ALLOW_TOOLS } from '../../test/support/scenario.ts';
import type { BenchEnvironment } from './bench-environment.ts';
import type { RunFailure } from './balanced-rounds.ts';
import { wrapperEnv } from './three-tool-sessions.ts';
import { runTimed } from './timed-process.ts';
import { readUsage } from './usage-probe.ts';
import { buildSyntheticStream } from './synthetic-stream.ts';
import { writeReplayingClaude } from './shell-scripts.ts';

// Sessions with many tool calls and large outputs: the wrapper's own CPU time and peak RSS,
// read inside it as it exits. Two ways:
// - the real CLI through the scripted API: claude's CPU is known, so the wrapper's can be put
//   next to it. The CLI sends the whole conversation with every request, so with one tool
//   call per request 1000 calls of 30 KB would mean about 15 GB of request bodies (a quarter
//   of an hour); 20 calls per request keep the calls and their output with 50 requests (~15 s).
// - a fake claude that prints a synthetic stream (recorded line shapes, 1000 calls of
//   30 KB) as fast as the pipe takes it: the wrapper at full stretch, no claude to compare with.

const RECORDED = fileURLToPath(new URL('../../test/fixtures/streams/three-tools.jsonl', import.meta.url));
const ANSWER = 'All done.';

export type LongKind = 'real' | 'replay' | 'replay-short';

export interface LongSample {
  kind: LongKind;
  round: number;
  toolCalls: number;
  wallMs: number;
  wrapperCpuMs: number;
  wrapperMaxRssKb: number;
  /** claude's CPU and its tools', as the wrapper saw it (real CLI only). */
  claudeCpuMs?: number;
}

export interface LongStreamInfo {
  kind: LongKind;
  toolCalls: number;
  lines: number;
  bytes: number;
}

/** Files the real session's tools print: about `bytes` each, under claude's 30,000-character cut for Bash. */
async function writeToolFiles(cwd: string, count: number, bytes: number): Promise<void> {
  for (let k = 0; k < count; k++) {
    const lines: string[] = [];
    for (let n = 1; lines.length * 100 < bytes; n++)
      lines.push(`[${k}:${String(n).padStart(5, '0')}] compiling module src/feature-${n % 97}/index.ts ok`.padEnd(99, '.'));
    await writeFile(join(cwd, `build-${k}.log`), `${lines.join('\n')}\n`);
  }
}

/** `calls` tool calls, `perTurn` to a model call, Bash and Read in turn, each on its own file. */
function longScript(cwd: string, calls: number, perTurn: number): StubStep[] {
  const steps: StubStep[] = [];
  for (let first = 0; first < calls; first += perTurn) {
    const tools = [];
    for (let k = first; k < Math.min(calls, first + perTurn); k++) {
      tools.push(
        k % 2 === 0
          ? { name: 'Bash', input: { command: `cat build-${k}.log`, description: 'show the build log' } }
          : { name: 'Read', input: { file_path: join(cwd, `build-${k}.log`) } },
      );
    }
    steps.push({ kind: 'tools', tools });
  }
  steps.push({ kind: 'text', text: ANSWER });
  return steps;
}

interface ProbedRun {
  env: BenchEnvironment;
  kind: LongKind;
  round: number;
  toolCalls: number;
  claudeBin: string;
  extraEnv: Record<string, string>;
  timeoutMs: number;
}

async function runProbed(p: ProbedRun): Promise<LongSample | RunFailure> {
  const { env } = p;
  const usageFile = env.scratchFile('usage');
  const scenario = `long session, ${p.kind}`;
  try {
    const run = await runTimed(process.execPath, [...env.probe.nodeArgs, env.wrapperBin, '-p', 'go', ...ALLOW_TOOLS], {
      cwd: env.sandbox.cwd,
      env: env.env({ ...p.extraEnv, ...env.probe.env(usageFile), ...wrapperEnv(env, env.live.endpoint, p.claudeBin, `state-${p.kind}`) }),
      timeoutMs: p.timeoutMs,
    });
    const problems: string[] = [];
    if (run.timedOut) problems.push(`timed out after ${p.timeoutMs} ms`);
    if (run.exitCode !== 0) problems.push(`exit code ${run.exitCode}`);
    if (run.stdout !== `${ANSWER}\n`) problems.push(`stdout ${JSON.stringify(run.stdout.slice(0, 200))}`);
    const toolSpans = () => env.live.spans.filter((s) => s.name.startsWith('execute_tool ')).length;
    await env.live
      .waitFor(() => toolSpans() >= p.toolCalls, 10_000)
      .catch(() => problems.push(`the collector got ${toolSpans()} of ${p.toolCalls} tool spans`));
    const usage = await readUsage(usageFile);
    if (!usage) problems.push('the wrapper left no usage record');
    if (problems.length > 0 || !usage) return { scenario, round: p.round, problem: problems.join('; ') };
    return {
      kind: p.kind,
      round: p.round,
      toolCalls: p.toolCalls,
      wallMs: run.wallMs,
      wrapperCpuMs: usage.cpuMs,
      wrapperMaxRssKb: usage.maxRssKb,
      ...(p.kind === 'real' && usage.childCpuMs !== undefined ? { claudeCpuMs: usage.childCpuMs } : {}),
    };
  } finally {
    env.live.clear();
  }
}

export interface LongOptions {
  realCalls: number;
  realPerTurn: number;
  realRounds: number;
  replayCalls: number;
  replayRounds: number;
  outputBytes: number;
  log: (line: string) => void;
}

export async function runLongSessions(
  env: BenchEnvironment,
  o: LongOptions,
): Promise<{ samples: LongSample[]; failures: RunFailure[]; streams: LongStreamInfo[] }> {
  const samples: LongSample[] = [];
  const failures: RunFailure[] = [];
  const keep = (outcome: LongSample | RunFailure) => ('problem' in outcome ? failures.push(outcome) : samples.push(outcome));
  const recorded = await readFile(RECORDED, 'utf8');
  const synthetic = buildSyntheticStream(recorded, { toolCalls: o.replayCalls, outputBytes: o.outputBytes });
  const streamFile = env.scratchFile('stream');
  await writeFile(streamFile, synthetic.text);
  const shortFile = env.scratchFile('stream');
  await writeFile(shortFile, recorded);
  const replaying = await writeReplayingClaude(env.scratch, streamFile);
  const replayingShort = await writeReplayingClaude(env.scratch, shortFile, 'claude-replay-short');
  const streams: LongStreamInfo[] = [
    { kind: 'replay', toolCalls: o.replayCalls, lines: synthetic.lines, bytes: synthetic.bytes },
    { kind: 'replay-short', toolCalls: 3, lines: recorded.trimEnd().split('\n').length, bytes: Buffer.byteLength(recorded) },
  ];

  for (let round = 0; round < o.replayRounds; round++) {
    keep(await runProbed({ env, kind: 'replay-short', round, toolCalls: 3, claudeBin: replayingShort, extraEnv: {}, timeoutMs: 30_000 }));
    const outcome = await runProbed({ env, kind: 'replay', round, toolCalls: o.replayCalls, claudeBin: replaying, extraEnv: {}, timeoutMs: 120_000 });
    keep(outcome);
    o.log(
      `  replay ${round + 1}/${o.replayRounds}: ${'problem' in outcome ? `failed (${outcome.problem})` : `${Math.round(outcome.wallMs)} ms, wrapper CPU ${Math.round(outcome.wrapperCpuMs)} ms, peak RSS ${Math.round(outcome.wrapperMaxRssKb / 1024)} MB`}`,
    );
  }

  if (o.realRounds > 0) {
    await writeToolFiles(env.sandbox.cwd, o.realCalls, o.outputBytes);
    for (let round = 0; round < o.realRounds; round++) {
      const stub = await startAnthropicStub(longScript(env.sandbox.cwd, o.realCalls, o.realPerTurn));
      try {
        const outcome = await runProbed({
          env,
          kind: 'real',
          round,
          toolCalls: o.realCalls,
          claudeBin: env.realClaude,
          extraEnv: { ANTHROPIC_BASE_URL: stub.url },
          timeoutMs: 180_000,
        });
        keep(outcome);
        o.log(
          `  real CLI ${round + 1}/${o.realRounds}: ${'problem' in outcome ? `failed (${outcome.problem})` : `${Math.round(outcome.wallMs)} ms, wrapper CPU ${Math.round(outcome.wrapperCpuMs)} ms, claude CPU ${Math.round(outcome.claudeCpuMs ?? Number.NaN)} ms, peak RSS ${Math.round(outcome.wrapperMaxRssKb / 1024)} MB`}`,
        );
      } finally {
        await stub.close();
      }
    }
  }
  return { samples, failures, streams };
}
