import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { startScenario, ALLOW_TOOLS, CTL_BIN, WRAPPER_BIN } from '../support/scenario.ts';
import type { Scenario } from '../support/scenario.ts';
import { runCommand, startCommand } from '../support/claude-run.ts';
import { startOtlpReceiver } from '../support/otlp-receiver.ts';
import { TmuxTerminal, promptReady } from '../support/tmux-terminal.ts';
import { DEBUG_LOG_FILE } from '../../src/debug-log.ts';
import { once } from '../support/once.ts';

// When claude exits, the session is complete in the local store before the wrapper waits on
// the collector. A SIGTERM that reaches the wrapper while it waits (a CI time-out, the Agent
// SDK's grace period) leaves the session stored and undelivered, and it is delivered later,
// once: by `claude-otel-ctl replay` or by the next run.

function script(answer: string) {
  return [
    { kind: 'tools' as const, tools: [{ name: 'Bash', input: { command: `echo ${answer}` } }] },
    { kind: 'text' as const, text: answer },
  ];
}

interface KilledRun {
  runDir: string;
  traceId: string;
  storedSpans: number;
}

/** Runs the wrapper against a collector that never answers and sends it SIGTERM once it is sending. */
async function killMidFlush(s: Scenario, answer: string): Promise<KilledRun> {
  const hole = await startOtlpReceiver({ protocol: 'http/protobuf', behaviour: 'black-hole' });
  try {
    const run = startCommand(WRAPPER_BIN, ['-p', 'go', ...ALLOW_TOOLS], {
      sandbox: s.sandbox,
      // A budget far longer than the test waits: only the signal can end this flush.
      env: s.env({ OTEL_EXPORTER_OTLP_ENDPOINT: hole.endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', CLAUDE_OTEL_FLUSH_TIMEOUT_MS: '60000' }),
    });
    // HTTP exporters connect only to send: bytes in the black hole mean the flush is waiting on it.
    await hole.waitFor((r) => r.bytesSwallowed > 0, 60_000);
    run.kill('SIGTERM');
    const result = await run.result;
    assert.equal(result.signal, 'SIGTERM', `the wrapper ends as the signal says (exit ${result.exitCode}): ${result.stderr}`);
    assert.equal(result.stdout.toString(), `${answer}\n`, 'claude had answered in full');
  } finally {
    await hole.close();
  }

  const root = join(s.stateDir, 'sessions');
  const runs = (await readdir(root)).sort();
  const runId = runs.at(-1);
  assert.ok(runId, 'the session is in the store');
  const runDir = join(root, runId);
  const meta = JSON.parse(await readFile(join(runDir, 'meta.json'), 'utf8')) as { traceId: string; exitCode: number; endTime: number };
  assert.equal(meta.exitCode, 0, 'meta.json describes the whole session');
  assert.ok(meta.endTime > 0);
  const chunk = JSON.parse(await readFile(join(runDir, 'chunk-0001.json'), 'utf8')) as {
    traces: { resourceSpans: { scopeSpans: { spans: { name: string }[] }[] }[] };
  };
  const spans = chunk.traces.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((sc) => sc.spans));
  assert.ok(
    spans.some((x) => x.name === 'claude.session'),
    'the stored chunk holds the whole trace, root span included',
  );
  assert.ok(!existsSync(join(runDir, 'chunk-0001.delivered')), 'not marked delivered');
  assert.ok(existsSync(join(s.stateDir, 'undelivered')), 'the store is marked as holding an undelivered session');
  return { runDir, traceId: meta.traceId, storedSpans: spans.length };
}

// Both ways of delivering a killed session start from the same killed run: the next run delivers
// it from the store itself, replay from a copy of the store taken right after the kill, to a
// collector of its own, so that neither sees what the other sent.
interface KilledStore {
  s: Scenario;
  killed: KilledRun;
  /** The state directory as the kill left it. */
  copy: string;
}

let shared: Scenario | undefined;

const killedOnce = once(async (): Promise<KilledStore> => {
  const s = await startScenario([...script('killed while sending'), ...script('next run')], { protocol: 'http/protobuf' });
  shared = s;
  const killed = await killMidFlush(s, 'killed while sending');
  const copy = join(s.sandbox.home, 'state-copy');
  cpSync(s.stateDir, copy, { recursive: true });
  return { s, killed, copy };
});

after(async () => {
  await shared?.close();
});

test('SIGTERM while the wrapper waits on the collector: the stored session is complete, and replay delivers it once', async () => {
  const { s, killed, copy } = await killedOnce();
  const receiver = await startOtlpReceiver({ protocol: 'http/protobuf' });
  try {
    const env = s.env({ CLAUDE_OTEL_STATE_DIR: copy, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint });
    const runDir = join(copy, relative(s.stateDir, killed.runDir));
    const replay = await runCommand(CTL_BIN, ['replay'], { sandbox: s.sandbox, env });
    assert.equal(replay.exitCode, 0, replay.stdout.toString() + replay.stderr);
    await receiver.waitFor((r) => r.spans.some((x) => x.traceId === killed.traceId && x.name === 'claude.session'));
    assert.equal(receiver.spans.filter((x) => x.traceId === killed.traceId).length, killed.storedSpans, 'every stored span arrived once');
    assert.ok(existsSync(join(runDir, 'chunk-0001.delivered')));

    const again = await runCommand(CTL_BIN, ['replay'], { sandbox: s.sandbox, env });
    assert.equal(again.stdout.toString(), 'nothing to replay\n');
    assert.equal(receiver.spans.filter((x) => x.traceId === killed.traceId).length, killed.storedSpans, 'nothing sent twice');
  } finally {
    await receiver.close();
  }
});

test('SIGTERM while the wrapper waits on the collector: the next run delivers the session once', async () => {
  const { s, killed } = await killedOnce();
  const next = await s.wrapper(['-p', 'again', ...ALLOW_TOOLS]);
  assert.equal(next.exitCode, 0, next.stderr);
  assert.equal(next.stdout.toString(), 'next run\n');
  await s.receiver.waitFor((r) => r.spans.filter((x) => x.name === 'claude.session').length === 2);
  assert.equal(s.receiver.spans.filter((x) => x.traceId === killed.traceId).length, killed.storedSpans, 'the killed session arrived whole, once');
  assert.ok(existsSync(join(killed.runDir, 'chunk-0001.delivered')));
  assert.ok(!existsSync(join(s.stateDir, 'undelivered')), 'nothing left to send: the mark is gone');

  const replay = await runCommand(CTL_BIN, ['replay'], { sandbox: s.sandbox, env: s.env() });
  assert.equal(replay.stdout.toString(), 'nothing to replay\n');
  assert.equal(s.receiver.spans.filter((x) => x.traceId === killed.traceId).length, killed.storedSpans, 'nothing sent twice');
});

test('interactive mode: SIGTERM while the wrapper waits on the collector; the stored session is complete, and replay delivers it once', async () => {
  const s = await startScenario([{ kind: 'text', text: 'Interactive answer.' }], { protocol: 'http/protobuf' });
  const hole = await startOtlpReceiver({ protocol: 'http/protobuf', behaviour: 'black-hole' });
  const tmp = join(s.sandbox.home, 'tmp');
  mkdirSync(tmp, { recursive: true });
  const terminal = TmuxTerminal.start(WRAPPER_BIN, [], {
    cwd: s.sandbox.cwd,
    env: {
      ...s.sandbox.env,
      ...s.env({ OTEL_EXPORTER_OTLP_ENDPOINT: hole.endpoint, CLAUDE_OTEL_FLUSH_TIMEOUT_MS: '60000', CLAUDE_OTEL_DEBUG: '1' }),
      TMPDIR: tmp,
    },
    dir: s.sandbox.home,
  });
  try {
    await terminal.waitForScreen(promptReady, 15_000, 'the prompt');
    await terminal.type('hello');
    await terminal.waitForScreen((x) => x.includes('Interactive answer.'), 20_000, 'the answer');
    // The turn is over once its spans are being sent (its Stop hook fired): the black hole has bytes.
    await hole.waitFor((r) => r.bytesSwallowed > 0, 20_000);
    // Ended as a person ends it (a Ctrl-C pressed while the UI redraws can be lost; /exit is not).
    await terminal.type('/exit');
    // meta.json is written before the final send; the collector never answers, so the wrapper is still waiting on it.
    const root = join(s.stateDir, 'sessions');
    await s.receiver.waitFor(() => existsSync(root) && readdirSyncSafe(root).some((run) => existsSync(join(root, run, 'meta.json'))), 30_000);
    // claude's SessionEnd hook can complete the session before claude itself has exited; a signal
    // then still goes to claude. Only once the wrapper has seen claude exit is the signal its own.
    const debugLog = join(s.stateDir, DEBUG_LOG_FILE);
    await s.receiver.waitFor(() => existsSync(debugLog) && readFileSync(debugLog, 'utf8').includes('"claude exited"'), 30_000);
    const pid = terminal.pid();
    assert.ok(pid);
    process.kill(pid, 'SIGTERM');
    assert.notEqual(await terminal.waitForExit(), 0, 'ended by the signal, not by a finished flush');

    const [runId] = readdirSyncSafe(root);
    assert.ok(runId);
    const runDir = join(root, runId);
    const meta = JSON.parse(await readFile(join(runDir, 'meta.json'), 'utf8')) as { traceId: string; prompts: number };
    assert.equal(meta.prompts, 1, 'meta.json describes the whole session');
    const chunks = (await readdir(runDir)).filter((f) => /^chunk-\d+\.json$/.test(f));
    assert.ok(chunks.length > 0);
    assert.ok(
      chunks.some((c) => !existsSync(join(runDir, c.replace(/\.json$/, '.delivered')))),
      'not marked delivered',
    );
    assert.ok(existsSync(join(s.stateDir, 'undelivered')));

    const replay = await runCommand(CTL_BIN, ['replay'], { sandbox: s.sandbox, env: s.env() });
    assert.equal(replay.exitCode, 0, replay.stdout.toString() + replay.stderr);
    await s.receiver.waitFor((r) => r.spans.some((x) => x.traceId === meta.traceId && x.name === 'claude.session'));
    assert.equal(s.receiver.spans.filter((x) => x.traceId === meta.traceId && x.name === 'claude.session').length, 1, 'the session arrived once');
    const again = await runCommand(CTL_BIN, ['replay'], { sandbox: s.sandbox, env: s.env() });
    assert.equal(again.stdout.toString(), 'nothing to replay\n');
  } finally {
    terminal.close();
    await hole.close();
    await s.close();
  }
});

function readdirSyncSafe(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}
