import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { mkdir, readdir, readFile, utimes } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { startScenario, intAttr, ALLOW_TOOLS, CTL_BIN, CLAUDE_CLI_VERSION } from '../support/scenario.ts';
import type { Scenario } from '../support/scenario.ts';
import { runCommand } from '../support/claude-run.ts';
import type { RunResult } from '../support/claude-run.ts';
import { closedPort } from '../support/otlp-receiver.ts';
import { once } from '../support/once.ts';

// Sessions recorded while the collector was down reach it later with `claude-otel-ctl replay`:
// whole, over either protocol, and never twice.

function script() {
  return [
    { kind: 'tools' as const, tools: [{ name: 'Bash', input: { command: 'echo replay me' } }] },
    { kind: 'text' as const, text: 'Recorded offline.' },
  ];
}

interface StoredCounts {
  spans: number;
  logs: number;
  metrics: number;
}

type Json = Record<string, unknown>;

function items(request: unknown, resourceKey: string, scopeKey: string, itemKey: string): unknown[] {
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const get = (v: unknown, k: string): unknown => (typeof v === 'object' && v !== null ? (v as Json)[k] : undefined);
  return list(get(request, resourceKey)).flatMap((r) => list(get(r, scopeKey)).flatMap((s) => list(get(s, itemKey))));
}

async function runDirs(s: Scenario): Promise<string[]> {
  const root = join(s.stateDir, 'sessions');
  return (await readdir(root)).sort().map((run) => join(root, run));
}

async function storedCounts(runDir: string): Promise<StoredCounts> {
  const chunk = JSON.parse(await readFile(join(runDir, 'chunk-0001.json'), 'utf8')) as Json;
  return {
    spans: items(chunk.traces, 'resourceSpans', 'scopeSpans', 'spans').length,
    logs: items(chunk.logs, 'resourceLogs', 'scopeLogs', 'logRecords').length,
    metrics: items(chunk.metrics, 'resourceMetrics', 'scopeMetrics', 'metrics').length,
  };
}

interface Recorded {
  /** Recorded with OTEL_METRICS_EXPORTER=otlp: spans, log records and metrics. */
  full: string;
  /** Recorded with the default exporters: spans and log records. */
  plain: [string, string];
}

let recorder: Scenario | undefined;

/**
 * Print-mode sessions recorded once with the collector down, as run dirs of a store nothing
 * replays: each test replays copies of the ones it needs (see copyRuns). The full one also shows
 * claude's output and exit code as without the wrapper.
 */
const recorded = once(async (): Promise<Recorded> => {
  const s = await startScenario([...script(), ...script(), ...script(), ...script()]);
  recorder = s;
  const down = `http://127.0.0.1:${await closedPort()}`;
  const known = new Set<string>();
  const record = async (prompt: string, env: Record<string, string>) => {
    const run = await s.wrapper(['-p', prompt, ...ALLOW_TOOLS], { env: { OTEL_EXPORTER_OTLP_ENDPOINT: down, ...env } });
    const added = (await runDirs(s)).filter((dir) => !known.has(dir));
    assert.equal(added.length, 1, `one run dir for "${prompt}"`);
    const [dir = ''] = added;
    known.add(dir);
    return { run, dir };
  };

  const bare = await s.claude(['-p', 'record this', ...ALLOW_TOOLS]);
  const full = await record('record this', { OTEL_METRICS_EXPORTER: 'otlp', CLAUDE_OTEL_FLUSH_TIMEOUT_MS: '1000' });
  assert.equal(full.run.exitCode, bare.exitCode);
  assert.equal(full.run.stdout.toString(), bare.stdout.toString());
  assert.equal(full.run.stdout.toString(), 'Recorded offline.\n');
  assert.equal(full.run.stderr, '');
  const plain = [await record('session 1', {}), await record('session 2', {})] as const;
  for (const { run } of plain) assert.equal(run.exitCode, 0, run.stderr);
  assert.equal(s.receiver.requests.length, 0, 'nothing reached a collector');
  return { full: full.dir, plain: [plain[0].dir, plain[1].dir] };
});

after(async () => {
  await recorder?.close();
});

/** Copies recorded runs into the scenario's store, for the test to replay and mark; their run dirs there. */
function copyRuns(s: Scenario, runs: string[]): string[] {
  const root = join(s.stateDir, 'sessions');
  mkdirSync(root, { recursive: true, mode: 0o700 });
  return runs.map((run) => {
    const dir = join(root, basename(run));
    cpSync(run, dir, { recursive: true });
    return dir;
  });
}

