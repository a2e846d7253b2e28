import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configValue, parseGitConfig } from '../../../src/workspace/git-config.ts';
import { remoteIdentity } from '../../../src/workspace/repository-url.ts';
import { GitSession } from '../../../src/workspace/git-session.ts';
import { gitAttributes } from '../../../src/telemetry/git-attributes.ts';
import {
  ATTR_CLAUDE_GIT_COMMITS,
  ATTR_CLAUDE_GIT_DIRTY,
  ATTR_CLAUDE_GIT_REVISION_END,
  ATTR_CLAUDE_GIT_WORKTREE,
  ATTR_VCS_REF_HEAD_NAME,
  ATTR_VCS_REF_HEAD_REVISION,
  ATTR_VCS_REPOSITORY_NAME,
  ATTR_VCS_REPOSITORY_URL_FULL,
} from '../../../src/telemetry/names.ts';
import { GIT_ENV, git, writeHangingGit } from '../../support/git-repo.ts';
import { fileAppears } from '../../support/file-appears.ts';
import { processEnds } from '../../support/process-state.ts';

// The git context from real repositories made with git in a temporary directory: the files
// read directly must agree with what git itself says.

const root = realpathSync(mkdtempSync(join(tmpdir(), 'claude-otel-git-')));
after(() => rmSync(root, { recursive: true, force: true }));

function newRepo(name: string, branch = 'main'): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', branch);
  return dir;
}

function commit(dir: string, file: string, text: string): string {
  writeFileSync(join(dir, file), text);
  git(dir, 'add', file);
  git(dir, 'commit', '-q', '-m', `change ${file}`);
  return git(dir, 'rev-parse', 'HEAD');
}

const soon = () => Date.now() + 10_000;

/** A git context whose session has started in `cwd`. */
function started(cwd: string, env: Record<string, string | undefined>): GitSession {
  const session = GitSession.create(env);
  session.begin(cwd);
  return session;
}

test('git config: the origin URL under its quoting, comments, case and old spellings', () => {
  const config = [
    '[core]',
    '\tbare = false',
    '[Remote "origin"]  # the main one',
    '\tURL = "https://example.invalid/a/b.git" ; comment',
    '\tfetch = +refs/heads/*:refs/remotes/origin/*',
    '[remote "Origin"]',
    '\turl = https://wrong.invalid/x',
    '[remote.upstream]',
    '\turl = git@example.invalid:up/stream.git',
  ].join('\n');
  const entries = parseGitConfig(config);
  assert.equal(configValue(entries, 'remote.origin.url'), 'https://example.invalid/a/b.git');
  assert.equal(configValue(entries, 'remote.upstream.url'), 'git@example.invalid:up/stream.git');
  assert.equal(configValue(entries, 'core.bare'), 'false');
  assert.equal(configValue(entries, 'remote.nothere.url'), undefined);
});

test('repository URLs lose their credentials, query and .git; ssh remotes become https', () => {
  const cases: [string, { url?: string; name?: string }][] = [
    ['https://user:secret@example.invalid/org/repo.git', { url: 'https://example.invalid/org/repo', name: 'repo' }],
    ['https://oauth2:glpat-abcdefghij1234567890@gitlab.example.invalid/g/sub/proj', { url: 'https://gitlab.example.invalid/g/sub/proj', name: 'proj' }],
    ['https://example.invalid:8443/org/repo.git?token=abc#frag', { url: 'https://example.invalid:8443/org/repo', name: 'repo' }],
    ['http://example.invalid/repo/', { url: 'http://example.invalid/repo', name: 'repo' }],
    ['git@github.com:open-telemetry/semantic-conventions.git', { url: 'https://github.com/open-telemetry/semantic-conventions', name: 'semantic-conventions' }],
    ['ssh://git:pw@example.invalid:2222/org/repo.git', { url: 'https://example.invalid/org/repo', name: 'repo' }],
    ['git://example.invalid/org/repo.git', { url: 'https://example.invalid/org/repo', name: 'repo' }],
    ['/srv/git/project.git', { name: 'project' }],
    ['file:///srv/git/project.git', { name: 'project' }],
    ['../sibling', { name: 'sibling' }],
  ];
  for (const [remote, expected] of cases) assert.deepEqual(remoteIdentity(remote), expected, remote);
  for (const [remote] of cases) assert.doesNotMatch(JSON.stringify(remoteIdentity(remote)), /secret|glpat|pw@|token/, remote);
});

