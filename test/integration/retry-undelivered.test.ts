import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startScenario, ALLOW_TOOLS, CTL_BIN } from '../support/scenario.ts';
import type { Scenario } from '../support/scenario.ts';
import { runCommand } from '../support/claude-run.ts';
import { closedPort } from '../support/otlp-receiver.ts';
import { sessionMeta } from '../support/session-meta.ts';
import { RunStore } from '../../src/store/local-store.ts';

// A session recorded while the collector was down reaches it with a later run, once the
// collector answers again, without anyone running `claude-otel-ctl replay`.

function script(answer: string) {
  return [
    { kind: 'tools' as const, tools: [{ name: 'Bash', input: { command: `echo ${answer}` } }] },
    { kind: 'text' as const, text: answer },
  ];
}

async function runDirs(s: Scenario): Promise<string[]> {
  const root = join(s.stateDir, 'sessions');
  return (await readdir(root)).sort().map((run) => join(root, run));
}

async function storedSpanCount(runDir: string): Promise<number> {
  const chunk = JSON.parse(await readFile(join(runDir, 'chunk-0001.json'), 'utf8')) as { traces: { resourceSpans: { scopeSpans: { spans: unknown[] }[] }[] } };
  return chunk.traces.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((sc) => sc.spans)).length;
}

function sessionIds(s: Scenario): string[] {
  return s.receiver.spans.filter((x) => x.name === 'claude.session').map((x) => String(x.attributes['session.id']));
}

test('a later run sends the session the collector missed, once; CLAUDE_OTEL_RETRY_UNDELIVERED=off leaves it to replay', async () => {
  const s = await startScenario([...script('offline'), ...script('retry off'), ...script('retry on')]);
  const mark = join(s.stateDir, 'undelivered');
  try {
    const down = `http://127.0.0.1:${await closedPort()}`;
    const offline = await s.wrapper(['-p', 'one', ...ALLOW_TOOLS], { env: { OTEL_EXPORTER_OTLP_ENDPOINT: down, CLAUDE_OTEL_FLUSH_TIMEOUT_MS: '1000' } });
    assert.equal(offline.exitCode, 0, offline.stderr);
    assert.equal(offline.stdout.toString(), 'offline\n');
    const [missed] = await runDirs(s);
    assert.ok(missed);
    assert.ok(!existsSync(join(missed, 'chunk-0001.delivered')));
    assert.ok(existsSync(mark), 'the store is marked as holding undelivered sessions');
    const missedSpans = await storedSpanCount(missed);

    const off = await s.wrapper(['-p', 'two', ...ALLOW_TOOLS], { env: { CLAUDE_OTEL_RETRY_UNDELIVERED: 'off' } });
    assert.equal(off.exitCode, 0, off.stderr);
    await s.receiver.waitFor((r) => r.spans.some((x) => x.name === 'claude.session'));
    assert.equal(sessionIds(s).length, 1, 'only the session that just ran');
    assert.ok(!existsSync(join(missed, 'chunk-0001.delivered')));
    assert.ok(existsSync(mark));

    const on = await s.wrapper(['-p', 'three', ...ALLOW_TOOLS]);
    assert.equal(on.exitCode, 0, on.stderr);
    assert.equal(on.stdout.toString(), 'retry on\n');
    assert.equal(on.stderr, '');
    await s.receiver.waitFor((r) => r.spans.filter((x) => x.name === 'claude.session').length === 3);
    assert.equal(new Set(sessionIds(s)).size, 3, 'three different sessions');
    const meta = JSON.parse(await readFile(join(missed, 'meta.json'), 'utf8')) as { traceId: string };
    const arrived = s.receiver.spans.filter((x) => x.traceId === meta.traceId);
    assert.equal(arrived.length, missedSpans, 'the missed session arrived whole');
    assert.ok(existsSync(join(missed, 'chunk-0001.delivered')));
    assert.ok(!existsSync(mark), 'nothing left to send: the mark is gone');

    // Nothing is sent twice: not by a replay, not by the next run.
    const requests = s.receiver.requests.length;
    const replay = await runCommand(CTL_BIN, ['replay'], { sandbox: s.sandbox, env: s.env() });
    assert.equal(replay.stdout.toString(), 'nothing to replay\n');
    assert.equal(s.receiver.requests.length, requests);
    assert.equal(s.receiver.spans.filter((x) => x.traceId === meta.traceId).length, missedSpans);
  } finally {
    await s.close();
  }
});

test('a chunk over 4 MB (a long session) is left for claude-otel-ctl replay, and the store stays marked', async () => {
  const s = await startScenario(script('small run'));
  const mark = join(s.stateDir, 'undelivered');
  try {
    // Written as the wrapper writes a session; never read by the retry, so its content does not matter.
    const store = new RunStore(s.stateDir, '20260101T000000Z-1-aaaaaa');
    const chunk = store.writeChunk({ traces: { resourceSpans: [] }, logs: { padding: 'x'.repeat(5 * 1024 * 1024) } });
    store.writeMeta(sessionMeta({ runId: store.runId, sessionId: 'long' }));
    await writeFile(mark, '');

    const run = await s.wrapper(['-p', 'go', ...ALLOW_TOOLS]);
    assert.equal(run.exitCode, 0, run.stderr);
    await s.receiver.waitFor((r) => r.spans.some((x) => x.name === 'claude.session'));
    assert.ok(!existsSync(join(store.dir, `${chunk}.delivered`)));
    assert.ok(existsSync(mark), 'still marked: something is left to send');
    const log = existsSync(join(s.stateDir, 'claude-otel.log')) ? await readFile(join(s.stateDir, 'claude-otel.log'), 'utf8') : '';
    assert.doesNotMatch(log, /replay of/, 'the big chunk was not tried');
  } finally {
    await s.close();
  }
});
