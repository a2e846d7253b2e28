import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lchownSync, mkdirSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CTL_BIN, startScenario } from '../support/scenario.ts';
import type { Scenario } from '../support/scenario.ts';
import { runCommand } from '../support/claude-run.ts';
import type { RunResult } from '../support/claude-run.ts';
import type { StubStep } from '../support/anthropic-stub.ts';
import { sessionMeta } from '../support/session-meta.ts';
import { RunStore } from '../../src/store/local-store.ts';
import { markChunkDelivered } from '../../src/store/flush-protocol.ts';
import { once } from '../support/once.ts';

// The store removes only what it wrote, never through a link, and uses no state dir that is
// relative or that someone else controls; claude runs the same either way.

const DAY_MS = 86_400_000;
const OLD = new Date(Date.now() - 400 * DAY_MS);

function age(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) age(join(dir, entry.name));
    utimesSync(join(dir, entry.name), OLD, OLD);
  }
  utimesSync(dir, OLD, OLD);
}

/** A directory of someone else's files, old enough for any age limit. */
function foreignDir(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'notes.txt'), 'not the store’s');
  age(dir);
  return join(dir, 'notes.txt');
}

function ownRun(stateDir: string, runId: string): string {
  const store = new RunStore(stateDir, runId);
  markChunkDelivered(store.dir, store.writeChunk({ traces: { resourceSpans: [] } }));
  store.writeMeta(sessionMeta({ runId, sessionId: 's' }));
  age(store.dir);
  return store.dir;
}

const ANSWER: StubStep = { kind: 'text', text: 'Same as ever.' };

/** Bare claude in a scenario of its own: a refused state dir must leave the session as this. */
const bareClaude = once(async (): Promise<RunResult> => {
  const s = await startScenario([ANSWER]);
  try {
    return await s.claude(['-p', 'hi']);
  } finally {
    await s.close();
  }
});

function prune(s: Scenario, env: Record<string, string | undefined> = {}): Promise<RunResult> {
  return runCommand(CTL_BIN, ['prune'], { sandbox: s.sandbox, env: s.env(env) });
}

async function withScenario(body: (s: Scenario) => Promise<void>): Promise<void> {
  const s = await startScenario([ANSWER]);
  try {
    await body(s);
  } finally {
    await s.close();
  }
}

test('prune removes its own old runs and nothing else under sessions/, nor anything behind a link', async () => {
  await withScenario(async (s) => {
    const own = ownRun(s.stateDir, 'own-run');
    const sessions = join(s.stateDir, 'sessions');
    const photos = foreignDir(join(sessions, 'holiday-photos'));
    // A run id's name, but neither the store's marker nor a meta.json.
    const lookalike = foreignDir(join(sessions, '20200101T000000Z-1-abcdef'));
    const outside = foreignDir(join(s.sandbox.home, 'elsewhere'));
    symlinkSync(join(s.sandbox.home, 'elsewhere'), join(sessions, '20200101T000000Z-2-abcdef'));

    const run = await prune(s);
    assert.equal(run.exitCode, 0, run.stdout.toString() + run.stderr);
    assert.match(run.stdout.toString(), /removed own-run /);
    assert.match(run.stdout.toString(), /removed 1 run /);
    assert.ok(!existsSync(own));
    for (const file of [photos, lookalike, outside]) assert.ok(existsSync(file), `${file} was removed`);
    assert.ok(existsSync(join(sessions, '20200101T000000Z-2-abcdef')), 'the link was removed');
  });
});

test('a state dir reached through a link, or a sessions/ that is a link, loses none of the other data there', async () => {
  await withScenario(async (s) => {
    // CLAUDE_OTEL_STATE_DIR is a link of the user's to a directory that holds other data.
    const data = join(s.sandbox.home, 'data');
    const foreign = foreignDir(join(data, 'sessions', 'archive'));
    const linkedState = join(s.sandbox.home, 'linked-state');
    symlinkSync(data, linkedState);
    const own = ownRun(linkedState, 'own-run');
    const run = await prune(s, { CLAUDE_OTEL_STATE_DIR: linkedState });
    assert.equal(run.exitCode, 0, run.stdout.toString() + run.stderr);
    assert.ok(!existsSync(own));
    assert.ok(existsSync(foreign));

    // sessions/ itself a link: prune does not go through it.
    const other = join(s.sandbox.home, 'other-state');
    mkdirSync(other, { mode: 0o700 });
    const targetState = join(s.sandbox.home, 'target-state');
    const behind = ownRun(targetState, 'behind-link');
    symlinkSync(join(targetState, 'sessions'), join(other, 'sessions'));
    const viaLink = await prune(s, { CLAUDE_OTEL_STATE_DIR: other });
    assert.equal(viaLink.exitCode, 0, viaLink.stdout.toString() + viaLink.stderr);
    assert.match(viaLink.stdout.toString(), /nothing to prune: 0 runs/);
    assert.ok(existsSync(behind));
  });
});

