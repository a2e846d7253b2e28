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

/** `repo@branch`; a detached HEAD shows its commit (`repo@1a2b3c4`); `-` outside a repository. */
export function repoAtBranch(git: SessionGit | undefined): string {
  if (!git) return '-';
  const repo = git.repositoryName ?? '?';
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
  return name === w || url === w || (url !== undefined && url.endsWith(`/${w}`));
}

export function matchesBranch(git: SessionGit | undefined, wanted: string): boolean {
  return git?.branch !== undefined && git.branch === wanted.trim();
}
