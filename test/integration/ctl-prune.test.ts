import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { CTL_BIN, startScenario } from '../support/scenario.ts';
import { makeSandbox, runCommand } from '../support/claude-run.ts';
import type { RunResult, Sandbox } from '../support/claude-run.ts';
import { sessionMeta } from '../support/session-meta.ts';
import { RunStore } from '../../src/store/local-store.ts';
import { markChunkDelivered } from '../../src/store/flush-protocol.ts';
import { PRUNE_STAMP_FILE, pruneStore } from '../../src/store/retention.ts';

// Store retention: old runs go (delivered or not), then the oldest delivered runs while the
// store is over its size; runs the collector never accepted stay unless they are too old.

const DAY_MS = 86_400_000;
const MB = 1024 * 1024;

interface RunSpec {
  runId: string;
  ageDays: number;
  bytes: number;
  delivered: boolean;
  /** False: no meta.json, as while the wrapper is still writing. */
  finished?: boolean;
}

function makeRun(stateDir: string, spec: RunSpec): string {
  const store = new RunStore(stateDir, spec.runId);
  const chunk = store.writeChunk({ traces: { resourceSpans: [] }, logs: { padding: 'x'.repeat(spec.bytes) } });
  if (spec.delivered) markChunkDelivered(store.dir, chunk);
  if (spec.finished !== false) store.writeMeta(sessionMeta({ runId: spec.runId, sessionId: 's' }));
  const when = new Date(Date.now() - spec.ageDays * DAY_MS);
  for (const file of readdirSync(store.dir)) utimesSync(join(store.dir, file), when, when);
  return store.dir;
}

function runsIn(stateDir: string): string[] {
  const root = join(stateDir, 'sessions');
  return existsSync(root) ? readdirSync(root).sort() : [];
}

async function withStore(
  body: (sandbox: Sandbox, stateDir: string, prune: (args?: string[], env?: Record<string, string | undefined>) => Promise<RunResult>) => Promise<void>,
): Promise<void> {
  const sandbox = await makeSandbox({ apiUrl: 'http://127.0.0.1:9' });
  const stateDir = join(sandbox.home, 'state');
  const prune = (args: string[] = [], env: Record<string, string | undefined> = {}) =>
    runCommand(CTL_BIN, ['prune', ...args], { sandbox, env: { CLAUDE_OTEL_STATE_DIR: stateDir, ...env } });
  try {
    await body(sandbox, stateDir, prune);
  } finally {
    await sandbox.cleanup();
  }
}

