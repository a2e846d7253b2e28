import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startScenario, spansNamed, waitForSession, WRAPPER_BIN } from '../support/scenario.ts';
import type { Scenario } from '../support/scenario.ts';
import { runCommand } from '../support/claude-run.ts';
import type { RunResult } from '../support/claude-run.ts';
import { writeManyToolsClaude } from '../support/many-tools-claude.ts';

// Claude here is a script in its place, so these run against one CLI only (scripts/test-matrix.ts).
// A session bigger than one request may carry goes out as several smaller requests. A script in
// claude's place writes a recorded session's tool call again and again (many-tools-claude.ts).
// The sessions too big for the collector's limit or the wrapper's memory are in test/volume/.

const LONG = 900_000;

function wrapper(s: Scenario, args: string[], env: Record<string, string | undefined>): Promise<RunResult> {
  return runCommand(WRAPPER_BIN, args, { sandbox: s.sandbox, env: s.env(env), timeoutMs: LONG });
}

const toolSpans = (s: Scenario) => spansNamed(s.receiver.spans, 'execute_tool').length;
const traceRequests = (s: Scenario) => s.receiver.requests.filter((r) => r.signal === 'traces').length;

for (const protocol of ['grpc', 'http/json'] as const) {
  test(`CLAUDE_OTEL_EXPORT_MAX_BYTES cuts requests smaller (${protocol})`, { timeout: LONG }, async () => {
    const s = await startScenario([], { protocol });
    try {
      const fake = await writeManyToolsClaude(s.sandbox.home, 2000);
      const live = await wrapper(s, ['-p', 'go'], {
        CLAUDE_OTEL_CLAUDE_BIN: fake,
        CLAUDE_OTEL_EXPORT_MAX_BYTES: '300000',
        CLAUDE_OTEL_FLUSH_TIMEOUT_MS: '300000',
      });
      assert.equal(live.exitCode, 0, live.stderr);
      await waitForSession(s.receiver);
      assert.equal(toolSpans(s), 2000);
      for (const request of s.receiver.requests) assert.ok((request.body?.length ?? 0) <= 300_000, `a request of ${request.body?.length} bytes`);
      assert.ok(traceRequests(s) > 4);
    } finally {
      await s.close();
    }
  });
}
