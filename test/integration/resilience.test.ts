import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startScenario, waitForSession, spansNamed, intAttr, ALLOW_TOOLS, WRAPPER_BIN, CLAUDE_BIN } from '../support/scenario.ts';
import { closedPort, startOtlpReceiver } from '../support/otlp-receiver.ts';
import type { OtlpReceiver } from '../support/otlp-receiver.ts';
import type { AnthropicStub } from '../support/anthropic-stub.ts';
import { normalizeOutput } from '../support/normalize-output.ts';
import { runCommand } from '../support/claude-run.ts';
import type { RunResult } from '../support/claude-run.ts';
import { once } from '../support/once.ts';

// Whatever the collector does, claude's output, exit code and timing are unchanged, and the
// session is kept in the local store.

const FLUSH_MS = 1000;
/** Scheduling jitter on a loaded 2-core machine; the bound is about hangs, not speed. */
const SLACK_MS = 4000;

/** A tool call and the final answer; `answered` is told when claude has had the final answer in full. */
function script(answered: () => void = () => {}) {
  return [
    { kind: 'tools' as const, tools: [{ name: 'Bash', input: { command: 'echo resilient' } }] },
    { kind: 'text' as const, text: 'Still fine.', onAnswer: answered },
  ];
}

interface Baseline {
  result: RunResult;
  /** How long bare claude went on once it had its final answer. */
  tailMs: number;
}

/** Bare claude on the script, run once for every collector below: the collector is not its concern. */
const bareBaseline = once(async (): Promise<Baseline> => {
  let answeredAt = Number.NaN;
  const s = await startScenario(script(() => (answeredAt = performance.now())));
  try {
    const result = await s.claude(['-p', 'go', '--output-format', 'json', ...ALLOW_TOOLS]);
    return { result, tailMs: performance.now() - answeredAt };
  } finally {
    await s.close();
  }
});

async function compareWithBare(collector: { endpoint: string; protocol: string }) {
  // How long each run goes on once claude has its final answer: claude's own ending, and the
  // wrapper's flush. Measured from there, not from the start, as a loaded machine spreads the
  // conversation itself over seconds more in one run than in the next.
  const { result: bare, tailMs: bareTail } = await bareBaseline();
  let answeredAt = Number.NaN;
  const s = await startScenario(script(() => (answeredAt = performance.now())));
  try {
    const wrapped = await s.wrapper(['-p', 'go', '--output-format', 'json', ...ALLOW_TOOLS], {
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: collector.protocol,
        OTEL_METRICS_EXPORTER: 'otlp',
        CLAUDE_OTEL_FLUSH_TIMEOUT_MS: String(FLUSH_MS),
      },
    });
    const wrappedTail = performance.now() - answeredAt;
    assert.equal(wrapped.exitCode, bare.exitCode);
    assert.equal(wrapped.stderr, '', 'nothing on the terminal');
    // Byte for byte, ids and timings (which differ between any two runs) aside.
    assert.equal(normalizeOutput(wrapped.stdout.toString()), normalizeOutput(bare.stdout.toString()));
    assert.equal((JSON.parse(wrapped.stdout.toString()) as { result: string }).result, 'Still fine.');
    assert.ok(
      wrappedTail < bareTail + FLUSH_MS + SLACK_MS,
      `after the final answer, the wrapper took ${Math.round(wrappedTail)} ms to end, bare claude ${Math.round(bareTail)} ms`,
    );
    // Kept locally, not marked delivered.
    const runs = await readdir(join(s.stateDir, 'sessions'));
    const [run] = runs;
    assert.ok(run && runs.length === 1, `one stored run: ${runs.join(', ')}`);
    const files = await readdir(join(s.stateDir, 'sessions', run));
    assert.ok(files.includes('chunk-0001.json'));
    assert.ok(!files.includes('chunk-0001.delivered'));
    const chunk = JSON.parse(await readFile(join(s.stateDir, 'sessions', run, 'chunk-0001.json'), 'utf8')) as {
      traces?: unknown;
      logs?: unknown;
      metrics?: unknown;
    };
    assert.ok(chunk.traces && chunk.logs && chunk.metrics, 'all three signals stored');
    // The failure went to the debug log file, not the terminal.
    const log = await readFile(join(s.stateDir, 'claude-otel.log'), 'utf8');
    assert.match(log, /export of traces failed/);
  } finally {
    await s.close();
  }
}

test('collector refusing connections (grpc): same output and exit code, session kept', async () => {
  await compareWithBare({ endpoint: `http://127.0.0.1:${await closedPort()}`, protocol: 'grpc' });
});

test('collector refusing connections (http/protobuf): same output and exit code, session kept', async () => {
  await compareWithBare({ endpoint: `http://127.0.0.1:${await closedPort()}`, protocol: 'http/protobuf' });
});

