import { readFileSync } from 'node:fs';
import { createRedactor } from '../../src/privacy/redact.ts';
import { startAnthropicStub } from '../../test/support/anthropic-stub.ts';
import { ALLOW_TOOLS } from '../../test/support/scenario.ts';
import type { BenchEnvironment } from './bench-environment.ts';
import { runTimed } from './timed-process.ts';
import { wrapperEnv } from './three-tool-sessions.ts';
import type { RunFailure } from './balanced-rounds.ts';
import { runOrder } from './run-order.ts';
import { median } from './stats.ts';

// What redaction costs on the inputs that made the old rules backtrack or re-read: in process,
// MB/s on 64 KB adversarial texts (dotted names, a base64url run, repeated secret-like words, a
// prompt with secrets planted in it, repeated option prefixes, runs of quotes, `=` and `:`); and in a real session, the wall time the wrapper adds when a
// Bash command is 22 KB of dotted names (the old rules took 10 s on it). A third arm runs the
// wrapper on the same session with a short command, so the long text's own share shows apart
// from what the wrapper costs any session.

const INPUT_BYTES = 64 * 1024;
const SESSION_COMMAND_BYTES = 22 * 1024;
const TIMEOUT_MS = 60_000;
const ANSWER = 'Done.';

export interface RedactionInput {
  name: string;
  chars: number;
  passMs: number[];
  megabytesPerSecond: number;
}

export type RedactionArm = 'bare' | 'wrapper' | 'wrapper-short';
export const REDACTION_ARMS: readonly RedactionArm[] = ['bare', 'wrapper', 'wrapper-short'];

export interface RedactionSample {
  arm: RedactionArm;
  round: number;
  wallMs: number;
}

export interface RedactionResult {
  inputs: RedactionInput[];
  /** The slowest input's MB/s: what the headline reports. */
  slowestMegabytesPerSecond: number;
  sessions: RedactionSample[];
  failures: RunFailure[];
}

function fill(unit: (i: number) => string, chars: number): string {
  let text = '';
  for (let i = 0; text.length < chars; i += 1) text += unit(i);
  return text.slice(0, chars);
}

function dottedNames(chars: number): string {
  return fill((i) => `com.example.auth.token${i}.`, chars);
}

function corpusTexts(): string[] {
  const corpus = JSON.parse(readFileSync(new URL('../../test/fixtures/secrets/corpus.json', import.meta.url), 'utf8')) as { entries: { text: string }[] };
  return corpus.entries.map((e) => e.text);
}

export function adversarialInputs(): { name: string; text: string }[] {
  const secrets = corpusTexts().filter((t) => !t.startsWith('cut short'));
  const filler = 'Please refactor the parser so that it reads the stream once and keeps the tests green. ';
  return [
    { name: 'dotted names', text: dottedNames(INPUT_BYTES) },
    { name: 'dotted names = value', text: `${dottedNames(INPUT_BYTES - 20)}=hunterEXAMPLE` },
    { name: 'base64url run', text: `eyJ${fill(() => 'abcDEF012_-', INPUT_BYTES - 3)}` },
    { name: 'secret-like words', text: fill(() => 'password token secret session cookie ', INPUT_BYTES) },
    { name: 'secret-like assignments', text: fill(() => 'password=token:secret=', INPUT_BYTES) },
    { name: 'repeated key prefixes', text: fill(() => 'sk-ant-AKIAghp_-----BEGIN ', INPUT_BYTES) },
    { name: 'prompt with planted secrets', text: fill((i) => (i % 3 === 0 ? `${secrets[(i / 3) % secrets.length]}\n` : filler), INPUT_BYTES) },
    // Repeated option prefixes: each tool name starts a command inside the previous one's words
    // (these took 65 s and 1.9 s per MB when every name re-read its next 64 words).
    { name: "repeated `7z -p'`", text: fill(() => "7z -p'", INPUT_BYTES) },
    { name: 'repeated `curl -u a:`', text: fill(() => 'curl -u a:', INPUT_BYTES) },
    { name: "repeated `mysql -u 'x mysql '`", text: fill(() => "mysql -u 'x mysql ' -pEX ", INPUT_BYTES) },
    { name: 'repeated `password=$`', text: fill(() => 'password=$', INPUT_BYTES) },
    { name: 'repeated `--password "`', text: fill(() => '--password "', INPUT_BYTES) },
    { name: 'runs of quote characters', text: fill((i) => ["'", '"', '`', '\\"'][Math.floor(i / 64) % 4] ?? '', INPUT_BYTES) },
    { name: '`=` and `:` runs', text: fill((i) => (i % 64 < 32 ? '=' : ':'), INPUT_BYTES) },
  ];
}