test('a repository on a branch: origin without credentials, branch, start and end revision, commits made, dirtiness', async () => {
  const dir = newRepo('named', 'feature/login');
  const first = commit(dir, 'a.txt', 'one\n');
  git(dir, 'remote', 'add', 'origin', 'https://user:secret@example.invalid/org/named.git');
  mkdirSync(join(dir, 'sub', 'deeper'), { recursive: true });
  const session = started(join(dir, 'sub', 'deeper'), GIT_ENV);
  // Once the start has been read, what happens is the session's work.
  assert.equal((await session.context(soon(), {}))?.revision, first);
  commit(dir, 'b.txt', 'two\n');
  const last = commit(dir, 'c.txt', 'three\n');
  const context = await session.context(soon(), {});
  assert.deepEqual(context, {
    worktree: false,
    vcsOnResource: false,
    repositoryUrl: 'https://example.invalid/org/named',
    repositoryName: 'named',
    branch: 'feature/login',
    revision: first,
    dirty: false,
    revisionEnd: last,
    commits: 2,
  });
  assert.ok(context);
  assert.deepEqual(gitAttributes(context), {
    [ATTR_VCS_REPOSITORY_URL_FULL]: 'https://example.invalid/org/named',
    [ATTR_VCS_REPOSITORY_NAME]: 'named',
    [ATTR_VCS_REF_HEAD_NAME]: 'feature/login',
    [ATTR_VCS_REF_HEAD_REVISION]: first,
    [ATTR_CLAUDE_GIT_REVISION_END]: last,
    [ATTR_CLAUDE_GIT_COMMITS]: 2,
    [ATTR_CLAUDE_GIT_DIRTY]: false,
    [ATTR_CLAUDE_GIT_WORKTREE]: false,
  });
});

test('packed refs, uncommitted changes, and a start with no commit yet', async () => {
  const dir = newRepo('packed');
  const first = commit(dir, 'a.txt', 'one\n');
  git(dir, 'pack-refs', '--all');
  writeFileSync(join(dir, 'a.txt'), 'changed\n');
  const context = await started(dir, GIT_ENV).context(soon(), {});
  assert.equal(context?.revision, first);
  assert.equal(context?.branch, 'main');
  assert.equal(context?.dirty, true);
  assert.equal(context?.repositoryName, 'packed', 'no origin: the directory names it');
  assert.equal(context?.repositoryUrl, undefined);

  const untracked = newRepo('untracked');
  commit(untracked, 'a.txt', 'one\n');
  writeFileSync(join(untracked, 'new.txt'), 'not added\n');
  assert.equal((await started(untracked, GIT_ENV).context(soon(), {}))?.dirty, false, 'untracked files are not changes');

  const empty = newRepo('empty', 'trunk');
  const session = started(empty, GIT_ENV);
  assert.equal((await session.context(soon(), {}))?.revisionEnd, undefined);
  const made = commit(empty, 'a.txt', 'first\n');
  const grown = await session.context(soon(), {});
  assert.equal(grown?.branch, 'trunk');
  assert.equal(grown?.revision, undefined);
  assert.equal(grown?.revisionEnd, made);
  assert.equal(grown?.commits, 1);
});

