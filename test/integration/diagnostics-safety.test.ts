import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startScenario, waitForSession, CTL_BIN } from '../support/scenario.ts';
import type { Scenario } from '../support/scenario.ts';
import { runCommand } from '../support/claude-run.ts';
import { closedPort, startOtlpReceiver } from '../support/otlp-receiver.ts';

// Diagnostics that cannot hurt: settings that used to crash the wrapper's debug log before
// claude ran now leave claude's output and exit status as bare claude's; a failure inside the
// telemetry path changes nothing claude prints; no password from an endpoint is ever printed.

const PASSWORD = 'pa55w0rd-never-printed';

async function sameAsBare(s: Scenario, env: Record<string, string | undefined>): Promise<string> {
  const args = ['-p', 'go', '--output-format', 'json'];
  const bare = await s.claude(args);
  const wrapped = await s.wrapper(args, { env: { CLAUDE_OTEL_FLUSH_TIMEOUT_MS: '1000', ...env } });
  assert.equal(wrapped.exitCode, bare.exitCode, wrapped.stderr);
  assert.equal((JSON.parse(wrapped.stdout.toString()) as { result: string }).result, (JSON.parse(bare.stdout.toString()) as { result: string }).result);
  assert.doesNotMatch(wrapped.stderr, /claude-otel: .*JSON|\n\s+at /, 'no JSON parse error, no stack trace');
  return wrapped.stderr;
}

test('CLAUDE_OTEL_DEBUG=1 with a digits pattern and an endpoint holding a quote: claude runs, same output and exit code', async () => {
  const s = await startScenario([
    { kind: 'text', text: 'answered' },
    { kind: 'text', text: 'answered' },
  ]);
  try {
    // Either could break the debug line before claude ran; the pattern cannot touch the quote, so one run checks both.
    const stderr = await sameAsBare(s, {
      CLAUDE_OTEL_DEBUG: '1',
      CLAUDE_OTEL_REDACT: '[0-9]{5,}',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await closedPort()}/"x`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      // Nothing answers there: the exporter would retry the refused connection until the flush budget.
      OTEL_EXPORTER_OTLP_TIMEOUT: '300',
    });
    const lines = stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { msg: string; flushTimeoutMs?: unknown });
    const configuration = lines.find((l) => l.msg === 'configuration');
    assert.equal(configuration?.flushTimeoutMs, 1000, 'numbers are not redacted text');
  } finally {
    await s.close();
  }
});

test("a failure inside the telemetry path (a tool input nested 200,000 deep) leaves claude's stdout and exit code as they are", async () => {
  const s = await startScenario([]);
  try {
    const recorded = await readFile(new URL('../fixtures/streams/formats/three-tools.stream-json-verbose.jsonl', import.meta.url), 'utf8');
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const lines = recorded.trimEnd().split('\n');
    const hostile = lines.map((line) => line.replace(/"input":\{"command":"[^"]*"/, `"input":{"command":${deep}`));
    assert.ok(
      hostile.some((line, i) => line !== lines[i]),
      'a tool input was replaced',
    );
    const output = join(s.sandbox.home, 'hostile.jsonl');
    await writeFile(output, `${hostile.join('\n')}\n`);
    const fake = join(s.sandbox.home, 'fake-claude');
    await writeFile(fake, `#!/bin/sh\ncat '${output}'\nexit 5\n`);
    await chmod(fake, 0o755);
    const bare = await runCommand(fake, ['-p', 'go'], { sandbox: s.sandbox });
    for (const format of [['--output-format', 'stream-json', '--verbose'], []]) {
      const wrapped = await s.wrapper(['-p', 'go', ...format], { env: { CLAUDE_OTEL_CLAUDE_BIN: fake } });
      assert.equal(wrapped.exitCode, 5);
      assert.equal(wrapped.stderr, '');
      if (format.length > 0) assert.ok(wrapped.stdout.equals(bare.stdout), 'every byte claude wrote');
      else assert.equal(wrapped.stdout.toString(), 'All done.\n');
    }
    const log = await readFile(join(s.stateDir, 'claude-otel.log'), 'utf8');
    assert.match(log, /Maximum call stack size exceeded/, 'the telemetry path did fail');
    // What did not fail is still recorded.
    const root = await waitForSession(s.receiver);
    assert.equal(root.attributes['process.exit.code'], 5);
  } finally {
    await s.close();
  }
});

test('doctor never prints the password of a https://user:password@host endpoint, in text or JSON, accepted or failed', async () => {
  const s = await startScenario([]);
  const receiver = await startOtlpReceiver({ protocol: 'http/protobuf' });
  try {
    const live = receiver.endpoint.replace('http://', `http://collector-user:${PASSWORD}@`);
    const dead = `http://collector-user:${PASSWORD}@127.0.0.1:${await closedPort()}`;
    // A refused connection is retried by the exporter until the timeout: the dead endpoint's check
    // is given a short one, as only what it prints is asserted.
    for (const [endpoint, timeoutMs] of [
      [live, '3000'],
      [dead, '300'],
    ] as const) {
      for (const json of [[], ['--json']]) {
        const run = await runCommand(CTL_BIN, ['doctor', '--timeout-ms', timeoutMs, ...json], {
          sandbox: s.sandbox,
          env: s.env({
            OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
            OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
            OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer%20doctor-header-secret-value',
          }),
        });
        const all = run.stdout.toString() + run.stderr;
        assert.doesNotMatch(all, new RegExp(PASSWORD));
        assert.doesNotMatch(all, /collector-user/);
        assert.doesNotMatch(all, /header-secret/);
        assert.match(all, /127\.0\.0\.1:\d+/, 'the endpoint is still named');
      }
    }
    assert.ok(receiver.spans.length > 0, 'the live check reached the collector');
  } finally {
    await receiver.close();
    await s.close();
  }
});

test('replay never prints the password of the endpoint, delivering or failing', async () => {
  const s = await startScenario([{ kind: 'text', text: 'offline' }]);
  const receiver = await startOtlpReceiver({ protocol: 'http/protobuf' });
  try {
    const down = `http://127.0.0.1:${await closedPort()}`;
    // The exporter retries a refused connection until its timeout, 10 s unless set.
    const refused = { OTEL_EXPORTER_OTLP_TIMEOUT: '300' };
    const recorded = await s.wrapper(['-p', 'go'], {
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: down, CLAUDE_OTEL_FLUSH_TIMEOUT_MS: '1000', CLAUDE_OTEL_RETRY_UNDELIVERED: 'off', ...refused },
    });
    assert.equal(recorded.exitCode, 0);
    const replay = (endpoint: string, json: string[], env: Record<string, string> = {}) =>
      runCommand(CTL_BIN, ['replay', ...json], {
        sandbox: s.sandbox,
        env: s.env({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', ...env }),
      });
    const failing = await replay(down.replace('http://', `http://u:${PASSWORD}@`), [], refused);
    assert.equal(failing.exitCode, 1);
    assert.match(failing.stdout.toString(), /not delivered/);
    const failingJson = await replay(down.replace('http://', `http://u:${PASSWORD}@`), ['--json'], refused);
    const delivering = await replay(receiver.endpoint.replace('http://', `http://u:${PASSWORD}@`), []);
    assert.equal(delivering.exitCode, 0, delivering.stderr);
    assert.match(delivering.stdout.toString(), /delivered/);
    for (const run of [failing, failingJson, delivering]) assert.doesNotMatch(run.stdout.toString() + run.stderr, new RegExp(PASSWORD));
    await waitForSession(receiver);
  } finally {
    await receiver.close();
    await s.close();
  }
});
