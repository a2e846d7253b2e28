import { readFile, realpath } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Attributes } from '@opentelemetry/api';
import type { GitContext } from '../session/events.ts';
import { locateGit } from './git-dir.ts';
import type { GitLocation } from './git-dir.ts';
import { readHead } from './git-refs.ts';
import type { HeadState } from './git-refs.ts';
import { configValue, parseGitConfig } from './git-config.ts';
import { nameFromDirectory, remoteIdentity } from './repository-url.ts';
import type { RemoteIdentity } from './repository-url.ts';
import { runGit } from './git-command.ts';
import { ATTR_VCS_REF_HEAD_NAME, ATTR_VCS_REF_HEAD_REVISION, ATTR_VCS_REPOSITORY_NAME, ATTR_VCS_REPOSITORY_URL_FULL } from '../telemetry/names.ts';

// The git context of one session: read once claude is running (never before: claude must
// not wait for it), completed when the session ends with the end revision and the commits
// made. Every step is bounded in time and a failure only leaves a figure out.

/** `git status` on a huge work tree can take long; past this, dirtiness stays unknown. */
const STATUS_TIMEOUT_MS = 3000;
/** Counting commits and asking git for HEAD are quick; past this they stay unknown. */
const QUICK_GIT_TIMEOUT_MS = 1500;
const MAX_CONFIG_BYTES = 1024 * 1024;

interface GitStart {
  location: GitLocation;
  head: HeadState | undefined;
  identity: RemoteIdentity;
  dirty: Promise<boolean | undefined>;
}

type Env = Record<string, string | undefined>;

function withDeadline<T>(promise: Promise<T>, deadline: number): Promise<T | undefined> {
  const left = deadline - Date.now();
  if (left <= 0) return Promise.race([promise, Promise.resolve(undefined)]);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), left);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      () => {
        clearTimeout(timer);
        resolve(undefined);
      },
    );
  });
}

/** HEAD from git itself, for what the files do not say (a reftable repository). */
async function headFromGit(cwd: string, env: Env): Promise<HeadState | undefined> {
  const options = { cwd, env, timeoutMs: QUICK_GIT_TIMEOUT_MS };
  const [symbolic, revision] = await Promise.all([
    runGit(['symbolic-ref', '-q', '--short', 'HEAD'], options),
    runGit(['rev-parse', '-q', '--verify', 'HEAD'], options),
  ]);
  const head: HeadState = {};
  if (symbolic.ok && symbolic.stdout.trim()) head.branch = symbolic.stdout.trim();
  if (revision.ok && /^[0-9a-f]{40,64}$/.test(revision.stdout.trim())) head.revision = revision.stdout.trim();
  return head.branch || head.revision ? head : undefined;
}

async function headOf(location: GitLocation, env: Env): Promise<HeadState | undefined> {
  return (await readHead(location)) ?? headFromGit(location.workTree, env);
}

async function originUrl(location: GitLocation): Promise<string | undefined> {
  try {
    const text = await readFile(join(location.commonDir, 'config'), 'utf8');
    if (text.length > MAX_CONFIG_BYTES) return undefined;
    return configValue(parseGitConfig(text), 'remote.origin.url');
  } catch {
    return undefined;
  }
}

/** The main work tree's directory: a linked worktree's common directory is `<main>/.git`. */
function mainWorkTree(location: GitLocation): string {
  return location.linkedWorktree && basename(location.commonDir) === '.git' ? dirname(location.commonDir) : location.workTree;
}

async function identityOf(location: GitLocation): Promise<RemoteIdentity> {
  const remote = await originUrl(location);
  const identity = remote ? remoteIdentity(remote) : {};
  if (identity.name) return identity;
  const name = nameFromDirectory(mainWorkTree(location));
  return name ? { ...identity, name } : identity;
}

