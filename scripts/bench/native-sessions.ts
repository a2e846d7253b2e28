import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startAnthropicStub } from '../../test/support/anthropic-stub.ts';
import { ALLOW_TOOLS } from '../../test/support/scenario.ts';
import type { BenchEnvironment } from './bench-environment.ts';
import { runTimed } from './timed-process.ts';
import { readStamps } from './shell-scripts.ts';
import { readUsage } from './usage-probe.ts';
import { type RoundOptions, type Rounds, type RunFailure, runBalancedRounds } from './balanced-rounds.ts';
import { SESSION_PROMPT, threeToolScript, wrapperEnv } from './three-tool-sessions.ts';
import { summarize } from './stats.ts';
import type { Summary } from './stats.ts';

// Claude Code's own telemetry (CLAUDE_CODE_ENABLE_TELEMETRY with the enhanced beta's spans):
// what it costs claude, and what the wrapper's join costs on top. The 3-tool session, run by
// bare claude and by the wrapper, each with Claude's telemetry off and on; bare claude with it
// on sends to the live collector, the wrapper takes it in itself (CLAUDE_OTEL_NATIVE=auto).
// Every run goes through node with the usage probe, so that claude's CPU (its children's, for
// bare claude through a one-line launcher) is read the same way in every arm.

export type NativeArm = 'bare, off' | 'bare, on' | 'wrapped, off' | 'wrapped, on';
export const NATIVE_ARMS: readonly NativeArm[] = ['bare, off', 'bare, on', 'wrapped, off', 'wrapped, on'];

export interface NativeSample {
  arm: NativeArm;
  round: number;
  wallMs: number;
  /** Launch to claude's start (the shim's first line). */
  spawnDelayMs: number;
  /** claude's start to its exit: its own run, exporter included. */
  claudeRunMs: number;
  /** claude's exit to the process's exit. */
  afterExitMs: number;
  /** CPU of claude (and its tools); for wrapped runs the wrapper's own CPU is apart. */
  claudeCpuMs: number;
  wrapperCpuMs?: number;
}

export interface NativeFigures {
  n: number;
  wallMs: Summary;
  spawnDelayMs: Summary;
  claudeRunMs: Summary;
  afterExitMs: Summary;
  claudeCpuMs: Summary;
  wrapperCpuMs?: Summary;
}

const ANSWER = 'All done.';
const TIMEOUT_MS = 60_000;
/** Bare claude under node, so that the probe reads its CPU as the wrapper's children's. */
const LAUNCHER =
  "const r = require('node:child_process').spawnSync(process.argv[1], process.argv.slice(2), { stdio: 'inherit' }); process.exitCode = r.status ?? 1;";

/** What a user sets to turn Claude Code's telemetry on, everything over OTLP. */
function claudeTelemetry(endpoint: string): Record<string, string> {
  return {
    CLAUDE_CODE_ENABLE_TELEMETRY: '1',
    CLAUDE_CODE_ENHANCED_TELEMETRY_BETA: '1',
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_LOGS_EXPORTER: 'otlp',
    OTEL_METRICS_EXPORTER: 'otlp',
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
  };
}

async function runOne(env: BenchEnvironment, arm: NativeArm, round: number): Promise<NativeSample | RunFailure> {
  const scenario = `Claude Code telemetry, ${arm}`;
  const stub = await startAnthropicStub(threeToolScript(env.sandbox.cwd));
  const marks = env.scratchFile('marks');
  const usageFile = env.scratchFile('usage');
  const wrapped = arm.startsWith('wrapped');
  const on = arm.endsWith('on');
  const base = { ANTHROPIC_BASE_URL: stub.url, BENCH_MARKS: marks, ...env.probe.env(usageFile) };
  const telemetry = on ? claudeTelemetry(env.live.endpoint) : {};
  const args = ['-p', SESSION_PROMPT, ...ALLOW_TOOLS];
  try {
    const run = wrapped
      ? await runTimed(process.execPath, [...env.probe.nodeArgs, env.wrapperBin, ...args], {
          cwd: env.sandbox.cwd,
          env: env.env({ ...base, ...telemetry, ...wrapperEnv(env, env.live.endpoint, env.stampedClaude, `state-native-${on ? 'on' : 'off'}`) }),
          timeoutMs: TIMEOUT_MS,
        })
      : await runTimed(process.execPath, [...env.probe.nodeArgs, '-e', LAUNCHER, env.stampedClaude, ...args], {
          cwd: env.sandbox.cwd,
          env: env.env({ ...base, ...telemetry }),
          timeoutMs: TIMEOUT_MS,
        });
    const problems: string[] = [];
    if (run.timedOut) problems.push('timed out');
    if (run.exitCode !== 0) problems.push(`exit code ${run.exitCode}`);
    if (run.stdout !== `${ANSWER}\n`) problems.push(`stdout ${JSON.stringify(run.stdout.slice(0, 200))}`);
    if (on) {
      // Claude's spans reach the collector: straight from claude (bare), or joined by the wrapper.
      await env.live
        .waitFor((r) => r.spans.some((s) => s.name === 'claude_code.tool.execution'), 5_000)
        .catch(() => problems.push("the collector did not get Claude's spans"));
    }
    const stamps = await readStamps(marks);
    const usage = await readUsage(usageFile);
    if (stamps.spawnMs === undefined || stamps.exitMs === undefined) problems.push('claude left no stamps');
    if (usage?.childCpuMs === undefined) problems.push('no usage record');
    if (problems.length > 0 || stamps.spawnMs === undefined || stamps.exitMs === undefined || usage?.childCpuMs === undefined)
      return { scenario, round, problem: problems.join('; ') };
    return {
      arm,
      round,
      wallMs: run.wallMs,
      spawnDelayMs: stamps.spawnMs - run.launchedAtMs,
      claudeRunMs: stamps.exitMs - stamps.spawnMs,
      afterExitMs: run.exitedAtMs - stamps.exitMs,
      claudeCpuMs: usage.childCpuMs,
      ...(wrapped ? { wrapperCpuMs: usage.cpuMs } : {}),
    };
  } finally {
    await stub.close();
    await rm(join(env.sandbox.cwd, 'notes.txt'), { force: true });
    env.live.clear();
  }
}

export function runNativeSessions(env: BenchEnvironment, options: RoundOptions): Promise<Rounds<NativeSample>> {
  return runBalancedRounds(NATIVE_ARMS, (arm, round) => runOne(env, arm, round), options);
}

export function nativeFigures(rounds: Rounds<NativeSample>): Record<NativeArm, NativeFigures> {
  const of = (arm: NativeArm): NativeFigures => {
    const samples = rounds.samples.filter((s) => s.arm === arm);
    const wrapperCpu = samples.flatMap((s) => (s.wrapperCpuMs !== undefined ? [s.wrapperCpuMs] : []));
    return {
      n: samples.length,
      wallMs: summarize(samples.map((s) => s.wallMs)),
      spawnDelayMs: summarize(samples.map((s) => s.spawnDelayMs)),
      claudeRunMs: summarize(samples.map((s) => s.claudeRunMs)),
      afterExitMs: summarize(samples.map((s) => s.afterExitMs)),
      claudeCpuMs: summarize(samples.map((s) => s.claudeCpuMs)),
      ...(wrapperCpu.length > 0 ? { wrapperCpuMs: summarize(wrapperCpu) } : {}),
    };
  };
  return { 'bare, off': of('bare, off'), 'bare, on': of('bare, on'), 'wrapped, off': of('wrapped, off'), 'wrapped, on': of('wrapped, on') };
}