test('runs over the age limit go, delivered or not; younger undelivered runs stay', async () => {
  await withStore(async (_sandbox, stateDir, prune) => {
    makeRun(stateDir, { runId: 'a-old-delivered', ageDays: 40, bytes: 1000, delivered: true });
    makeRun(stateDir, { runId: 'b-old-undelivered', ageDays: 31, bytes: 1000, delivered: false });
    makeRun(stateDir, { runId: 'c-recent-undelivered', ageDays: 5, bytes: 1000, delivered: false });
    makeRun(stateDir, { runId: 'd-recent-delivered', ageDays: 1, bytes: 1000, delivered: true });

    const dry = await prune(['--dry-run']);
    assert.equal(dry.exitCode, 0, dry.stderr);
    assert.match(dry.stdout.toString(), /would remove a-old-delivered \(0\.0 MB\): 40 days old \(limit 30 days\)\n/);
    assert.match(dry.stdout.toString(), /would remove b-old-undelivered \(0\.0 MB\): 31 days old \(limit 30 days\), never delivered\n/);
    assert.match(dry.stdout.toString(), /would remove 2 runs/);
    assert.equal(runsIn(stateDir).length, 4, 'a dry run removes nothing');
    assert.ok(!existsSync(join(stateDir, PRUNE_STAMP_FILE)));

    const run = await prune();
    assert.equal(run.exitCode, 0, run.stderr);
    assert.match(run.stdout.toString(), /^removed a-old-delivered/m);
    assert.match(run.stdout.toString(), /removed 2 runs \(0\.0 MB\); 2 left/);
    assert.deepEqual(runsIn(stateDir), ['c-recent-undelivered', 'd-recent-delivered']);
    assert.ok(existsSync(join(stateDir, PRUNE_STAMP_FILE)));

    // CLAUDE_OTEL_STORE_MAX_AGE_DAYS, and --max-age-days over it.
    const env = await prune([], { CLAUDE_OTEL_STORE_MAX_AGE_DAYS: '2' });
    assert.match(env.stdout.toString(), /removed c-recent-undelivered \(0\.0 MB\): 5 days old \(limit 2 days\), never delivered/);
    assert.deepEqual(runsIn(stateDir), ['d-recent-delivered']);
    const flag = await prune(['--max-age-days', '0.5', '--json'], { CLAUDE_OTEL_STORE_MAX_AGE_DAYS: '30' });
    const report = JSON.parse(flag.stdout.toString()) as {
      removed: { runId: string; reason: string; delivered: boolean }[];
      settings: { maxAgeDays: number; maxMb: number };
    };
    assert.deepEqual(
      report.removed.map((r) => [r.runId, r.reason, r.delivered]),
      [['d-recent-delivered', 'age', true]],
    );
    assert.deepEqual(report.settings, { maxAgeDays: 0.5, maxMb: 200 });
    assert.deepEqual(runsIn(stateDir), []);

    const empty = await prune();
    assert.equal(empty.stdout.toString(), 'nothing to prune: 0 runs, 0.0 MB (limits: 30 days, 200 MB)\n');
  });
});

test('over the size limit the oldest delivered runs go first; undelivered and unfinished runs stay', async () => {
  await withStore(async (_sandbox, stateDir, prune) => {
    makeRun(stateDir, { runId: 'r1-undelivered', ageDays: 9, bytes: 0.6 * MB, delivered: false });
    makeRun(stateDir, { runId: 'r2-delivered', ageDays: 8, bytes: 0.6 * MB, delivered: true });
    makeRun(stateDir, { runId: 'r3-unfinished', ageDays: 7, bytes: 0.6 * MB, delivered: true, finished: false });
    makeRun(stateDir, { runId: 'r4-delivered', ageDays: 6, bytes: 0.6 * MB, delivered: true });
    makeRun(stateDir, { runId: 'r5-delivered', ageDays: 5, bytes: 0.6 * MB, delivered: true });

    const run = await prune(['--max-mb', '1.5']);
    const out = run.stdout.toString();
    assert.equal(run.exitCode, 0, run.stderr);
    // 3.0 MB → without r2 2.4 → without r4 1.8 → without r5 1.2: the newest delivered run went last.
    assert.match(out, /removed r2-delivered \(0\.6 MB\): delivered, store over 1\.5 MB\n/);
    assert.match(out, /removed r4-delivered/);
    assert.match(out, /removed r5-delivered/);
    assert.deepEqual(runsIn(stateDir), ['r1-undelivered', 'r3-unfinished']);
    assert.match(out, /removed 3 runs \(1\.8 MB\); 2 left \(1\.2 MB; limits: 30 days, 1\.5 MB\)/);

    const tight = await prune([], { CLAUDE_OTEL_STORE_MAX_MB: '0' });
    assert.match(tight.stdout.toString(), /nothing to prune: 2 runs, 1\.2 MB/);
    assert.match(tight.stdout.toString(), /1 undelivered run \(0\.6 MB\) keep the store over 0 MB: run claude-otel-ctl replay, or lower --max-age-days/);
    assert.deepEqual(runsIn(stateDir), ['r1-undelivered', 'r3-unfinished']);
  });
});