for (const protocol of ['grpc', 'http/protobuf'] as const) {
  test(`black-holed collector (${protocol}): the wrapper still exits within its flush budget`, async () => {
    const hole: OtlpReceiver = await startOtlpReceiver({ protocol, behaviour: 'black-hole' });
    try {
      await compareWithBare({ endpoint: hole.endpoint, protocol });
    } finally {
      await hole.close();
    }
  });
}

test('collector answering 503: same output and exit code, session kept', async () => {
  const failing = await startOtlpReceiver({ protocol: 'http/protobuf', behaviour: 'http-503' });
  try {
    await compareWithBare({ endpoint: failing.endpoint, protocol: 'http/protobuf' });
    assert.ok(failing.requests.length > 0, 'the export was attempted');
  } finally {
    await failing.close();
  }
});

test('junk between valid lines is passed through; the valid part is traced; the exit code is kept', async () => {
  const s = await startScenario([]);
  try {
    const recorded = await readFile(new URL('../fixtures/streams/formats/three-tools.stream-json-verbose.jsonl', import.meta.url), 'utf8');
    const lines = recorded.trimEnd().split('\n');
    const noisy = [
      lines[0],
      'Warning: something odd happened',
      ...lines.slice(1, 4),
      '{"type":"assistant","message":{"id":',
      '{"type":"from_the_future","x":1}',
      ...lines.slice(4),
      'trailing junk without newline',
    ].join('\n');
    const output = join(s.sandbox.home, 'fake-output.txt');
    await writeFile(output, noisy);
    const fake = join(s.sandbox.home, 'fake-claude');
    await writeFile(fake, `#!/bin/sh\ncat '${output}'\nexit 3\n`);
    await chmod(fake, 0o755);
    const run = await s.wrapper(['-p', 'go', '--output-format', 'stream-json', '--verbose'], { env: { CLAUDE_OTEL_CLAUDE_BIN: fake } });
    assert.equal(run.exitCode, 3);
    assert.equal(run.stdout.toString(), noisy, 'every byte claude wrote, as it wrote it');
    const root = await waitForSession(s.receiver);
    assert.equal(intAttr(root, 'process.exit.code'), 3);
    assert.equal(root.status.code, 2);
    assert.equal(spansNamed(s.receiver.spans, 'execute_tool').length, 3);
    // In text mode the same claude gives the junk plus the answer.
    const text = await s.wrapper(['-p', 'go'], { env: { CLAUDE_OTEL_CLAUDE_BIN: fake } });
    assert.equal(text.exitCode, 3);
    assert.equal(text.stdout.toString(), 'Warning: something odd happened\n{"type":"assistant","message":{"id":\nAll done.\ntrailing junk without newline');
  } finally {
    await s.close();
  }
});

test('a missing claude: one line naming what was looked for, exit 127', async () => {
  const s = await startScenario([]);
  try {
    const configured = await s.wrapper(['-p', 'go'], { env: { CLAUDE_OTEL_CLAUDE_BIN: '/nonexistent/claude' } });
    assert.equal(configured.exitCode, 127);
    assert.equal(configured.stdout.length, 0);
    assert.equal(configured.stderr.trim().split('\n').length, 1);
    assert.match(configured.stderr, /\/nonexistent\/claude/);
    const onPath = await s.wrapper(['-p', 'go'], { env: { CLAUDE_OTEL_CLAUDE_BIN: undefined, PATH: '/usr/bin:/bin' } });
    assert.equal(onPath.exitCode, 127);
    assert.equal(onPath.stderr.trim().split('\n').length, 1);
    assert.match(onPath.stderr, /claude.*PATH.*CLAUDE_OTEL_CLAUDE_BIN/);
    assert.doesNotMatch(onPath.stderr, /\n\s+at /, 'no stack trace');
  } finally {
    await s.close();
  }
});