test('a relative state dir is refused: the session runs as bare claude, nothing is written in the work tree, doctor says why, every other ctl command refuses it', async () => {
  await withScenario(async (s) => {
    const bare = await bareClaude();
    const env = { CLAUDE_OTEL_STATE_DIR: 'relative-state' };
    const wrapped = await s.wrapper(['-p', 'hi'], { env });
    assert.equal(wrapped.exitCode, bare.exitCode);
    assert.equal(wrapped.stdout.toString(), bare.stdout.toString());
    assert.equal(wrapped.stderr, '', 'nothing on the terminal');
    assert.ok(!existsSync(join(s.sandbox.cwd, 'relative-state')), 'the store was written into the work tree');
    await s.receiver.waitFor((r) => r.spans.some((span) => span.name === 'claude.session'));

    const doctor = await runCommand(CTL_BIN, ['doctor'], { sandbox: s.sandbox, env: s.env(env) });
    const out = doctor.stdout.toString();
    assert.equal(out.match(/warning: state dir not used, nothing is stored: relative-state is not an absolute path/g)?.length, 1, out);
    assert.match(out, /state dir\s+relative-state \(local store off\)/);
    assert.ok(!existsSync(join(s.sandbox.cwd, 'relative-state')));

    // Not even a store that is there is read, nor anything written there.
    const there = ownRun(join(s.sandbox.cwd, 'relative-state'), '20260101T000000Z-1-aaaaaa');
    for (const args of [['sessions'], ['show', 'last'], ['import', '--dry-run'], ['replay'], ['prune']]) {
      const run = await runCommand(CTL_BIN, args, { sandbox: s.sandbox, env: s.env(env) });
      assert.equal(run.exitCode, 1, args.join(' '));
      assert.equal(run.stderr, 'claude-otel-ctl: state dir not used: relative-state is not an absolute path (CLAUDE_OTEL_STATE_DIR)\n', args.join(' '));
      assert.equal(run.stdout.toString(), '', args.join(' '));
    }
    assert.ok(existsSync(there), 'prune removed nothing');

    // --state-dir names another store: the environment's is not looked at, nor warned about.
    const named = join(s.sandbox.home, 'named-state');
    for (const args of [['import', '--dry-run'], ['replay']]) {
      const run = await runCommand(CTL_BIN, [...args, '--state-dir', named], { sandbox: s.sandbox, env: s.env(env) });
      assert.equal(run.exitCode, 0, `${args.join(' ')}: ${run.stderr}`);
      assert.equal(run.stderr, '', args.join(' '));
    }
  });
});

test('a state dir that is a link someone else owns is refused; the session still runs as bare claude', {
  skip: process.getuid?.() !== 0 && 'needs root to give a link to another user',
}, async () => {
  await withScenario(async (s) => {
    const mine = join(s.sandbox.home, 'mine');
    mkdirSync(mine, { mode: 0o700 });
    const link = join(s.sandbox.home, 'their-link');
    symlinkSync(mine, link);
    lchownSync(link, 4242, 4242);
    const bare = await bareClaude();
    const env = { CLAUDE_OTEL_STATE_DIR: link };
    const wrapped = await s.wrapper(['-p', 'hi'], { env });
    assert.equal(wrapped.exitCode, bare.exitCode);
    assert.equal(wrapped.stdout.toString(), bare.stdout.toString());
    assert.equal(wrapped.stderr, '');
    assert.deepEqual(readdirSync(mine), [], 'stored through a link someone else owns');
    const doctor = await runCommand(CTL_BIN, ['doctor'], { sandbox: s.sandbox, env: s.env(env) });
    assert.equal(doctor.stdout.toString().match(/is a symbolic link that belongs to another user \(uid 4242\)/g)?.length, 1, doctor.stdout.toString());
  });
});

test('a state dir, or a sessions/ in it, that is a file is a store that cannot be read: one line, exit 1, for every command that reads it', async () => {
  await withScenario(async (s) => {
    const fileState = join(s.sandbox.home, 'state-file');
    writeFileSync(fileState, '');
    const sessionsFile = join(s.sandbox.home, 'sessions-file');
    mkdirSync(sessionsFile, { mode: 0o700 });
    writeFileSync(join(sessionsFile, 'sessions'), '');
    for (const [stateDir, unreadable] of [
      [fileState, fileState],
      [sessionsFile, join(sessionsFile, 'sessions')],
    ]) {
      for (const args of [['sessions'], ['stats'], ['show', 'last'], ['import', '--dry-run'], ['prune']]) {
        const run = await runCommand(CTL_BIN, args, { sandbox: s.sandbox, env: s.env({ CLAUDE_OTEL_STATE_DIR: stateDir }) });
        const what = `${args.join(' ')} in ${stateDir}`;
        assert.equal(run.exitCode, 1, what);
        assert.equal(run.stderr, `claude-otel-ctl: cannot read the store: ${unreadable} is not a directory\n`, what);
      }
    }
  });
});
