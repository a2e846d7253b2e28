import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startScenario, CLAUDE_BIN, WRAPPER_BIN } from '../support/scenario.ts';
import type { Scenario } from '../support/scenario.ts';
import { runCommand, TEST_API_KEY } from '../support/claude-run.ts';
import type { Sandbox } from '../support/claude-run.ts';
import type { ReceivedSpan } from '../support/otlp-receiver.ts';
import { DEFAULT_PERMISSION_MODE_ARGS, TmuxTerminal } from '../support/tmux-terminal.ts';
import { git } from '../support/git-repo.ts';

// A repository is outside data: its configuration can name programs that git runs (an
// fsmonitor hook, a clean filter, a file pulled in by includeIf), and its files under .git can
// be FIFOs or devices. The wrapper's git context must run none of those programs (so they run
// no more often than under bare claude, and never before the user trusts the folder), and must
// neither hang on those files nor read them without end.

function script(path: string, body: string): void {
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
}

/**
 * A repository whose configuration runs scripts on `git status`: `core.fsmonitor`, a clean
 * filter for a tracked file with a change (so git must filter it to compare), and an includeIf
 * whose file sets another fsmonitor. Each script appends a line to `counter`.
 */
function hostileRepository(dir: string, counter: string): void {
  git(dir, 'init', '-q', '-b', 'main');
  writeFileSync(join(dir, 'README.md'), 'hello\n');
  writeFileSync(join(dir, '.gitattributes'), '*.md filter=x\n');
  git(dir, 'add', 'README.md', '.gitattributes');
  git(dir, 'commit', '-q', '-m', 'initial');
  script(join(dir, 'evil.sh'), `echo fsmonitor >> '${counter}'`);
  script(join(dir, 'evil-included.sh'), `echo included-fsmonitor >> '${counter}'`);
  script(join(dir, 'clean.sh'), `echo filter >> '${counter}'\ncat`);
  const included = join(dir, '..', 'included.gitconfig');
  writeFileSync(included, '[core]\n\tfsmonitor = ./evil-included.sh\n');
  git(dir, 'config', 'core.fsmonitor', './evil.sh');
  git(dir, 'config', 'filter.x.clean', './clean.sh');
  writeFileSync(join(dir, '.git', 'config'), `${readFileSync(join(dir, '.git', 'config'), 'utf8')}[includeIf "gitdir:${dir}/.git"]\n\tpath = ${included}\n`);
  writeFileSync(join(dir, 'README.md'), 'hello, changed\n');
  writeFileSync(counter, '');
}

function hookRuns(counter: string): number {
  return existsSync(counter) ? readFileSync(counter, 'utf8').split('\n').filter(Boolean).length : 0;
}

/** `~/.claude.json` that has never been asked about the project: claude shows its trust dialog. */
function untrust(sandbox: Sandbox): void {
  const claudeJson = {
    hasCompletedOnboarding: true,
    projects: {},
    customApiKeyResponses: { approved: [TEST_API_KEY.slice(-20)], rejected: [] },
  };
  writeFileSync(join(sandbox.home, '.claude.json'), `${JSON.stringify(claudeJson, null, 2)}\n`);
}

const SELECTED = '❯';

/**
 * Moves the dialog's cursor to "No, exit" (its place differs between CLI versions), confirms,
 * and waits for the command to exit. The dialog ignores keys for a moment after it is drawn: a
 * key that nothing answers (no change of the screen, no exit) is sent again, each time given
 * longer. An Enter sent twice on "No, exit" does no harm, so it is sent again soon; a Down that
 * came late could move the cursor away after it was seen on "No, exit", so it is given longer.
 * The dialog's text may stay on the screen after claude has exited, so the exit is what shows
 * that "No, exit" was taken.
 */
async function answerNoExit(terminal: TmuxTerminal): Promise<number> {
  const onNoExit = (screen: string) => screen.split('\n').some((line) => line.includes(SELECTED) && line.includes('No, exit'));
  const press = async (key: string, firstWaitMs: number): Promise<void> => {
    for (let presses = 1; ; presses += 1) {
      const before = terminal.screen();
      terminal.keys(key);
      try {
        await terminal.waitForScreen((screen) => screen !== before || terminal.exitCode() !== undefined, presses * firstWaitMs, `an answer to ${key}`);
        return;
      } catch (error) {
        if (presses >= 6) throw error;
      }
    }
  };
  for (let moves = 0; !onNoExit(terminal.screen()) && moves < 6; moves += 1) await press('Down', 2_000);
  await terminal.waitForScreen(onNoExit, 5_000, '"No, exit" selected');
  await press('Enter', 500);
  return await terminal.waitForExit();
}

