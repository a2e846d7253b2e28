import type { Attributes } from '@opentelemetry/api';
import type { GitContext } from '../session/events.ts';

// A session's git context → attributes of its `claude.session` span. The `vcs.*` names are
// the OpenTelemetry VCS conventions; @opentelemetry/semantic-conventions 1.38 exports them
// only as incubating constants, which the package asks users to copy rather than import.

export const ATTR_VCS_REPOSITORY_URL_FULL = 'vcs.repository.url.full';
export const ATTR_VCS_REPOSITORY_NAME = 'vcs.repository.name';
export const ATTR_VCS_REF_HEAD_NAME = 'vcs.ref.head.name';
export const ATTR_VCS_REF_HEAD_REVISION = 'vcs.ref.head.revision';

export function gitAttributes(git: GitContext): Attributes {
  const attributes: Attributes = {};
  // In CI these four are already on the resource, from CI's own variables.
  if (!git.vcsOnResource) {
    if (git.repositoryUrl) attributes[ATTR_VCS_REPOSITORY_URL_FULL] = git.repositoryUrl;
    if (git.repositoryName) attributes[ATTR_VCS_REPOSITORY_NAME] = git.repositoryName;
    if (git.branch) attributes[ATTR_VCS_REF_HEAD_NAME] = git.branch;
    if (git.revision) attributes[ATTR_VCS_REF_HEAD_REVISION] = git.revision;
  }
  if (git.revisionEnd) attributes['claude.git.revision.end'] = git.revisionEnd;
  if (git.commits !== undefined) attributes['claude.git.commits'] = git.commits;
  if (git.dirty !== undefined) attributes['claude.git.dirty'] = git.dirty;
  attributes['claude.git.worktree'] = git.worktree;
  return attributes;
}
