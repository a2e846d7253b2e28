import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRepositoryFile } from '../../../src/workspace/repository-file.ts';
import { GitSession } from '../../../src/workspace/git-session.ts';
import { GIT_ENV, git } from '../../support/git-repo.ts';

// A repository is outside data. Its files under .git can be FIFOs or devices, which must
// neither block the git context nor be read without end; its configuration can name programs
// for git to run, which the git context must never run.

const root = realpathSync(mkdtempSync(join(tmpdir(), 'claude-otel-hostile-')));
after(() => rmSync(root, { recursive: true, force: true }));

function newRepo(name: string, ...initArgs: string[]): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main', ...initArgs);
  writeFileSync(join(dir, 'a.txt'), 'one\n');
  git(dir, 'add', 'a.txt');
  git(dir, 'commit', '-q', '-m', 'one');
  return dir;
}

function started(cwd: string): GitSession {
  const session = GitSession.create(GIT_ENV);
  session.begin(cwd);
  return session;
}

const soon = () => Date.now() + 10_000;

test('a repository file is read only when it is a regular file within the limit', async () => {
  const dir = join(root, 'files');
  mkdirSync(dir);
  writeFileSync(join(dir, 'small'), 'ref: refs/heads/main\n');
  writeFileSync(join(dir, 'large'), 'x'.repeat(5000));
  execFileSync('mkfifo', [join(dir, 'fifo')]);
  symlinkSync('/dev/zero', join(dir, 'zero'));
  symlinkSync('/dev/urandom', join(dir, 'random'));
  assert.deepEqual(await readRepositoryFile(join(dir, 'small'), 4096), { kind: 'text', text: 'ref: refs/heads/main\n' });
  assert.deepEqual(await readRepositoryFile(join(dir, 'large'), 4096), { kind: 'unreadable' });
  // A FIFO nobody writes to would block a read for ever; devices never end.
  assert.deepEqual(await readRepositoryFile(join(dir, 'fifo'), 4096), { kind: 'unreadable' });
  assert.deepEqual(await readRepositoryFile(join(dir, 'zero'), 4096), { kind: 'unreadable' });
  assert.deepEqual(await readRepositoryFile(join(dir, 'random'), 4096), { kind: 'unreadable' });
  assert.deepEqual(await readRepositoryFile(join(dir, 'missing'), 4096), { kind: 'missing' });
  assert.deepEqual(await readRepositoryFile(join(dir, 'small', 'below'), 4096), { kind: 'missing' });
});

const REPLACEMENTS = ['fifo', '/dev/zero', '/dev/urandom'] as const;

function replace(path: string, by: (typeof REPLACEMENTS)[number]): void {
  rmSync(path, { force: true });
  if (by === 'fifo') execFileSync('mkfifo', [path]);
  else symlinkSync(by, path);
}

test('HEAD, config, packed-refs or commondir as a FIFO or a device: the git context ends, leaving out what it could not read', async () => {
  for (const by of REPLACEMENTS) {
    const tag = by.replace(/\W/g, '');
    const head = newRepo(`head-${tag}`);
    replace(join(head, '.git', 'HEAD'), by);
    assert.equal(await started(head).context(soon(), {}), undefined, `HEAD as ${by}: not a work tree`);

    const config = newRepo(`config-${tag}`);
    const revision = git(config, 'rev-parse', 'HEAD');
    replace(join(config, '.git', 'config'), by);
    const withoutConfig = await started(config).context(soon(), {});
    assert.equal(withoutConfig?.revision, revision, `config as ${by}`);
    assert.equal(withoutConfig?.branch, 'main');
    assert.equal(withoutConfig?.repositoryUrl, undefined);
    assert.equal(withoutConfig?.dirty, undefined, `config as ${by}: without it git is not run`);

    const packed = newRepo(`packed-${tag}`);
    git(packed, 'pack-refs', '--all');
    replace(join(packed, '.git', 'packed-refs'), by);
    const withoutPacked = await started(packed).context(soon(), {});
    assert.equal(withoutPacked?.branch, 'main', `packed-refs as ${by}`);
    assert.equal(withoutPacked?.revision, undefined);

    const common = newRepo(`commondir-${tag}`);
    const commonRevision = git(common, 'rev-parse', 'HEAD');
    replace(join(common, '.git', 'commondir'), by);
    const withoutCommon = await started(common).context(soon(), {});
    assert.equal(withoutCommon?.revision, commonRevision, `commondir as ${by}`);
    assert.equal(withoutCommon?.worktree, false);
  }
});

function script(path: string, body: string): void {
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
}

