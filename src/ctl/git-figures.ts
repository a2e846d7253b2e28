import type { StoredMeta } from '../store/reader.ts';
import { boolAttr, numberAttr, stringAttr } from './stored-spans.ts';
import type { StoredSpan } from './stored-spans.ts';
import {
  ATTR_CLAUDE_GIT_COMMITS, ATTR_CLAUDE_GIT_DIRTY, ATTR_CLAUDE_GIT_REVISION_END, ATTR_CLAUDE_GIT_WORKTREE, ATTR_VCS_REF_HEAD_NAME,
  ATTR_VCS_REF_HEAD_REVISION, ATTR_VCS_REPOSITORY_NAME, ATTR_VCS_REPOSITORY_URL_FULL,
} from '../telemetry/names.ts';

// The git work tree a recorded session ran in, as the viewing commands show it: from the
// store's summary, else from the session span (whose vcs.* may sit on the resource in CI).

export interface GitFigures {
  repository?: string;
  repositoryUrl?: string;
  branch?: string;
  revision?: string;
  revisionEnd?: string;
  commits?: number;
  dirty?: boolean;
  worktree: boolean;
}

/** meta.json's checked `git` object (the session model's names); undefined when absent. */
export function gitFromMeta(value: StoredMeta['git']): GitFigures | undefined {
  if (!value) return undefined;
  const git: GitFigures = { worktree: value.worktree };
  if (value.repositoryName !== undefined) git.repository = value.repositoryName;
  if (value.repositoryUrl !== undefined) git.repositoryUrl = value.repositoryUrl;
  if (value.branch !== undefined) git.branch = value.branch;
  if (value.revision !== undefined) git.revision = value.revision;
  if (value.revisionEnd !== undefined) git.revisionEnd = value.revisionEnd;
  if (value.commits !== undefined) git.commits = value.commits;
  if (value.dirty !== undefined) git.dirty = value.dirty;
  return git;
}

/** From the `claude.session` span; undefined when it says nothing about git. */
export function gitFromSpan(root: StoredSpan): GitFigures | undefined {
  const vcs = (key: string): string | undefined => stringAttr(root, key) ?? (typeof root.resource?.[key] === 'string' ? String(root.resource[key]) : undefined);
  const worktree = boolAttr(root, ATTR_CLAUDE_GIT_WORKTREE);
  const repository = vcs(ATTR_VCS_REPOSITORY_NAME);
  if (worktree === undefined && repository === undefined) return undefined;
  const git: GitFigures = { worktree: worktree === true };
  const fields: [keyof GitFigures, string | number | boolean | undefined][] = [
    ['repository', repository],
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
export function repoAtBranch(git: GitFigures | undefined): string {
  if (!git) return '-';
  const repo = git.repository ?? '?';
  if (git.branch) return `${repo}@${git.branch}`;
  return git.revision ? `${repo}@${git.revision.slice(0, SHORT_REVISION)}` : repo;
}

/** For `--json`: every field, null when unknown. */
export function gitJson(git: GitFigures | undefined): Record<string, unknown> | null {
  if (!git) return null;
  return {
    repository: git.repository ?? null,
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
export function matchesRepo(git: GitFigures | undefined, wanted: string): boolean {
  if (!git) return false;
  const w = wanted.trim().toLowerCase().replace(/\.git$/, '').replace(/\/+$/, '');
  const name = git.repository?.toLowerCase();
  const url = git.repositoryUrl?.toLowerCase();
  return name === w || url === w || (url !== undefined && url.endsWith(`/${w}`));
}

export function matchesBranch(git: GitFigures | undefined, wanted: string): boolean {
  return git?.branch !== undefined && git.branch === wanted.trim();
}