function replay(s: Scenario, args: string[] = [], env: Record<string, string | undefined> = {}): Promise<RunResult> {
  return runCommand(CTL_BIN, ['replay', ...args], { sandbox: s.sandbox, env: s.env({ OTEL_METRICS_EXPORTER: 'otlp', ...env }) });
}

function requestCount(s: Scenario): number {
  return s.receiver.requests.length;
}

for (const protocol of ['grpc', 'http/protobuf'] as const) {
  test(`a session recorded with the collector down is delivered whole by replay (${protocol}), once`, async () => {
    const { full } = await recorded();
    const s = await startScenario([], { protocol });
    try {
      const [runDir] = copyRuns(s, [full]);
      assert.ok(runDir);
      const runId = runDir.split('/').pop() ?? '';
      assert.ok(existsSync(join(runDir, 'chunk-0001.json')));
      assert.ok(!existsSync(join(runDir, 'chunk-0001.delivered')), 'undelivered while the collector was down');
      const stored = await storedCounts(runDir);
      assert.ok(stored.spans > 0 && stored.logs > 0 && stored.metrics > 0, 'all three signals stored');
      assert.equal(requestCount(s), 0);

      const first = await replay(s);
      const out = first.stdout.toString();
      assert.equal(first.exitCode, 0, out + first.stderr);
      assert.equal(first.stderr, '');
      assert.match(out, new RegExp(`^replaying 1 chunk: traces → ${s.receiver.endpoint}\\S* \\(${protocol}\\)`));
      assert.match(out, new RegExp(`delivered ${runId}/chunk-0001: ${stored.spans} spans, ${stored.logs} log records, ${stored.metrics} metrics`));
      assert.match(out, /delivered 1 of 1 pending chunk\n$/);
      assert.ok(existsSync(join(runDir, 'chunk-0001.delivered')));

      // The whole session, as if it had been sent live.
      assert.equal(s.receiver.spans.length, stored.spans);
      assert.equal(s.receiver.logs.length, stored.logs);
      assert.equal(s.receiver.metrics.length, stored.metrics);
      const root = s.receiver.spans.find((span) => span.name === 'claude.session');
      assert.ok(root, 'the session span arrived');
      assert.equal(root.attributes['claude.mode'], 'print');
      assert.equal(root.attributes['claude.version'], CLAUDE_CLI_VERSION);
      assert.match(String(root.attributes['session.id']), /^[0-9a-f-]{36}$/);
      assert.equal(intAttr(root, 'claude.tool_count'), 1);
      assert.equal(intAttr(root, 'process.exit.code'), 0);
      assert.equal(root.attributes['claude.result.subtype'], 'success');
      assert.equal(root.resource['service.name'], 'claude-otel');
      assert.ok(root.endTimeUnixNano > root.startTimeUnixNano);
      assert.ok(
        s.receiver.spans.every((span) => span.traceId === root.traceId),
        'one trace',
      );
      assert.ok(s.receiver.spans.some((span) => span.name === 'execute_tool Bash' && span.attributes['claude.tool.input_summary'] === 'echo replay me'));
      const names = new Set(s.receiver.logs.map((l) => l.eventName));
      for (const name of ['claude.session.start', 'claude.tool.start', 'claude.tool.end', 'claude.session.end']) assert.ok(names.has(name), name);
      assert.ok(s.receiver.logs.every((l) => l.traceId === root.traceId));
      const sessions = s.receiver.metrics.find((m) => m.name === 'claude.session.count');
      assert.equal(sessions?.type, 'sum');
      assert.equal(sessions?.dataPoints[0]?.value, 1);
      assert.equal(s.receiver.metrics.find((m) => m.name === 'claude.session.duration')?.type, 'histogram');

      // Again: nothing left, nothing sent.
      const before = requestCount(s);
      const second = await replay(s);
      assert.equal(second.exitCode, 0);
      assert.equal(second.stdout.toString(), 'nothing to replay\n');
      assert.equal(requestCount(s), before);
      assert.equal(s.receiver.spans.length, stored.spans);
    } finally {
      await s.close();
    }
  });
}

