import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { chmod, chown, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startScenario, waitForSession, CTL_BIN } from '../support/scenario.ts';
import { runCommand } from '../support/claude-run.ts';
import type { RunResult } from '../support/claude-run.ts';
import { closedPort } from '../support/otlp-receiver.ts';
import { once } from '../support/once.ts';

// What the wrapper and claude-otel-ctl keep on disk is the user's alone: folders 0700, files 0600,
// never written through a planted symlink, and never in a state dir someone else can write to.

function modes(root: string): { path: string; mode: number; dir: boolean }[] {
  const out = [{ path: root, mode: statSync(root).mode & 0o777, dir: true }];
  for (const name of readdirSync(root)) {
    const path = join(root, name);
    const stat = lstatSync(path);
    if (stat.isDirectory()) out.push(...modes(path));
    else out.push({ path, mode: stat.mode & 0o777, dir: false });
  }
  return out;
}

const ANSWER = 'as usual';

/** Bare claude's answer to `-p go`, made once: the wrapper's below must match it whatever the state dir. */
const bareAnswer = once(async (): Promise<RunResult> => {
  const s = await startScenario([{ kind: 'text', text: ANSWER }]);
  try {
    return await s.claude(['-p', 'go']);
  } finally {
    await s.close();
  }
});

test('state dir and every folder in it 0700, every file 0600 (debug log, sessions, marks); a new report 0600, an existing one keeps its mode', async () => {
  const s = await startScenario([
    { kind: 'text', text: 'kept' },
    { kind: 'text', text: 'kept again' },
  ]);
  try {
    // Debug log first (the order that used to leave it 0644), a delivered run, then an undelivered one.
    const run = await s.wrapper(['-p', 'go', '--otel-debug']);
    assert.equal(run.exitCode, 0);
    const down = await s.wrapper(['-p', 'go'], {
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await closedPort()}`, CLAUDE_OTEL_FLUSH_TIMEOUT_MS: '1000' },
    });
    assert.equal(down.exitCode, 0);
    const all = modes(s.stateDir);
    assert.ok(all.some((e) => e.path.endsWith('claude-otel.log')));
    assert.ok(all.some((e) => e.path.endsWith('undelivered')));
    assert.ok(
      all.some((e) => e.path.endsWith('delivery-failure')),
      'why the run was not delivered, kept private too',
    );
    assert.ok(all.some((e) => e.path.endsWith('meta.json')));
    for (const entry of all) assert.equal(entry.mode, entry.dir ? 0o700 : 0o600, `${entry.path} is ${entry.mode.toString(8)}`);

    const report = join(s.sandbox.home, 'report.html');
    const made = await runCommand(CTL_BIN, ['report', '--html', report], { sandbox: s.sandbox, env: s.env() });
    assert.equal(made.exitCode, 0, made.stderr);
    assert.equal(statSync(report).mode & 0o777, 0o600);
    const shared = join(s.sandbox.home, 'shared.html');
    await writeFile(shared, 'old');
    await chmod(shared, 0o644);
    const again = await runCommand(CTL_BIN, ['report', '--html', shared], { sandbox: s.sandbox, env: s.env() });
    assert.equal(again.exitCode, 0, again.stderr);
    assert.equal(statSync(shared).mode & 0o777, 0o644, 'a file the user named and had keeps its mode');
    assert.match(readFileSync(shared, 'utf8'), /<html/i);
  } finally {
    await s.close();
  }
});

test('a symlink planted as the undelivered mark or the debug log is not followed', async () => {
  const s = await startScenario([{ kind: 'text', text: ANSWER }]);
  try {
    await mkdir(s.stateDir, { recursive: true, mode: 0o700 });
    const victimLog = join(s.sandbox.home, 'victim-log.txt');
    const victimMark = join(s.sandbox.home, 'victim-mark.txt');
    await writeFile(victimLog, 'precious log\n');
    await writeFile(victimMark, 'precious mark\n');
    await symlink(victimLog, join(s.stateDir, 'claude-otel.log'));
    await symlink(victimMark, join(s.stateDir, 'undelivered'));
    const bare = await bareAnswer();
    const run = await s.wrapper(['-p', 'go'], {
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await closedPort()}`, CLAUDE_OTEL_FLUSH_TIMEOUT_MS: '1000' },
    });
    assert.equal(run.exitCode, 0);
    assert.equal(run.stdout.toString(), bare.stdout.toString());
    assert.equal(run.stdout.toString(), `${ANSWER}\n`);
    assert.equal(readFileSync(victimLog, 'utf8'), 'precious log\n');
    assert.equal(readFileSync(victimMark, 'utf8'), 'precious mark\n');
    assert.ok(lstatSync(join(s.stateDir, 'undelivered')).isFile(), 'the mark replaced the link');
    assert.ok(lstatSync(join(s.stateDir, 'claude-otel.log')).isSymbolicLink(), 'the log link is left alone, and unused');
  } finally {
    await s.close();
  }
});

test('a state dir writable by group or others, or owned by another user, is not used: no store, one warning, claude as usual', async () => {
  const s = await startScenario([
    { kind: 'text', text: ANSWER },
    { kind: 'text', text: ANSWER },
  ]);
  try {
    await mkdir(s.stateDir, { recursive: true });
    await chmod(s.stateDir, 0o777);
    const bare = await bareAnswer();
    const run = await s.wrapper(['-p', 'go', '--otel-debug']);
    assert.equal(run.exitCode, bare.exitCode);
    assert.equal(run.stdout.toString(), bare.stdout.toString());
    const warnings = run.stderr.split('\n').filter((l) => l.includes('state dir not used'));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /can be written by group or others \(mode 777\)/);
    assert.deepEqual(readdirSync(s.stateDir), [], 'nothing stored, no log file');
    await waitForSession(s.receiver);

    if (process.getuid?.() === 0) {
      await chmod(s.stateDir, 0o700);
      await chown(s.stateDir, 65534, 65534);
      // The same answer as bare claude's above.
      const foreign = await s.wrapper(['-p', 'go', '--otel-debug']);
      assert.equal(foreign.exitCode, bare.exitCode);
      assert.equal(foreign.stdout.toString(), bare.stdout.toString());
      assert.match(foreign.stderr, /state dir not used, nothing is stored: .* belongs to another user \(uid 65534\)/);
      assert.deepEqual(readdirSync(s.stateDir), []);
    }
    assert.ok(!existsSync(join(s.stateDir, 'sessions')));
  } finally {
    await s.close();
  }
});
