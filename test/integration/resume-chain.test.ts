import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startScenario, CTL_BIN } from '../support/scenario.ts';
import type { Scenario } from '../support/scenario.ts';
import { runCommand } from '../support/claude-run.ts';
import type { RunResult } from '../support/claude-run.ts';
import type { ReceivedSpan } from '../support/otlp-receiver.ts';

// Resumed, continued and forked sessions in print mode: each run is its own process and trace;
// the new session span names the session it continues and links to its earlier run's root span,
// as the local store recorded it.

interface StoredMeta {
  runId: string;
  sessionId: string;
  traceId: string;
  spanId?: string;
  resumedFrom?: string;
}

function sessionIdOf(stdout: Buffer): string {
  return (JSON.parse(stdout.toString()) as { session_id: string }).session_id;
}

async function rootsAfter(s: Scenario, count: number): Promise<ReceivedSpan[]> {
  await s.receiver.waitFor((r) => r.spans.filter((x) => x.name === 'claude.session').length === count, 20_000);
  return s.receiver.spans.filter((x) => x.name === 'claude.session').sort((a, b) => Number(a.startTimeUnixNano - b.startTimeUnixNano));
}

/** meta.json of every stored run, oldest first. */
function storedMetas(stateDir: string): StoredMeta[] {
  const root = join(stateDir, 'sessions');
  return readdirSync(root)
    .sort()
    .map((run) => JSON.parse(readFileSync(join(root, run, 'meta.json'), 'utf8')) as StoredMeta);
}

async function wrapped(s: Scenario, args: string[]): Promise<string> {
  const run = await s.wrapper(['-p', ...args, '--output-format', 'json']);
  assert.equal(run.exitCode, 0, run.stderr);
  return sessionIdOf(run.stdout);
}

function ctl(s: Scenario, args: string[]): Promise<RunResult> {
  return runCommand(CTL_BIN, args, { sandbox: s.sandbox, env: { CLAUDE_OTEL_STATE_DIR: s.stateDir, NO_COLOR: '1' } });
}