test('two replays at once deliver every chunk exactly once', async () => {
  const { full, plain } = await recorded();
  const s = await startScenario([]);
  try {
    copyRuns(s, [full, ...plain]);
    const dirs = await runDirs(s);
    assert.equal(dirs.length, 3);
    let expected = 0;
    for (const dir of dirs) expected += (await storedCounts(dir)).spans;

    const [a, b] = await Promise.all([replay(s, ['--json']), replay(s, ['--json'])]);
    assert.equal(a.exitCode, 0, a.stdout.toString() + a.stderr);
    assert.equal(b.exitCode, 0, b.stdout.toString() + b.stderr);
    const delivered = (r: RunResult) =>
      (JSON.parse(r.stdout.toString()) as { delivered: { runId: string; chunk: string }[] }).delivered.map((d) => `${d.runId}/${d.chunk}`);
    const both = [...delivered(a), ...delivered(b)];
    assert.equal(both.length, 3, `each chunk delivered by one replay: ${both.join(', ')}`);
    assert.equal(new Set(both).size, 3);
    for (const dir of dirs) assert.ok(existsSync(join(dir, 'chunk-0001.delivered')));
    for (const dir of dirs) assert.ok(!existsSync(join(dir, 'replay.lock')), 'locks released');

    assert.equal(s.receiver.spans.length, expected);
    assert.equal(new Set(s.receiver.spans.map((span) => span.spanId)).size, expected, 'no span twice');
    assert.equal(s.receiver.spans.filter((span) => span.name === 'claude.session').length, 3);
  } finally {
    await s.close();
  }
});

test('a run another replay holds is skipped; its lock is taken over once stale (10 minutes)', async () => {
  const { plain } = await recorded();
  const s = await startScenario([]);
  try {
    const [runDir] = copyRuns(s, [plain[0]]);
    assert.ok(runDir);
    const lock = join(runDir, 'replay.lock');
    await mkdir(lock);

    const held = await replay(s);
    assert.equal(held.exitCode, 0, held.stdout.toString());
    assert.match(held.stdout.toString(), /skipped \S+ \(1 chunk\): another replay is delivering it/);
    assert.equal(requestCount(s), 0);

    const elevenMinutesAgo = new Date(Date.now() - 11 * 60_000);
    await utimes(lock, elevenMinutesAgo, elevenMinutesAgo);
    const taken = await replay(s);
    assert.equal(taken.exitCode, 0, taken.stdout.toString());
    assert.match(taken.stdout.toString(), /delivered 1 of 1 pending chunk/);
    assert.ok(s.receiver.spans.some((span) => span.name === 'claude.session'));
    assert.ok(!existsSync(lock));
  } finally {
    await s.close();
  }
});

test('collector still down: exit 1 naming the endpoint and the reason; a signal accepted once is not sent again', async () => {
  const { plain } = await recorded();
  const s = await startScenario([]);
  try {
    const down = `http://127.0.0.1:${await closedPort()}`;
    const [runDir] = copyRuns(s, [plain[0]]);
    assert.ok(runDir);

    const failed = await replay(s, [], { OTEL_EXPORTER_OTLP_ENDPOINT: down, OTEL_METRICS_EXPORTER: 'none' });
    assert.equal(failed.exitCode, 1);
    assert.match(failed.stdout.toString(), new RegExp(`not delivered \\S+/chunk-0001: traces to ${down}: connection refused`));
    assert.match(failed.stdout.toString(), /delivered 0 of 1 pending chunk; 1 could not be delivered/);
    assert.ok(!existsSync(join(runDir, 'chunk-0001.delivered')));

    // Traces reach the collector, logs do not: only traces are marked.
    const partial = await replay(s, ['--json'], { OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: down, OTEL_METRICS_EXPORTER: 'none' });
    assert.equal(partial.exitCode, 1);
    const report = JSON.parse(partial.stdout.toString()) as {
      ok: boolean;
      failed: { reason: string; signals: { signal: string; endpoint: string; kind: string }[] }[];
    };
    assert.equal(report.ok, false);
    assert.deepEqual(
      report.failed[0]?.signals.map((f) => [f.signal, f.endpoint, f.kind]),
      [['logs', down, 'refused']],
    );
    assert.ok(existsSync(join(runDir, 'chunk-0001.traces.delivered')));
    assert.ok(!existsSync(join(runDir, 'chunk-0001.delivered')));
    const spans = s.receiver.spans.length;
    assert.ok(spans > 0);
    assert.equal(s.receiver.logs.length, 0);

    // Logs can go now: they are sent, the spans are not sent again.
    const rest = await replay(s, [], { OTEL_METRICS_EXPORTER: 'none' });
    assert.equal(rest.exitCode, 0, rest.stdout.toString());
    assert.match(rest.stdout.toString(), /delivered \S+\/chunk-0001: \d+ log records\n/);
    assert.equal(s.receiver.spans.length, spans);
    assert.ok(s.receiver.logs.length > 0);
    assert.ok(existsSync(join(runDir, 'chunk-0001.delivered')));
  } finally {
    await s.close();
  }
});
