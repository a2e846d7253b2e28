import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startScenario, spansNamed, intAttr, waitForSession, CTL_BIN, WRAPPER_BIN } from '../support/scenario.ts';
import type { Scenario } from '../support/scenario.ts';
import { closedPort } from '../support/otlp-receiver.ts';
import { runCommand } from '../support/claude-run.ts';
import type { RunResult } from '../support/claude-run.ts';
import { writeManyToolsClaude } from '../support/many-tools-claude.ts';

// Claude here is a script in its place, so these run against one CLI only (scripts/test-matrix.ts).
// The volume tier (`npm run test:volume`, not part of `npm test`: it takes many minutes).
// Sessions larger than the collector or the wrapper's memory takes in one piece. The real CLI
// cannot be driven through tens of thousands of tool calls in a test's time: a script in
// claude's place writes a recorded session's tool call again and again (many-tools-claude.ts).
// On a busy machine such a run takes minutes: the harness's limit is raised, and so are the
// flush budget and the export timeout where the whole session must go out (the test receiver
// decodes each 4 MiB request into objects, which takes seconds on a loaded machine).

const LONG = 900_000;

function wrapper(s: Scenario, args: string[], env: Record<string, string | undefined>): Promise<RunResult> {
  return runCommand(WRAPPER_BIN, args, { sandbox: s.sandbox, env: s.env(env), timeoutMs: LONG });
}

const toolSpans = (s: Scenario) => spansNamed(s.receiver.spans, 'execute_tool').length;
const traceRequests = (s: Scenario) => s.receiver.requests.filter((r) => r.signal === 'traces').length;

test('a session of 20,000 tool calls reaches a gRPC collector with the default 4 MiB limit whole, live and by replay', { timeout: 3 * LONG }, async () => {
  // 20,000 calls make more than 4 MiB of spans: gRPC's default limit on a message, which the test receiver keeps.
  const s = await startScenario([], { protocol: 'grpc' });
  try {
    const fake = await writeManyToolsClaude(s.sandbox.home, 20_000);
    // Every span kept (the cap is raised), and time to send them all.
    const roomy = {
      CLAUDE_OTEL_CLAUDE_BIN: fake,
      CLAUDE_OTEL_MAX_SPANS: '100000',
      CLAUDE_OTEL_FLUSH_TIMEOUT_MS: '300000',
      OTEL_EXPORTER_OTLP_TIMEOUT: '120000',
    };
    const live = await wrapper(s, ['-p', 'go'], { ...roomy, CLAUDE_OTEL_DEBUG: '1' });
    assert.equal(live.exitCode, 0, live.stderr);
    const failures = live.stderr.split('\n').filter((l) => l.includes('"level":40') || l.includes('"level":50'));
    assert.deepEqual(failures, []);
    await waitForSession(s.receiver);
    assert.equal(toolSpans(s), 20_000);
    assert.ok(traceRequests(s) > 1, 'sent in several requests');
    for (const request of s.receiver.requests) assert.ok((request.body?.length ?? 0) <= 4 * 1024 * 1024);
    s.receiver.clear();

    // Stored while the collector was down, then replayed.
    const down = `http://127.0.0.1:${await closedPort()}`;
    const offline = await wrapper(s, ['-p', 'go'], { ...roomy, OTEL_EXPORTER_OTLP_ENDPOINT: down, CLAUDE_OTEL_FLUSH_TIMEOUT_MS: '1000' });
    assert.equal(offline.exitCode, 0);
    assert.equal(s.receiver.requests.length, 0);
    const replay = await runCommand(CTL_BIN, ['replay'], { sandbox: s.sandbox, env: s.env({ OTEL_EXPORTER_OTLP_TIMEOUT: '120000' }), timeoutMs: LONG });
    assert.equal(replay.exitCode, 0, replay.stdout.toString() + replay.stderr);
    assert.match(replay.stdout.toString(), /delivered 1 of 1 pending chunk\n$/);
    assert.equal(toolSpans(s), 20_000);
    assert.ok(traceRequests(s) > 1);
  } finally {
    await s.close();
  }
});

test("a million tool calls in a 256 MB heap: claude's exit status, the session stored, the spans over the cap counted", { timeout: LONG }, async () => {
  const s = await startScenario([], { protocol: 'grpc' });
  try {
    const fake = await writeManyToolsClaude(s.sandbox.home, 1_000_000);
    // A heap too small for what a million calls would hold: growth without bound fails here.
    const run = await wrapper(s, ['-p', 'go'], {
      CLAUDE_OTEL_CLAUDE_BIN: fake,
      NODE_OPTIONS: '--max-old-space-size=256',
      OTEL_METRICS_EXPORTER: 'otlp',
      CLAUDE_OTEL_FLUSH_TIMEOUT_MS: '300000',
    });
    assert.equal(run.exitCode, 0, run.stderr.slice(-2000));
    assert.equal(run.stdout.toString(), 'All done.\n');
    const [runDir] = readdirSync(join(s.stateDir, 'sessions')).map((d) => join(s.stateDir, 'sessions', d));
    assert.ok(runDir && existsSync(join(runDir, 'meta.json')) && existsSync(join(runDir, 'chunk-0001.json')), 'the session is stored');
    const root = await waitForSession(s.receiver);
    const kept = s.receiver.spans.length;
    assert.ok(kept < 20_000, `${kept} spans kept`);
    // Each call is a model call and a tool call: two spans.
    assert.equal(kept + intAttr(root, 'claude.spans.dropped'), 2_000_003);
    assert.ok(intAttr(root, 'claude.logs.dropped') > 0);
    // The metrics count every call.
    const calls = s.receiver.metrics.find((m) => m.name === 'claude.tool.calls');
    assert.equal(
      calls?.dataPoints.reduce((n, p) => n + (p.value ?? 0), 0),
      1_000_000,
    );
  } finally {
    await s.close();
  }
});
