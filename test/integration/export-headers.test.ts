import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { startScenario, waitForSession, ALLOW_TOOLS, CTL_BIN } from '../support/scenario.ts';
import type { Scenario } from '../support/scenario.ts';
import { runCommand } from '../support/claude-run.ts';
import type { RunResult } from '../support/claude-run.ts';
import { closedPort } from '../support/otlp-receiver.ts';
import { once } from '../support/once.ts';

// One header entry the exporters cannot send (a CR/LF or a non-ASCII value) is dropped alone:
// every signal still reaches the collector with the other headers, and no command ever prints
// a header's value.

const SECRET = 'sk-live-Zq8v2Lm4Np6Rt0Xw';
const BAD_SECRET = 'sk-bad-Hy7Jk3Lp9Qs5Vb1N';
/** A good header, a non-ASCII one, and one whose value holds a newline and a secret. */
const HEADERS = `x-team=caf%C3%A9,x-api-key=${SECRET},authorization=Bearer%20${BAD_SECRET}%0D%0Ainjected:1`;

function script() {
  return [{ kind: 'text' as const, text: 'Headers checked.' }];
}

function assertNoSecret(run: RunResult, what: string): void {
  const printed = run.stdout.toString() + run.stderr;
  assert.doesNotMatch(printed, new RegExp(SECRET), `${what} printed a header value`);
  assert.doesNotMatch(printed, new RegExp(BAD_SECRET), `${what} printed a header value`);
  assert.doesNotMatch(printed, /café|caf%C3%A9/, `${what} printed a header value`);
}

/** Bare claude's answer, made once: the wrapper's must match it whatever the protocol. */
const bareAnswer = once(async (): Promise<RunResult> => {
  const s = await startScenario(script());
  try {
    return await s.claude(['-p', 'check', ...ALLOW_TOOLS]);
  } finally {
    await s.close();
  }
});

for (const protocol of ['grpc', 'http/protobuf'] as const) {
  test(`a bad header entry is dropped alone (${protocol}): every signal arrives, with the good header`, async () => {
    const bare = await bareAnswer();
    const s = await startScenario(script(), { protocol });
    try {
      const wrapped = await s.wrapper(['-p', 'check', ...ALLOW_TOOLS], { env: { OTEL_EXPORTER_OTLP_HEADERS: HEADERS, OTEL_METRICS_EXPORTER: 'otlp' } });
      assert.equal(wrapped.exitCode, bare.exitCode);
      assert.equal(wrapped.stdout.toString(), bare.stdout.toString());
      assert.equal(wrapped.stderr, '', 'nothing on the terminal');
      await waitForSession(s.receiver);
      await s.receiver.waitFor(() => s.receiver.logs.length > 0 && s.receiver.metrics.length > 0);
      assert.deepEqual(new Set(s.receiver.requests.map((r) => r.signal)), new Set(['traces', 'logs', 'metrics']));
      for (const request of s.receiver.requests) {
        assert.equal(request.headers['x-api-key'], SECRET);
        assert.equal(request.headers['x-team'], undefined);
        assert.equal(request.headers.authorization, undefined);
        assert.equal(request.headers.injected, undefined);
      }
      // The debug log names the dropped entries once each, by key, and holds no value.
      const log = readFileSync(join(s.stateDir, 'claude-otel.log'), 'utf8');
      assert.equal(log.match(/ignoring the entry for key \\"x-team\\"/g)?.length, 1, log);
      assert.equal(log.match(/ignoring the entry for key \\"authorization\\"/g)?.length, 1, log);
      assert.doesNotMatch(log, new RegExp(`${SECRET}|${BAD_SECRET}|café|illegal`));
    } finally {
      await s.close();
    }
  });
}

async function ctl(s: Scenario, args: string[], env: Record<string, string>): Promise<RunResult> {
  return runCommand(CTL_BIN, args, { sandbox: s.sandbox, env: s.env(env) });
}

test('doctor and replay with a bad header: they work, warn once by key, and never print a header value', async () => {
  const s = await startScenario(script());
  try {
    const down = `http://127.0.0.1:${await closedPort()}`;
    const offline = await s.wrapper(['-p', 'check', ...ALLOW_TOOLS], {
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: down, OTEL_EXPORTER_OTLP_HEADERS: HEADERS, CLAUDE_OTEL_FLUSH_TIMEOUT_MS: '1000' },
    });
    assert.equal(offline.stdout.toString(), 'Headers checked.\n');
    assert.equal(offline.stderr, '');

    const doctor = await ctl(s, ['doctor'], { OTEL_EXPORTER_OTLP_HEADERS: HEADERS });
    assertNoSecret(doctor, 'doctor');
    assert.equal(doctor.exitCode, 0, doctor.stdout.toString() + doctor.stderr);
    const out = doctor.stdout.toString();
    assert.equal(out.match(/ignoring the entry for key "x-team"/g)?.length, 1, out);
    assert.equal(out.match(/ignoring the entry for key "authorization"/g)?.length, 1, out);
    assert.match(out, /traces: accepted by/);
    assertNoSecret(await ctl(s, ['doctor', '--json'], { OTEL_EXPORTER_OTLP_HEADERS: HEADERS }), 'doctor --json');

    const replay = await ctl(s, ['replay'], { OTEL_EXPORTER_OTLP_HEADERS: HEADERS });
    assertNoSecret(replay, 'replay');
    assert.equal(replay.exitCode, 0, replay.stdout.toString() + replay.stderr);
    assert.match(replay.stdout.toString(), /delivered 1 of 1 pending chunk/);
    assert.equal(replay.stderr.match(/ignoring the entry for key "x-team"/g)?.length, 1, replay.stderr);
    assert.ok(s.receiver.requests.length > 0 && s.receiver.requests.every((r) => r.headers['x-api-key'] === SECRET));
  } finally {
    await s.close();
  }
});