/** MB/s of the wrapper's redactor on each adversarial input: one warm-up pass, then `passes`. */
export function measureRedactionThroughput(options: { passes: number }): RedactionInput[] {
  const redact = createRedactor();
  return adversarialInputs().map(({ name, text }) => {
    redact(text);
    const passMs: number[] = [];
    for (let i = 0; i < options.passes; i++) {
      const started = performance.now();
      redact(text);
      passMs.push(performance.now() - started);
    }
    return { name, chars: text.length, passMs, megabytesPerSecond: (text.length / 1_048_576 / median(passMs)) * 1000 };
  });
}

/** The 22 KB command: a no-op (`:`) whose argument is dotted names, so claude runs it quickly. */
export function longCommand(): string {
  return `: '${dottedNames(SESSION_COMMAND_BYTES)}'`;
}

async function runOne(env: BenchEnvironment, arm: RedactionArm, round: number): Promise<RedactionSample | RunFailure> {
  const scenario = `22 KB command session, ${arm}`;
  const command = arm === 'wrapper-short' ? ": 'com.example.auth.token0'" : longCommand();
  const stub = await startAnthropicStub([
    { kind: 'tools', tools: [{ name: 'Bash', input: { command } }] },
    { kind: 'text', text: ANSWER },
  ]);
  const base = { ANTHROPIC_BASE_URL: stub.url, BENCH_MARKS: env.scratchFile('marks') };
  const args = ['-p', 'run the long command', ...ALLOW_TOOLS];
  try {
    const run =
      arm === 'bare'
        ? await runTimed(env.stampedClaude, args, { cwd: env.sandbox.cwd, env: env.env(base), timeoutMs: TIMEOUT_MS })
        : await runTimed(env.wrapperBin, args, {
            cwd: env.sandbox.cwd,
            env: env.env({ ...base, ...wrapperEnv(env, env.live.endpoint, env.stampedClaude, 'state-redaction') }),
            timeoutMs: TIMEOUT_MS,
          });
    const problems: string[] = [];
    if (run.timedOut) problems.push('timed out');
    if (run.exitCode !== 0) problems.push(`exit code ${run.exitCode}`);
    if (run.stdout !== `${ANSWER}\n`) problems.push(`stdout ${JSON.stringify(run.stdout.slice(0, 200))}`);
    if (arm !== 'bare') {
      await env.live.waitFor((r) => r.spans.some((s) => s.name === 'claude.session'), 5_000).catch(() => problems.push('the live collector got no session'));
    }
    if (problems.length > 0) return { scenario, round, problem: problems.join('; ') };
    return { arm, round, wallMs: run.wallMs };
  } finally {
    await stub.close();
    env.live.clear();
  }
}

/** `rounds` rounds of bare claude and the wrapper on the 22 KB command session, and the wrapper on a short one, in turn. */
export async function runRedactionSessions(
  env: BenchEnvironment,
  options: { rounds: number; log: (line: string) => void },
): Promise<{ samples: RedactionSample[]; failures: RunFailure[] }> {
  const samples: RedactionSample[] = [];
  const failures: RunFailure[] = [];
  // Round -1 warms caches and is not kept.
  for (let round = -1; round < options.rounds; round++) {
    const times: string[] = [];
    for (const arm of runOrder(REDACTION_ARMS, round + 1)) {
      const outcome = await runOne(env, arm, round);
      if (round < 0) continue;
      if ('problem' in outcome) failures.push(outcome);
      else samples.push(outcome);
      times.push(`${arm} ${'problem' in outcome ? 'failed' : `${Math.round(outcome.wallMs)} ms`}`);
    }
    if (round >= 0) options.log(`  round ${round + 1}/${options.rounds}: ${times.join(', ')}`);
  }
  return { samples, failures };
}