function gitKeys(span: ReceivedSpan): string[] {
  return Object.keys(span.attributes).filter((k) => k.startsWith('vcs.') || k.startsWith('claude.git.'));
}

interface DialogRun {
  atDialog: number;
  atExit: number;
  exitCode: number;
}

/** `file` in the terminal, in the untrusted project, answered "No, exit" at the trust dialog. */
async function refusedAtTrustDialog(s: Scenario, file: string, counter: string): Promise<DialogRun> {
  untrust(s.sandbox);
  writeFileSync(counter, '');
  const tmp = join(s.sandbox.home, 'tmp');
  mkdirSync(tmp, { recursive: true });
  const terminal = TmuxTerminal.start(file, [...DEFAULT_PERMISSION_MODE_ARGS], {
    cwd: s.sandbox.cwd,
    env: { ...s.sandbox.env, ...(file === WRAPPER_BIN ? s.env() : {}), TMPDIR: tmp },
    dir: s.sandbox.home,
  });
  try {
    await terminal.waitForScreen((screen) => screen.includes('No, exit'), 20_000, 'the trust dialog');
    const atDialog = hookRuns(counter);
    const exitCode = await answerNoExit(terminal);
    return { atDialog, atExit: hookRuns(counter), exitCode };
  } finally {
    terminal.close();
  }
}

test('interactive, in a folder not trusted yet, answered "No, exit": the repository runs no program because of the wrapper', async () => {
  const s = await startScenario([]);
  try {
    const counter = join(s.sandbox.home, 'hook-runs.log');
    hostileRepository(s.sandbox.cwd, counter);

    const bare = await refusedAtTrustDialog(s, CLAUDE_BIN, counter);
    const wrapped = await refusedAtTrustDialog(s, WRAPPER_BIN, counter);
    assert.equal(wrapped.exitCode, bare.exitCode, "the wrapper ends with claude's status");
    assert.ok(wrapped.atDialog <= bare.atDialog, `at the dialog: ${wrapped.atDialog} runs with the wrapper, ${bare.atDialog} with bare claude`);
    assert.ok(wrapped.atExit <= bare.atExit, `after "No, exit": ${wrapped.atExit} runs with the wrapper, ${bare.atExit} with bare claude`);

    // The session is still recorded, without anything read from the repository.
    await s.receiver.waitFor((r) => r.spans.some((span) => span.name === 'claude.session'));
    const root = s.receiver.spans.find((span) => span.name === 'claude.session');
    assert.deepEqual(root ? gitKeys(root) : undefined, []);
  } finally {
    await s.close();
  }
});

test('print mode in the same repository: its programs run no more often with the wrapper than with bare claude; the git context is still read', async () => {
  const s = await startScenario([]);
  try {
    const counter = join(s.sandbox.home, 'hook-runs.log');
    hostileRepository(s.sandbox.cwd, counter);
    // A git of the repository's own, and a PATH whose stray leading colon names the working directory.
    script(join(s.sandbox.cwd, 'git'), `echo shipped-git >> '${counter}'\nexit 1`);
    const env = { PATH: `:${s.sandbox.env.PATH ?? ''}` };

    const bare = await s.claude(['-p', 'hi'], { env });
    assert.equal(bare.exitCode, 0, bare.stderr);
    const bareRuns = hookRuns(counter);
    writeFileSync(counter, '');
    const wrapped = await s.wrapper(['-p', 'hi'], { env });
    assert.equal(wrapped.exitCode, 0, wrapped.stderr);
    assert.equal(wrapped.stdout.toString(), bare.stdout.toString());
    await s.receiver.waitFor((r) => r.spans.some((span) => span.name === 'claude.session'));
    const wrappedRuns = hookRuns(counter);
    assert.ok(wrappedRuns <= bareRuns, `${wrappedRuns} runs with the wrapper, ${bareRuns} with bare claude: ${readFileSync(counter, 'utf8')}`);

    const root = s.receiver.spans.find((span) => span.name === 'claude.session');
    assert.equal(root?.attributes['vcs.ref.head.name'], 'main');
    assert.equal(root?.attributes['vcs.repository.name'], 'project');
    assert.equal(typeof root?.attributes['vcs.ref.head.revision'], 'string');
    assert.equal(root?.attributes['claude.git.revision.end'], root?.attributes['vcs.ref.head.revision']);
  } finally {
    await s.close();
  }
});

