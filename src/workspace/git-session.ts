import { realpath } from 'node:fs/promises';
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
import { runIsolatedGit } from './git-command.ts';
import type { IsolatedRepository } from './git-command.ts';
import { entryKind, readRepositoryText } from './repository-file.ts';
import { ATTR_VCS_REF_HEAD_NAME, ATTR_VCS_REF_HEAD_REVISION, ATTR_VCS_REPOSITORY_NAME, ATTR_VCS_REPOSITORY_URL_FULL } from '../telemetry/names.ts';

// The git context of one session: read once claude's session has started (in the terminal
// UI that is after claude's trust dialog: nothing of a folder the user has not trusted is
// read), completed when the session ends with the end revision and the commits made. The
// repository's files are read with limits (repository-file.ts); git runs only in isolation
// from the repository's configuration (git-command.ts). Every step is bounded in time and a
// failure only leaves a figure out.

/** `git status` on a huge work tree can take long; past this, dirtiness stays unknown. */
const STATUS_TIMEOUT_MS = 3000;
/** Counting commits and resolving a ref are quick; past this they stay unknown. */
const QUICK_GIT_TIMEOUT_MS = 1500;
/** A repository's config is a few hundred bytes; one far larger is not read at all. */
const MAX_CONFIG_BYTES = 64 * 1024;

/** What the repository's config says that the git context uses. */
interface RepositoryConfig {
  originUrl?: string;
  /** Absent when the config could not be read or names a format git is not run with: no git at all then. */
  objectFormat?: 'sha1' | 'sha256';
  /** `core.*` settings that change how files compare (and run nothing), for `git status`. */
  compareSettings: [string, string][];
}

interface GitStart {
  location: GitLocation;
  head: HeadAt | undefined;
  identity: RemoteIdentity;
  config: RepositoryConfig;
  dirty: Promise<boolean | undefined>;
}

/** Where git is looked for: the caller's PATH. */
type GitSearch = { readonly PATH?: string | undefined };

/** How a session's git runs are made: where git is looked for, and what stops those still going. */
interface GitRuns {
  readonly path: string | undefined;
  readonly stop: AbortSignal;
}

const COMPARE_SETTINGS = ['filemode', 'symlinks', 'ignorecase', 'trustctime', 'checkstat', 'precomposeunicode', 'autocrlf', 'eol'];
const PLAIN_VALUE = /^(?:true|false|yes|no|on|off|1|0|input|default|minimal|lf|crlf|native)$/i;

async function readConfig(location: GitLocation): Promise<RepositoryConfig> {
  const text = await readRepositoryText(join(location.commonDir, 'config'), MAX_CONFIG_BYTES);
  if (text === undefined) return { compareSettings: [] };
  const entries = parseGitConfig(text);
  const config: RepositoryConfig = { compareSettings: [] };
  const url = configValue(entries, 'remote.origin.url');
  if (url) config.originUrl = url;
  const format = configValue(entries, 'extensions.objectformat')?.toLowerCase() ?? 'sha1';
  if (format === 'sha1' || format === 'sha256') config.objectFormat = format;
  for (const name of COMPARE_SETTINGS) {
    const value = configValue(entries, `core.${name}`);
    if (value !== undefined && PLAIN_VALUE.test(value)) config.compareSettings.push([name, value]);
  }
  return config;
}

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

function isolated(location: GitLocation, config: RepositoryConfig, extra: Partial<IsolatedRepository> = {}): IsolatedRepository | undefined {
  if (!config.objectFormat) return undefined;
  return { commonDir: location.commonDir, objectFormat: config.objectFormat, settings: config.compareSettings, ...extra };
}

/** HEAD; `unresolved`: on a branch whose commit could not be told (not one with no commit yet). */
type HeadAt = HeadState & { unresolved?: true };

async function headOf(location: GitLocation, config: RepositoryConfig, runs: GitRuns): Promise<HeadAt | undefined> {
  const read = await readHead(location);
  if (read.kind === 'read') return read.head;
  if (read.kind === 'unknown') return undefined;
  // A ref the files did not resolve (packed-refs past its limit): git resolves it.
  const repo = isolated(location, config, { refs: true });
  const run = repo
    ? await runIsolatedGit(repo, ['rev-parse', '-q', '--verify', `${read.ref}^{commit}`], { ...runs, timeoutMs: QUICK_GIT_TIMEOUT_MS })
    : undefined;
  const revision = run?.ok ? run.stdout.trim() : '';
  return /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(revision) ? { branch: read.branch, revision } : { branch: read.branch, unresolved: true };
}

/** The main work tree's directory: a linked worktree's common directory is `<main>/.git`. */
function mainWorkTree(location: GitLocation): string {
  return location.linkedWorktree && basename(location.commonDir) === '.git' ? dirname(location.commonDir) : location.workTree;
}