test('--resume <id>, --fork-session, then --continue: resumed_from and a link to the earlier run’s root span as stored; ctl shows the chain', async () => {
  const s = await startScenario([
    { kind: 'text', text: 'Noted: blue.' },
    { kind: 'text', text: 'You said blue.' },
    { kind: 'text', text: 'Forked: blue.' },
    { kind: 'text', text: 'Continued.' },
  ]);
  try {
    const id = await wrapped(s, ['my colour is blue']);
    const [first] = await rootsAfter(s, 1);
    assert.ok(first);
    assert.equal(first.attributes['claude.session.resumed_from'], undefined, 'a new session resumes nothing');
    assert.deepEqual(first.links, []);

    assert.equal(await wrapped(s, ['--resume', id, 'what is my colour?']), id, 'a plain resume keeps the session id');
    const [, second] = await rootsAfter(s, 2);
    assert.ok(second);
    assert.equal(second.attributes['session.id'], id);
    assert.equal(second.attributes['claude.session.resumed_from'], id);
    assert.notEqual(second.traceId, first.traceId, 'each run is its own trace');
    // The link points at the earlier run's root span as the store recorded it.
    const [meta1] = storedMetas(s.stateDir);
    assert.equal(meta1?.sessionId, id);
    assert.equal(meta1?.spanId, first.spanId);
    assert.equal(meta1?.traceId, first.traceId);
    assert.deepEqual(second.links, [{ traceId: first.traceId, spanId: first.spanId, attributes: { 'claude.link.type': 'resumes' } }]);

    const forkId = await wrapped(s, ['--resume', id, '--fork-session', 'and now?']);
    assert.notEqual(forkId, id, 'a fork gets a new id');
    const [, , third] = await rootsAfter(s, 3);
    assert.ok(third);
    assert.equal(third.attributes['session.id'], forkId);
    assert.equal(third.attributes['claude.session.resumed_from'], id);
    // The latest earlier run of the forked session: the resumed one.
    assert.deepEqual(third.links, [{ traceId: second.traceId, spanId: second.spanId, attributes: { 'claude.link.type': 'resumes' } }]);

    const metas = storedMetas(s.stateDir);
    assert.deepEqual(
      metas.map((m) => m.resumedFrom),
      [undefined, id, id],
    );
    const [run1, run2, run3] = metas.map((m) => m.runId);

    const listed = await ctl(s, ['sessions', '--wide']);
    assert.equal(listed.exitCode, 0, listed.stderr);
    const rows = listed.stdout.toString().split('\n');
    assert.equal(rows.filter((r) => r.includes('print, resumed')).length, 2, listed.stdout.toString());
    assert.ok(rows.some((r) => r.includes(forkId) && r.includes('print, resumed')));
    const json = JSON.parse((await ctl(s, ['sessions', '--json'])).stdout.toString()) as { runId: string; resumedFrom: string | null }[];
    assert.deepEqual(Object.fromEntries(json.map((x) => [x.runId, x.resumedFrom])), { [run1 ?? '']: null, [run2 ?? '']: id, [run3 ?? '']: id });

    // Wide enough that the header's chain line is not wrapped.
    const shown = await ctl(s, ['show', run3 ?? '', '--width', '300']);
    assert.equal(shown.exitCode, 0, shown.stderr);
    const short = id.slice(0, 8);
    const chainLine = shown.stdout
      .toString()
      .split('\n')
      .find((l) => l.startsWith('resumed from '));
    assert.ok(chainLine, shown.stdout.toString());
    assert.match(chainLine, new RegExp(`^resumed from ${short} \\(run ${run2}, started [^)]+\\) ← ${short} \\(run ${run1}, started [^)]+\\)$`));
    const shownJson = JSON.parse((await ctl(s, ['show', run3 ?? '', '--json'])).stdout.toString()) as { resumeChain: { runId: string; sessionId: string }[] };
    assert.deepEqual(
      shownJson.resumeChain.map((r) => [r.runId, r.sessionId]),
      [
        [run2, id],
        [run1, id],
      ],
    );
    const original = await ctl(s, ['show', run1 ?? '']);
    assert.ok(!original.stdout.toString().includes('resumed from'), 'the first run resumed nothing');
    // The session id, or a prefix of it, names the session's newest run (as GET /api/traces/<id> does), in every command.
    for (const key of [id, short]) {
      const byId = await ctl(s, ['show', key, '--json']);
      assert.equal(byId.exitCode, 0, byId.stderr);
      assert.equal((JSON.parse(byId.stdout.toString()) as { session: { runId: string } }).session.runId, run2);
    }
    const exported = await ctl(s, ['export', id, '--otlp-json', '-']);
    assert.equal(exported.exitCode, 0, exported.stderr);
    assert.match(exported.stderr, /: 1 session, /);
    assert.ok(exported.stdout.toString().includes(metas[1]?.traceId ?? '?'), 'the newest run of the session');

    // --continue takes the directory's latest session, the fork. Last, so that the chain above is as listed.
    assert.equal(await wrapped(s, ['--continue', 'go on']), forkId);
    const [, , , fourth] = await rootsAfter(s, 4);
    assert.ok(fourth);
    assert.equal(fourth.attributes['claude.session.resumed_from'], forkId);
    assert.deepEqual(fourth.links, [{ traceId: third.traceId, spanId: third.spanId, attributes: { 'claude.link.type': 'resumes' } }]);

    // Every run made the same one call, and costs that call alone: claude 2.1.332 and later count
    // a resumed run's totals on from the earlier runs' (cost-state), which are not this run's.
    const costs = [first, second, third, fourth].map((root) => Number(root.attributes['claude.cost_usd']));
    assert.ok(
      costs.every((cost) => cost > 0 && Math.abs(cost - (costs[0] ?? 0)) < 1e-9),
      `each run's own cost: ${costs.join(', ')}`,
    );
    const chatCosts = s.receiver.spans.filter((x) => x.name.startsWith('chat ')).map((x) => Number(x.attributes['claude.cost_usd']));
    assert.deepEqual(chatCosts.length, 4);
    assert.ok(
      chatCosts.every((cost) => Math.abs(cost - (costs[0] ?? 0)) < 1e-9),
      `each call's cost: ${chatCosts.join(', ')}`,
    );
  } finally {
    await s.close();
  }
});