test('a run being replayed is left alone, even when too old', async () => {
  await withStore(async (_sandbox, stateDir, prune) => {
    const dir = makeRun(stateDir, { runId: 'old-being-replayed', ageDays: 90, bytes: 10, delivered: false });
    mkdirSync(join(dir, 'replay.lock'));
    const run = await prune();
    assert.match(run.stdout.toString(), /nothing to prune: 1 run/);
    assert.deepEqual(runsIn(stateDir), ['old-being-replayed']);
  });
});

test('bad limits: a usage error for options (exit 2), a warning and the default for settings', async () => {
  await withStore(async (_sandbox, stateDir, prune) => {
    makeRun(stateDir, { runId: 'keep-me', ageDays: 3, bytes: 10, delivered: true });
    const bad = await prune(['--max-mb', '-1']);
    assert.equal(bad.exitCode, 2);
    assert.equal(bad.stderr, 'claude-otel-ctl: --max-mb "-1": expected a number of megabytes, 0 or more\n');
    const unknown = await prune(['--max-size', '3']);
    assert.equal(unknown.exitCode, 2);
    assert.match(unknown.stderr, /^claude-otel-ctl: unknown option '--max-size'\n$/);

    const warned = await prune([], { CLAUDE_OTEL_STORE_MAX_AGE_DAYS: 'forever' });
    assert.equal(warned.exitCode, 0);
    assert.equal(warned.stderr, 'claude-otel-ctl: warning: CLAUDE_OTEL_STORE_MAX_AGE_DAYS=forever is not a number of days (0 or more); using 30\n');
    assert.deepEqual(runsIn(stateDir), ['keep-me']);
  });
});

test('pruneStore for the wrapper runs at most once an hour', async () => {
  await withStore(async (_sandbox, stateDir) => {
    makeRun(stateDir, { runId: 'ancient', ageDays: 100, bytes: 10, delivered: true });
    const settings = { maxAgeDays: 30, maxMb: 200 };
    const first = pruneStore({ stateDir, settings, atMostHourly: true });
    assert.equal(first.ran, true);
    assert.deepEqual(
      first.removed.map((r) => r.runId),
      ['ancient'],
    );

    makeRun(stateDir, { runId: 'ancient-2', ageDays: 100, bytes: 10, delivered: true });
    assert.equal(pruneStore({ stateDir, settings, atMostHourly: true }).ran, false, 'pruned less than an hour ago');
    assert.deepEqual(runsIn(stateDir), ['ancient-2']);

    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    utimesSync(join(stateDir, PRUNE_STAMP_FILE), twoHoursAgo, twoHoursAgo);
    const later = pruneStore({ stateDir, settings, atMostHourly: true, excludeRunIds: [] });
    assert.equal(later.ran, true);
    assert.deepEqual(runsIn(stateDir), []);
  });
});

test('a real recorded session is pruned once it is too old', async () => {
  const s = await startScenario([{ kind: 'text', text: 'hello' }]);
  try {
    const run = await s.wrapper(['-p', 'hi']);
    assert.equal(run.exitCode, 0, run.stderr);
    const [runId] = runsIn(s.stateDir);
    assert.ok(runId);
    const dir = join(s.stateDir, 'sessions', runId);
    assert.ok(existsSync(join(dir, 'chunk-0001.delivered')));
    const kept = await runCommand(CTL_BIN, ['prune'], { sandbox: s.sandbox, env: s.env() });
    assert.match(kept.stdout.toString(), /nothing to prune: 1 run/);
    const old = new Date(Date.now() - 31 * DAY_MS);
    for (const file of readdirSync(dir)) utimesSync(join(dir, file), old, old);
    const pruned = await runCommand(CTL_BIN, ['prune'], { sandbox: s.sandbox, env: s.env() });
    assert.match(pruned.stdout.toString(), new RegExp(`removed ${runId} \\(\\d+\\.\\d MB\\): 31 days old \\(limit 30 days\\)\\n`));
    assert.deepEqual(runsIn(s.stateDir), []);
  } finally {
    await s.close();
  }
});