/** Starts a command, waits until claude is waiting on the model, sends a signal, reports how it ended. */
async function interrupt(file: string, env: NodeJS.ProcessEnv, cwd: string, signal: NodeJS.Signals, stub: AnthropicStub) {
  const seen = stub.requests.filter((r) => r.agentLoop).length;
  const child = spawn(file, ['-p', 'slow one'], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.end();
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  await stub.waitForRequests((requests) => requests.filter((r) => r.agentLoop).length > seen);
  child.kill(signal);
  const code = await exited;
  return { code, stdout };
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  test(`${signal} during a slow model call reaches claude; the wrapper exits as claude did; the session is recorded`, async () => {
    // The model never answers while the test runs: a command that ends has not waited for it.
    let release = () => {};
    const never = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = { kind: 'text' as const, text: 'too late', until: never };
    const s = await startScenario([slow, slow]);
    try {
      const bare = await interrupt(CLAUDE_BIN, s.sandbox.env, s.sandbox.cwd, signal, s.stub);
      const wrapped = await interrupt(WRAPPER_BIN, { ...s.sandbox.env, ...s.env() } as NodeJS.ProcessEnv, s.sandbox.cwd, signal, s.stub);
      // When claude ended the same way (same output), the wrapper's exit code is claude's.
      if (wrapped.stdout === bare.stdout) assert.equal(wrapped.code, bare.code, `claude alone exits ${bare.code} on ${signal}`);
      // claude itself sometimes gets to print its "Execution error" result before it exits, sometimes not.
      assert.ok(['', 'Execution error'].includes(wrapped.stdout), `unexpected stdout ${JSON.stringify(wrapped.stdout)}`);
      assert.ok(['', 'Execution error'].includes(bare.stdout));
      const root = await waitForSession(s.receiver);
      assert.equal(root.attributes['claude.interrupted'], true);
      assert.equal(root.attributes['error.type'], 'interrupted');
      assert.equal(intAttr(root, 'process.exit.code'), wrapped.code ?? -1);
      assert.equal(root.status.code, 2);
      assert.equal(spansNamed(s.receiver.spans, 'invoke_agent').length, 1);
    } finally {
      release();
      await s.close();
    }
  });
}

test('--otel-debug writes diagnostics to stderr and the log file; without it stderr stays clean, and a bad setting goes to the log file only', async () => {
  const s = await startScenario([
    { kind: 'text', text: 'a' },
    { kind: 'text', text: 'b' },
  ]);
  try {
    const quiet = await s.wrapper(['-p', 'go'], { env: { OTEL_EXPORTER_OTLP_PROTOCOL: 'carrier-pigeon' } });
    assert.equal(quiet.exitCode, 0);
    assert.equal(quiet.stderr, '');
    const loud = await s.wrapper(['-p', 'go', '--otel-debug']);
    assert.equal(loud.exitCode, 0);
    const lines = loud.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { msg: string });
    assert.ok(lines.some((l) => l.msg === 'configuration'));
    assert.ok(lines.some((l) => l.msg === 'exported traces'));
    const file = await readFile(join(s.stateDir, 'claude-otel.log'), 'utf8');
    assert.match(file, /carrier-pigeon is not a protocol/, 'a bad setting is reported in the log file');
    assert.match(file, /exported traces/);
  } finally {
    await s.close();
  }
});

test('a reader that goes away (| head) ends the run as it ends bare claude: same exit status, nothing on stderr', async () => {
  const long = { kind: 'text' as const, text: 'line one\nline two\n'.repeat(20_000) };
  const s = await startScenario([long, long]);
  try {
    const pipeline = (bin: string) =>
      runCommand('/bin/bash', ['-c', `"$BIN" -p go --output-format stream-json --verbose | head -c 100 >/dev/null; echo "status=\${PIPESTATUS[0]}"`], {
        sandbox: s.sandbox,
        env: { ...s.env(), BIN: bin },
      });
    const bare = await pipeline(CLAUDE_BIN);
    const wrapped = await pipeline(WRAPPER_BIN);
    assert.match(bare.stdout.toString(), /^status=\d+\n$/);
    assert.equal(wrapped.stdout.toString(), bare.stdout.toString());
    assert.equal(wrapped.stderr, bare.stderr);
    await waitForSession(s.receiver);
  } finally {
    await s.close();
  }
});

test('a gRPC collector that comes up while claude runs gets the session (the connection opened early is not left in a retry backoff)', async () => {
  const port = await closedPort();
  let answer = () => {};
  const held = new Promise<void>((resolve) => (answer = resolve));
  const s = await startScenario([{ kind: 'text', text: 'late collector', until: held }]);
  let late: OtlpReceiver | undefined;
  try {
    const env = {
      ...s.sandbox.env,
      ...s.env({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', CLAUDE_OTEL_DEBUG: '1' }),
    } as NodeJS.ProcessEnv;
    const child = spawn(WRAPPER_BIN, ['-p', 'go'], { cwd: s.sandbox.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    // While claude waits for the model, the wrapper's early connection attempt finds no collector.
    const warmUpFailed = new Promise<void>((resolve) =>
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
        if (stderr.includes('gRPC warm-up could not connect')) resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await Promise.race([warmUpFailed, exited]);
    assert.match(stderr, /gRPC warm-up could not connect/);
    late = await startOtlpReceiver({ protocol: 'grpc', port });
    answer();
    assert.equal(await exited, 0);
    assert.equal(stdout, 'late collector\n');
    const root = await waitForSession(late);
    assert.equal(intAttr(root, 'process.exit.code'), 0);
    assert.match(stderr, /exported traces/);
  } finally {
    answer();
    await late?.close();
    await s.close();
  }
});