function identityOf(location: GitLocation, config: RepositoryConfig): RemoteIdentity {
  const identity = config.originUrl ? remoteIdentity(config.originUrl) : {};
  if (identity.name) return identity;
  const name = nameFromDirectory(mainWorkTree(location));
  return name ? { ...identity, name } : identity;
}

/** Changes to tracked files, staged or not; untracked files do not count (as with `git describe --dirty`). */
async function isDirty(location: GitLocation, config: RepositoryConfig, head: HeadAt | undefined, runs: GitRuns): Promise<boolean | undefined> {
  // Against a HEAD not known, every file would look staged.
  if (!head || head.unresolved) return undefined;
  const index = join(location.gitDir, 'index');
  const kind = await entryKind(index);
  // No index yet: nothing is tracked, nothing staged.
  if (kind === 'missing') return head.revision ? undefined : false;
  if (kind !== 'file') return undefined;
  const repo = isolated(location, config, { ...(head.revision ? { head: head.revision } : {}), workTree: { dir: location.workTree, index } });
  if (!repo) return undefined;
  const run = await runIsolatedGit(repo, ['status', '--porcelain', '--untracked-files=no', '--ignore-submodules=all'], {
    ...runs,
    timeoutMs: STATUS_TIMEOUT_MS,
    firstOutputOnly: true,
  });
  return run.ok ? run.stdout.length > 0 : undefined;
}

async function readStart(cwd: string, runs: GitRuns): Promise<GitStart | undefined> {
  const location = await locateGit(cwd);
  if (!location) return undefined;
  const config = await readConfig(location);
  const head = await headOf(location, config, runs);
  const dirty = isDirty(location, config, head, runs);
  return { location, head, identity: identityOf(location, config), config, dirty };
}

async function realpathOr(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return path;
  }
}

async function countCommits(start: GitStart, end: string, deadline: number, runs: GitRuns): Promise<number | undefined> {
  if (start.head?.revision === end) return 0;
  const timeoutMs = Math.min(QUICK_GIT_TIMEOUT_MS, deadline - Date.now());
  if (timeoutMs <= 0) return undefined;
  const repo = isolated(start.location, start.config);
  if (!repo) return undefined;
  const args = ['rev-list', '--count', end, ...(start.head?.revision ? [`^${start.head.revision}`] : []), '--'];
  const run = await runIsolatedGit(repo, args, { ...runs, timeoutMs });
  const n = run.ok ? Number(run.stdout.trim()) : NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

function ciString(ci: Attributes, key: string): string | undefined {
  const value = ci[key];
  return typeof value === 'string' && value ? value : undefined;
}

export class GitSession {
  private start: Promise<GitStart | undefined> | undefined;
  private cwd: string | undefined;
  private readonly stopRuns = new AbortController();
  private readonly runs: GitRuns;

  private constructor(env: GitSearch) {
    this.runs = { path: env.PATH, stop: this.stopRuns.signal };
  }

  /** Nothing is read until `begin`. */
  static create(env: GitSearch): GitSession {
    return new GitSession(env);
  }

  /**
   * The context has been read: git runs still going (a `git status` the deadline gave up on) are
   * stopped and their git directories removed, before the wrapper ends. A signal that ends the
   * wrapper would skip the clean-up at the process's exit.
   */
  end(): void {
    this.stopRuns.abort();
  }

  /**
   * claude's session has started in `cwd`: read the work tree it is in. Called again with
   * another directory (claude works in a worktree it created), that one is read instead.
   */
  begin(cwd: string): void {
    const previous = this.start;
    const before = this.cwd;
    this.cwd = cwd;
    if (previous === undefined || before === undefined) {
      this.start = readStart(cwd, this.runs).catch(() => undefined);
      return;
    }
    this.start = (async () => {
      const [a, b] = await Promise.all([realpathOr(before), realpathOr(cwd)]);
      return a === b ? previous : readStart(cwd, this.runs);
    })().catch(() => undefined);
  }

  /**
   * The session's git context at its end, by `deadline` (epoch ms); undefined outside a work
   * tree, or when no session started. `ci` holds the attributes CI detection put on the resource.
   */
  async context(deadline: number, ci: Attributes): Promise<GitContext | undefined> {
    if (!this.start) return undefined;
    const start = await withDeadline(this.start, deadline);
    if (!start) return undefined;
    const end = await withDeadline(headOf(start.location, start.config, this.runs), deadline);
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
      const commits = await withDeadline(countCommits(start, end.revision, deadline, this.runs), deadline);
      if (commits !== undefined) git.commits = commits;
    } else if (end && !start.head?.revision) git.commits = 0;
    return git;
  }
}
