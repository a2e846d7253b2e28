import type { StoredMeta } from '../../store/reader.ts';
import { boolAttr, numberAttr, stringAttr } from './stored-spans.ts';
import type { StoredSpan } from './stored-spans.ts';
import {
  ATTR_CLAUDE_GIT_COMMITS,
  ATTR_CLAUDE_GIT_DIRTY,
  ATTR_CLAUDE_GIT_REVISION_END,
  ATTR_CLAUDE_GIT_WORKTREE,
  ATTR_VCS_REF_HEAD_NAME,
  ATTR_VCS_REF_HEAD_REVISION,
  ATTR_VCS_REPOSITORY_NAME,
  ATTR_VCS_REPOSITORY_URL_FULL,
} from '../../telemetry/names.ts';

// The git work tree a recorded session ran in, as the viewing commands show it: from the
// store's summary, else from the session span (whose vcs.* may sit on the resource in CI).

/** meta.json's `git` object: the session model's git context. */
export type SessionGit = NonNullable<StoredMeta['git']>;

/** From the `claude.session` span; undefined when it says nothing about git. */
export function gitFromSpan(root: StoredSpan): SessionGit | undefined {
  const vcs = (key: string): string | undefined => stringAttr(root, key) ?? (typeof root.resource?.[key] === 'string' ? String(root.resource[key]) : undefined);
  const worktree = boolAttr(root, ATTR_CLAUDE_GIT_WORKTREE);
  const repository = vcs(ATTR_VCS_REPOSITORY_NAME);
  if (worktree === undefined && repository === undefined) return undefined;
  const git: SessionGit = { worktree: worktree === true };
  const fields: [keyof SessionGit, string | number | boolean | undefined][] = [
    ['repositoryName', repository],
    ['repositoryUrl', vcs(ATTR_VCS_REPOSITORY_URL_FULL)],
    ['branch', vcs(ATTR_VCS_REF_HEAD_NAME)],
    ['revision', vcs(ATTR_VCS_REF_HEAD_REVISION)],
    ['revisionEnd', stringAttr(root, ATTR_CLAUDE_GIT_REVISION_END)],
    ['commits', numberAttr(root, ATTR_CLAUDE_GIT_COMMITS)],
    ['dirty', boolAttr(root, ATTR_CLAUDE_GIT_DIRTY)],
  ];
  for (const [key, value] of fields) if (value !== undefined) Object.assign(git, { [key]: value });
  return git;
}

const SHORT_REVISION = 7;

/** The remote's host and its path there (`github.com`, `acme/widgets`); undefined without a remote URL. */
function remoteParts(git: SessionGit): { host: string; path: string } | undefined {
  if (!git.repositoryUrl) return undefined;
  try {
    const url = new URL(git.repositoryUrl);
    const path = decodeURIComponent(url.pathname).replace(/^\/+|\/+$/g, '');
    return path ? { host: url.host.toLowerCase(), path } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The repository as people name it: `owner/name` from its remote (`acme/widgets`), else its
 * name (a repository without a remote is named after its directory).
 */
export function repositoryLabel(git: SessionGit): string {
  return remoteParts(git)?.path ?? git.repositoryName ?? '?';
}

/**
 * A key per repository for grouping sessions: `owner/name` from the remote, with the host in
 * front (`gitlab.example.com/acme/widgets`) when the same path is on two hosts among `gits`;
 * the name for a repository without a remote. Two repositories with the same name under
 * different owners never share a key.
 */
export function repositoryKeyer(gits: readonly (SessionGit | undefined)[]): (git: SessionGit) => string {
  const hostsByPath = new Map<string, Set<string>>();
  for (const git of gits) {
    const parts = git && remoteParts(git);
    if (parts) hostsByPath.set(parts.path, (hostsByPath.get(parts.path) ?? new Set()).add(parts.host));
  }
  return (git) => {
    const parts = remoteParts(git);
    if (!parts) return git.repositoryName ?? '?';
    return (hostsByPath.get(parts.path)?.size ?? 1) > 1 ? `${parts.host}/${parts.path}` : parts.path;
  };
}

/** `repo@branch` (`acme/widgets@main`); a detached HEAD shows its commit (`acme/widgets@1a2b3c4`); `-` outside a repository. */
export function repoAtBranch(git: SessionGit | undefined): string {
  if (!git) return '-';
  const repo = repositoryLabel(git);
  if (git.branch) return `${repo}@${git.branch}`;
  return git.revision ? `${repo}@${git.revision.slice(0, SHORT_REVISION)}` : repo;
}

/** For `--json`: every field, null when unknown. */
export function gitJson(git: SessionGit | undefined): Record<string, unknown> | null {
  if (!git) return null;
  return {
    repository: git.repositoryName ?? null,
    repositoryUrl: git.repositoryUrl ?? null,
    branch: git.branch ?? null,
    revision: git.revision ?? null,
    revisionEnd: git.revisionEnd ?? null,
    commits: git.commits ?? null,
    dirty: git.dirty ?? null,
    worktree: git.worktree,
  };
}

/**
 * `--repo`: the repository's name, its URL, or the URL's end (`org/repo`); case-insensitive.
 * `--branch`: the branch's name exactly.
 */
export function matchesRepo(git: SessionGit | undefined, wanted: string): boolean {
  if (!git) return false;
  const w = wanted
    .trim()
    .toLowerCase()
    .replace(/\.git$/, '')
    .replace(/\/+$/, '');
  const name = git.repositoryName?.toLowerCase();
  const url = git.repositoryUrl?.toLowerCase();
  return name === w || url === w || url?.endsWith(`/${w}`) === true;
}

export function matchesBranch(git: SessionGit | undefined, wanted: string): boolean {
  return git?.branch !== undefined && git.branch === wanted.trim();
}