type Replacement = 'fifo' | '/dev/zero' | '/dev/urandom';

/** A repository in a directory of its own whose `.git/<name>` is a FIFO or a link to a device. */
function brokenRepository(s: Scenario, name: string, by: Replacement): string {
  const cwd = join(s.sandbox.home, `repo-${name}-${by.replace(/\W/g, '')}`);
  mkdirSync(cwd);
  git(cwd, 'init', '-q', '-b', 'main');
  writeFileSync(join(cwd, 'a.txt'), 'a\n');
  git(cwd, 'add', 'a.txt');
  git(cwd, 'commit', '-q', '-m', 'a');
  git(cwd, 'pack-refs', '--all');
  const path = join(cwd, '.git', name);
  rmSync(path, { force: true });
  if (by === 'fifo') execFileSync('mkfifo', [path]);
  else symlinkSync(by, path);
  return cwd;
}

function sessionCount(s: Scenario): number {
  return s.receiver.spans.filter((span) => span.name === 'claude.session').length;
}

// Where claude itself hangs (a FIFO as HEAD, say: claude never shows its prompt, and in print
// mode several of these files keep claude from ending) there is no exit of claude's to keep:
// those cases are left to the unit tests of the git context.

test('print mode, config or packed-refs linked to /dev/zero or /dev/urandom: the wrapper ends with claude’s status and records the session', async () => {
  const s = await startScenario([]);
  try {
    for (const name of ['config', 'packed-refs']) {
      for (const by of ['/dev/zero', '/dev/urandom'] as const) {
        const cwd = brokenRepository(s, name, by);
        const what = `.git/${name} as ${by}`;
        const sessions = sessionCount(s);
        // The harness kills a run that has not ended within its time limit.
        const run = await runCommand(WRAPPER_BIN, ['-p', 'hi'], { sandbox: { ...s.sandbox, cwd }, env: s.env(), timeoutMs: 45_000 });
        assert.equal(run.exitCode, 0, `${what}: ${run.stderr}`);
        assert.equal(run.stdout.toString(), 'done\n', what);
        await s.receiver.waitFor(() => sessionCount(s) > sessions);
      }
    }
  } finally {
    await s.close();
  }
});

test('the terminal UI in a folder not trusted yet whose HEAD, config, packed-refs or commondir is a FIFO: after "No, exit" the wrapper ends with claude’s status', async () => {
  const s = await startScenario([]);
  try {
    untrust(s.sandbox);
    const tmp = join(s.sandbox.home, 'tmp');
    mkdirSync(tmp, { recursive: true });
    const refuse = async (file: string, cwd: string): Promise<number> => {
      const terminal = TmuxTerminal.start(file, [...DEFAULT_PERMISSION_MODE_ARGS], {
        cwd,
        env: { ...s.sandbox.env, ...(file === WRAPPER_BIN ? s.env() : {}), TMPDIR: tmp },
        dir: s.sandbox.home,
      });
      try {
        await terminal.waitForScreen((screen) => screen.includes('No, exit'), 20_000, 'the trust dialog');
        return await answerNoExit(terminal);
      } finally {
        terminal.close();
      }
    };
    for (const name of ['HEAD', 'config', 'packed-refs', 'commondir']) {
      const cwd = brokenRepository(s, name, 'fifo');
      const bare = await refuse(CLAUDE_BIN, cwd);
      const sessions = sessionCount(s);
      assert.equal(await refuse(WRAPPER_BIN, cwd), bare, `.git/${name} as a FIFO`);
      await s.receiver.waitFor(() => sessionCount(s) > sessions);
    }
  } finally {
    await s.close();
  }
});
