import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startScenario, waitForSession, ALLOW_TOOLS, CTL_BIN } from '../support/scenario.ts';
import { runCommand } from '../support/claude-run.ts';
import { startOtlpReceiver } from '../support/otlp-receiver.ts';
import type { OtlpReceiver, Signal } from '../support/otlp-receiver.ts';

// Replay sends what was stored, not a rebuilt copy: a session sent live and the same session
// replayed from the local store reach a collector as the same bytes, over every protocol.

const SIGNALS: readonly Signal[] = ['traces', 'logs', 'metrics'];

function script() {
  return [
    { kind: 'tools' as const, tools: [{ name: 'Bash', input: { command: 'echo same bytes' } }] },
    { kind: 'text' as const, text: 'Sent twice.' },
  ];
}

/** Each signal's request bodies as the receiver got them, in arrival order. */
function bodies(receiver: OtlpReceiver, signal: Signal): Buffer[] {
  return receiver.requests
    .filter((r) => r.signal === signal)
    .map((r) => {
      assert.ok(r.body, `the receiver kept the ${signal} body`);
      return r.body;
    });
}

for (const protocol of ['grpc', 'http/protobuf', 'http/json'] as const) {
  test(`a replayed session reaches the collector as the same bytes as the live export (${protocol})`, async () => {
    const s = await startScenario([...script(), ...script()], { protocol });
    const second = await startOtlpReceiver({ protocol });
    try {
      const live = await s.wrapper(['-p', 'send this', ...ALLOW_TOOLS], { env: { OTEL_METRICS_EXPORTER: 'otlp' } });
      assert.equal(live.exitCode, 0, live.stderr);
      assert.equal(live.stdout.toString(), 'Sent twice.\n');
      await waitForSession(s.receiver);
      await s.receiver.waitFor((r) => SIGNALS.every((signal) => r.requests.some((q) => q.signal === signal && q.body !== undefined)));

      // The collector "lost" it: the store's delivered marks go, so replay sends the stored chunk again.
      const root = join(s.stateDir, 'sessions');
      const [run] = await readdir(root);
      assert.ok(run);
      const files = await readdir(join(root, run));
      assert.deepEqual(
        files.filter((f) => /^chunk-\d+\.json$/.test(f)),
        ['chunk-0001.json'],
        'one stored chunk',
      );
      assert.ok(files.includes('chunk-0001.delivered'), 'the live export was accepted');
      for (const file of files.filter((f) => f.endsWith('.delivered'))) await rm(join(root, run, file));

      const env = s.env({ OTEL_METRICS_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: second.endpoint });
      const replay = await runCommand(CTL_BIN, ['replay'], { sandbox: s.sandbox, env });
      assert.equal(replay.exitCode, 0, replay.stdout.toString() + replay.stderr);
      assert.match(replay.stdout.toString(), /delivered 1 of 1 pending chunk\n$/);

      for (const signal of SIGNALS) {
        const sent = bodies(s.receiver, signal);
        const replayed = bodies(second, signal);
        assert.equal(sent.length, 1, `one live ${signal} request`);
        assert.equal(replayed.length, 1, `one replayed ${signal} request`);
        assert.ok(sent[0]?.equals(replayed[0] ?? Buffer.alloc(0)), `${signal}: the replayed body is the live one, byte for byte`);
      }
      // Decoded, too: the same session, not merely the same length of bytes.
      assert.ok(second.spans.length > 0 && second.logs.length > 0 && second.metrics.length > 0);
      assert.deepEqual(second.spans, s.receiver.spans);
      assert.deepEqual(second.logs, s.receiver.logs);
      assert.deepEqual(second.metrics, s.receiver.metrics);
    } finally {
      await Promise.all([s.close(), second.close()]);
    }
  });
}