test('a linked worktree and a detached HEAD', async () => {
  const dir = newRepo('main-repo');
  const first = commit(dir, 'a.txt', 'one\n');
  git(dir, 'remote', 'add', 'origin', 'git@example.invalid:org/main-repo.git');
  const linked = join(root, 'linked-tree');
  git(dir, 'worktree', 'add', '-q', '-b', 'topic', linked);
  const inWorktree = await started(linked, GIT_ENV).context(soon(), {});
  assert.equal(inWorktree?.worktree, true);
  assert.equal(inWorktree?.branch, 'topic');
  assert.equal(inWorktree?.revision, first);
  assert.equal(inWorktree?.repositoryName, 'main-repo');
  assert.equal(inWorktree?.repositoryUrl, 'https://example.invalid/org/main-repo');

  git(dir, 'checkout', '-q', '--detach');
  const detached = await started(dir, GIT_ENV).context(soon(), {});
  assert.equal(detached?.branch, undefined);
  assert.equal(detached?.revision, first);
  assert.equal(detached?.worktree, false);
  assert.ok(detached);
  assert.equal(gitAttributes(detached)[ATTR_VCS_REF_HEAD_NAME], undefined);
});

test('outside a work tree (and inside .git) there is no git context', async () => {
  const plain = join(root, 'plain');
  mkdirSync(plain);
  assert.equal(await started(plain, GIT_ENV).context(soon(), {}), undefined);
  const dir = newRepo('with-git-dir');
  commit(dir, 'a.txt', 'one\n');
  assert.equal(await started(join(dir, '.git'), GIT_ENV).context(soon(), {}), undefined);
});

test('in CI the vcs.* attributes stay on the resource; the claude.git.* ones are still added', async () => {
  const dir = newRepo('in-ci');
  commit(dir, 'a.txt', 'one\n');
  const ci = {
    [ATTR_VCS_REPOSITORY_NAME]: 'ci-name',
    [ATTR_VCS_REF_HEAD_NAME]: 'ci-branch',
    [ATTR_VCS_REF_HEAD_REVISION]: 'c'.repeat(40),
    [ATTR_VCS_REPOSITORY_URL_FULL]: 'https://github.com/o/ci-name',
  };
  const context = await started(dir, GIT_ENV).context(soon(), ci);
  assert.equal(context?.vcsOnResource, true);
  assert.equal(context?.repositoryName, 'ci-name', 'the name the resource carries');
  assert.ok(context);
  const attributes = gitAttributes(context);
  assert.deepEqual(
    Object.keys(attributes).filter((k) => k.startsWith('vcs.')),
    [],
  );
  assert.equal(attributes[ATTR_CLAUDE_GIT_COMMITS], 0);
  assert.equal(attributes[ATTR_CLAUDE_GIT_WORKTREE], false);
});

test('a deadline already passed gives up quietly', async () => {
  const dir = newRepo('late');
  commit(dir, 'a.txt', 'one\n');
  const session = started(dir, GIT_ENV);
  assert.equal(await session.context(Date.now() - 1, {}), undefined);
});

test("a session's end stops the git runs still going: git is killed and its git directory removed", async () => {
  const dir = newRepo('hanging-status');
  commit(dir, 'a.txt', 'one\n');
  writeFileSync(join(dir, 'a.txt'), 'two\n');
  const tools = join(root, 'hanging-git');
  const record = join(root, 'hanging-status-started');
  writeHangingGit(tools, record);
  const session = started(dir, { ...GIT_ENV, PATH: `${tools}:${GIT_ENV.PATH}` });
  await fileAppears(record);
  const [gitPid, , gitDir] = readFileSync(record, 'utf8').trim().split(' ');
  assert.ok(gitPid && gitDir && existsSync(gitDir), 'git status runs in its own git directory');

  session.end();
  assert.equal(existsSync(gitDir), false, 'its git directory is removed at once');
  const context = await session.context(soon(), {});
  assert.equal(context?.dirty, undefined, 'whether the work tree is dirty stays unknown');
  assert.equal(context?.repositoryName, 'hanging-status', 'what the files say is still known');
  assert.ok(await processEnds(gitPid), 'git is stopped');
});