/** Changes to tracked files, staged or not; untracked files do not count (as with `git describe --dirty`). */
async function isDirty(location: GitLocation, env: Env): Promise<boolean | undefined> {
  const run = await runGit(['status', '--porcelain', '--untracked-files=no'], {
    cwd: location.workTree,
    env,
    timeoutMs: STATUS_TIMEOUT_MS,
    firstOutputOnly: true,
  });
  return run.ok ? run.stdout.length > 0 : undefined;
}

async function readStart(cwd: string, env: Env): Promise<GitStart | undefined> {
  const location = await locateGit(cwd);
  if (!location) return undefined;
  const dirty = isDirty(location, env);
  const [head, identity] = await Promise.all([headOf(location, env), identityOf(location)]);
  return { location, head, identity, dirty };
}

async function realpathOr(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return path;
  }
}

async function countCommits(start: GitStart, end: string, deadline: number, env: Env): Promise<number | undefined> {
  if (start.head?.revision === end) return 0;
  const timeoutMs = Math.min(QUICK_GIT_TIMEOUT_MS, deadline - Date.now());
  if (timeoutMs <= 0) return undefined;
  const args = ['rev-list', '--count', end, ...(start.head?.revision ? [`^${start.head.revision}`] : []), '--'];
  const run = await runGit(args, { cwd: start.location.workTree, env, timeoutMs });
  const n = run.ok ? Number(run.stdout.trim()) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

function ciString(ci: Attributes, key: string): string | undefined {
  const value = ci[key];
  return typeof value === 'string' && value ? value : undefined;
}

export class GitSession {
  private start: Promise<GitStart | undefined>;
  private cwd: string;

  private constructor(
    cwd: string,
    private readonly env: Env,
  ) {
    this.cwd = cwd;
    this.start = readStart(cwd, env).catch(() => undefined);
  }

  /** Starts reading the work tree `cwd` is in; call it once claude has been started. */
  static begin(cwd: string, env: Env): GitSession {
    return new GitSession(cwd, env);
  }

  /** claude said it works in `cwd` (e.g. a worktree it created): read there if that is elsewhere. */
  follow(cwd: string): void {
    const previous = this.start;
    const before = this.cwd;
    this.cwd = cwd;
    this.start = (async () => {
      const [a, b] = await Promise.all([realpathOr(before), realpathOr(cwd)]);
      return a === b ? previous : readStart(cwd, this.env);
    })().catch(() => undefined);
  }

  /**
   * The session's git context at its end, by `deadline` (epoch ms); undefined outside a work
   * tree. `ci` holds the attributes CI detection put on the resource.
   */
  async context(deadline: number, ci: Attributes): Promise<GitContext | undefined> {
    const start = await withDeadline(this.start, deadline);
    if (!start) return undefined;
    const end = await withDeadline(headOf(start.location, this.env), deadline);
    const dirty = await withDeadline(start.dirty, deadline);
    const vcsOnResource = Object.keys(ci).some((key) => key.startsWith('vcs.'));
    const git: GitContext = { worktree: start.location.linkedWorktree, vcsOnResource };
    const url = vcsOnResource ? ciString(ci, ATTR_VCS_REPOSITORY_URL_FULL) : start.identity.url;
    const name = (vcsOnResource ? ciString(ci, ATTR_VCS_REPOSITORY_NAME) : undefined) ?? start.identity.name;
    const branch = vcsOnResource ? ciString(ci, ATTR_VCS_REF_HEAD_NAME) : start.head?.branch;
    const revision = vcsOnResource ? ciString(ci, ATTR_VCS_REF_HEAD_REVISION) : start.head?.revision;
    if (url) git.repositoryUrl = url;
    if (name) git.repositoryName = name;
    if (branch) git.branch = branch;
    if (revision) git.revision = revision;
    if (dirty !== undefined) git.dirty = dirty;
    if (end?.revision) {
      git.revisionEnd = end.revision;
      const commits = await withDeadline(countCommits(start, end.revision, deadline, this.env), deadline);
      if (commits !== undefined) git.commits = commits;
    } else if (end && !start.head?.revision) git.commits = 0;
    return git;
  }
}
