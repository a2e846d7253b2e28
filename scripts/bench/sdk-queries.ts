import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { query } from '@anthropic-ai/claude-agent-sdk';
import type { SDKMessage, SpawnedProcess, SpawnOptions } from '@anthropic-ai/claude-agent-sdk';
import { startAnthropicStub } from '../../test/support/anthropic-stub.ts';
import type { StubStep } from '../../test/support/anthropic-stub.ts';
import type { BenchEnvironment } from './bench-environment.ts';
import { epochMs } from './timed-process.ts';
import { type RoundOptions, type Rounds, type RunFailure, runBalancedRounds } from './balanced-rounds.ts';

// A bot's query through the real Agent SDK (pathToClaudeCodeExecutable), run against bare
// claude and against the wrapper with a live and a black-holed collector: how much longer
// the bot waits for its query, and that the process always ends by itself (the SDK sends
// SIGTERM 2 s after a query).

export type SdkArm = 'bare' | 'live' | 'black-hole';
export const SDK_ARMS: readonly SdkArm[] = ['bare', 'live', 'black-hole'];

export interface SdkSample {
  arm: SdkArm;
  round: number;
  /** query() to the end of its messages: what the bot waits for. */
  wallMs: number;
  /** The result message to the end of the messages: claude's exit, and the wrapper's after it. */
  afterResultMs: number;
}

export type SdkRounds = Rounds<SdkSample>;

const PROMPT = 'list the files please';
const ANSWER = 'All done.';
const TIMEOUT_MS = 60_000;

function script(): StubStep[] {
  return [
    { kind: 'tools', tools: [{ name: 'Bash', input: { command: 'echo hello' } }] },
    { kind: 'text', text: ANSWER },
  ];
}

function wrapperEnv(env: BenchEnvironment, arm: Exclude<SdkArm, 'bare'>): Record<string, string> {
  return {
    CLAUDE_OTEL_CLAUDE_BIN: env.realClaude,
    CLAUDE_OTEL_STATE_DIR: join(env.scratch, `state-sdk-${arm}`),
    OTEL_EXPORTER_OTLP_ENDPOINT: arm === 'live' ? env.live.endpoint : env.blackHole.endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
    OTEL_METRICS_EXPORTER: 'otlp',
  };
}

/** The SDK's own way of starting the process, plus a note of how it ended. */
function spawnNoting(onExit: (code: number | null, signal: NodeJS.Signals | null) => void): (options: SpawnOptions) => SpawnedProcess {
  return (options) => {
    const child = spawn(options.command, options.args, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'ignore'], signal: options.signal });
    child.on('exit', onExit);
    return child;
  };
}

async function runOne(env: BenchEnvironment, arm: SdkArm, round: number): Promise<SdkSample | RunFailure> {
  const scenario = `SDK query, ${arm}`;
  const stub = await startAnthropicStub(script());
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
  try {
    const messages: SDKMessage[] = [];
    const started = epochMs();
    let resultAt = Number.NaN;
    const q = query({
      prompt: PROMPT,
      options: {
        pathToClaudeCodeExecutable: arm === 'bare' ? env.realClaude : env.wrapperBin,
        cwd: env.sandbox.cwd,
        env: env.env({ ANTHROPIC_BASE_URL: stub.url, ...(arm === 'bare' ? {} : wrapperEnv(env, arm)) }),
        allowedTools: ['Bash'],
        abortController: abort,
        spawnClaudeCodeProcess: spawnNoting((code, signal) => (exit = { code, signal })),
      },
    });
    for await (const message of q) {
      messages.push(message);
      if (message.type === 'result') resultAt = epochMs();
    }
    const ended = epochMs();
    // The process may close its stdout a moment before its exit is reported.
    const deadline = Date.now() + 5_000;
    while (!exit && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    const problems: string[] = [];
    const result = messages.find((m) => m.type === 'result');
    if (result?.subtype !== 'success' || result.result !== ANSWER) problems.push(`result ${JSON.stringify(result ?? null).slice(0, 200)}`);
    if (!exit) problems.push('the process did not exit');
    else if (exit.code !== 0 || exit.signal !== null) problems.push(`the process ended with ${exit.signal ?? `code ${exit.code}`}`);
    if (arm === 'live')
      await env.live
        .waitFor((r) => r.spans.some((s) => s.name === 'claude.session'), 5_000)
        .catch(() => problems.push('the live collector did not get the session'));
    if (problems.length > 0) return { scenario, round, problem: problems.join('; ') };
    return { arm, round, wallMs: ended - started, afterResultMs: ended - resultAt };
  } catch (error) {
    return { scenario, round, problem: error instanceof Error ? error.message.slice(0, 300) : String(error) };
  } finally {
    clearTimeout(timer);
    await stub.close();
    env.live.clear();
  }
}

/** `rounds` rounds of every arm in a balanced order; a round disturbed by other work is run again (at most `rounds` times). */
export function runSdkQueries(env: BenchEnvironment, options: RoundOptions): Promise<SdkRounds> {
  return runBalancedRounds(SDK_ARMS, (arm, round) => runOne(env, arm, round), options);
}