test("the repository's fsmonitor, clean filter and includeIf'd config run nothing: dirtiness and commits still come from git", async () => {
  const dir = newRepo('hooked');
  const counter = join(root, 'hook-runs.log');
  writeFileSync(join(dir, '.gitattributes'), '*.txt filter=x\n');
  git(dir, 'add', '.gitattributes');
  git(dir, 'commit', '-q', '-m', 'attributes');
  const start = git(dir, 'rev-parse', 'HEAD');
  script(join(dir, 'evil.sh'), `echo fsmonitor >> '${counter}'`);
  script(join(dir, 'evil-included.sh'), `echo included >> '${counter}'`);
  script(join(dir, 'clean.sh'), `echo filter >> '${counter}'\ncat`);
  writeFileSync(join(root, 'included.gitconfig'), '[core]\n\tfsmonitor = ./evil-included.sh\n');
  git(dir, 'config', 'core.fsmonitor', './evil.sh');
  git(dir, 'config', 'filter.x.clean', './clean.sh');
  writeFileSync(
    join(dir, '.git', 'config'),
    `${readFileSync(join(dir, '.git', 'config'), 'utf8')}[includeIf "gitdir:${dir}/.git"]\n\tpath = ${join(root, 'included.gitconfig')}\n`,
  );
  // A change git has to filter to compare.
  writeFileSync(join(dir, 'a.txt'), 'one, changed\n');
  git(dir, 'status', '--porcelain');
  assert.ok(existsSync(counter), 'git itself runs them');
  rmSync(counter);

  const session = started(dir);
  const atStart = await session.context(soon(), {});
  assert.equal(atStart?.revision, start);
  assert.equal(atStart?.dirty, true);
  // A commit made during the session, with the hooks off for the test's own git.
  execFileSync('git', ['-c', 'core.fsmonitor=false', '-c', 'filter.x.clean=cat', 'commit', '-q', '-am', 'two'], { cwd: dir, env: GIT_ENV });
  const atEnd = await session.context(soon(), {});
  assert.equal(atEnd?.commits, 1);
  assert.equal(atEnd?.revisionEnd, git(dir, 'rev-parse', 'HEAD'));
  assert.equal(existsSync(counter), false, existsSync(counter) ? readFileSync(counter, 'utf8') : '');
});

test('a `git` the repository ships is never run, whatever empty, `.` or relative entries PATH has: git is looked up in its absolute directories', async () => {
  const dir = newRepo('ships-git');
  const counter = join(root, 'shipped-git-runs.log');
  const shipped = `echo shipped >> '${counter}'\nexit 1`;
  script(join(dir, 'git'), shipped);
  mkdirSync(join(dir, 'bin'));
  script(join(dir, 'bin', 'git'), shipped);
  writeFileSync(join(dir, 'a.txt'), 'one, changed\n');
  for (const path of [`:${GIT_ENV.PATH}`, `.:${GIT_ENV.PATH}`, `bin:${GIT_ENV.PATH}`, `${GIT_ENV.PATH}::bin`]) {
    const session = GitSession.create({ PATH: path });
    session.begin(dir);
    const context = await session.context(soon(), {});
    assert.equal(context?.dirty, true, `PATH=${path}: the system's git told the dirtiness`);
  }
  // Without any absolute directory there is no git to run: the files still tell the commit.
  const session = GitSession.create({ PATH: ':.:bin' });
  session.begin(dir);
  const context = await session.context(soon(), {});
  assert.equal(context?.revision, git(dir, 'rev-parse', 'HEAD'));
  assert.equal(context?.dirty, undefined);
  assert.equal(existsSync(counter), false, existsSync(counter) ? readFileSync(counter, 'utf8') : '');
});

test('before its session has started, nothing is read', async () => {
  const dir = newRepo('not-started');
  assert.equal(await GitSession.create(GIT_ENV).context(soon(), {}), undefined);
  assert.ok((await started(dir).context(soon(), {}))?.revision);
});

test('a SHA-256 repository and a packed-refs past its read limit: git, isolated, tells the commit and counts', async () => {
  const dir = newRepo('sha256', '--object-format=sha256');
  const first = git(dir, 'rev-parse', 'HEAD');
  // Some 20,000 refs make packed-refs larger than the wrapper reads itself.
  const refs = Array.from({ length: 20_000 }, (_, i) => `${first} refs/tags/t${String(i).padStart(6, '0')}-${'x'.repeat(20)}`);
  writeFileSync(join(dir, '.git', 'packed-refs'), `# pack-refs with: peeled fully-peeled sorted \n${first} refs/heads/main\n${refs.join('\n')}\n`);
  rmSync(join(dir, '.git', 'refs', 'heads', 'main'));
  writeFileSync(join(dir, 'a.txt'), 'changed\n');
  const session = started(dir);
  const atStart = await session.context(soon(), {});
  assert.equal(atStart?.revision, first);
  assert.equal(atStart?.dirty, true);
  git(dir, 'commit', '-q', '-am', 'two');
  const atEnd = await session.context(soon(), {});
  assert.equal(atEnd?.revisionEnd, git(dir, 'rev-parse', 'HEAD'));
  assert.equal(atEnd?.commits, 1);
});
