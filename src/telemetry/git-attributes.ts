import type { Attributes } from '@opentelemetry/api';
import type { GitContext } from '../session/events.ts';
import {
  ATTR_CLAUDE_GIT_COMMITS,
  ATTR_CLAUDE_GIT_DIRTY,
  ATTR_CLAUDE_GIT_REVISION_END,
  ATTR_CLAUDE_GIT_WORKTREE,
  ATTR_VCS_REF_HEAD_NAME,
  ATTR_VCS_REF_HEAD_REVISION,
  ATTR_VCS_REPOSITORY_NAME,
  ATTR_VCS_REPOSITORY_URL_FULL,
} from './names.ts';

// A session's git context → attributes of its `claude.session` span.

export function gitAttributes(git: GitContext): Attributes {
  const attributes: Attributes = {};
  // In CI these four are already on the resource, from CI's own variables.
  if (!git.vcsOnResource) {
    if (git.repositoryUrl) attributes[ATTR_VCS_REPOSITORY_URL_FULL] = git.repositoryUrl;
    if (git.repositoryName) attributes[ATTR_VCS_REPOSITORY_NAME] = git.repositoryName;
    if (git.branch) attributes[ATTR_VCS_REF_HEAD_NAME] = git.branch;
    if (git.revision) attributes[ATTR_VCS_REF_HEAD_REVISION] = git.revision;
  }
  if (git.revisionEnd) attributes[ATTR_CLAUDE_GIT_REVISION_END] = git.revisionEnd;
  if (git.commits !== undefined) attributes[ATTR_CLAUDE_GIT_COMMITS] = git.commits;
  if (git.dirty !== undefined) attributes[ATTR_CLAUDE_GIT_DIRTY] = git.dirty;
  attributes[ATTR_CLAUDE_GIT_WORKTREE] = git.worktree;
  return attributes;
}
