import { join } from 'node:path';
import type { GitContext } from '../session/events.ts';
import { locateGit } from './git-dir.ts';
import { readRepositoryText } from './repository-file.ts';
import { configValue, parseGitConfig } from './git-config.ts';
import { nameFromDirectory, remoteIdentity } from './repository-url.ts';

// The git context of a session read from its transcript: the branch the transcript names
// (`gitBranch`), and the repository found at the directory it names (`cwd`) when that is
// still a work tree. Files only, no git command: revisions and dirtiness are not the
// transcript's to tell, and stay absent.

/** A repository's config is a few hundred bytes; one far larger is not read at all. */
const MAX_CONFIG_BYTES = 64 * 1024;

export async function transcriptGitContext(cwd: string, branch: string | undefined): Promise<GitContext | undefined> {
  const named = branch && branch !== 'HEAD' ? branch : undefined;
  const location = cwd ? await locateGit(cwd).catch(() => undefined) : undefined;
  if (!location) return named ? { branch: named, worktree: false, vcsOnResource: false } : undefined;
  const git: GitContext = { worktree: location.linkedWorktree, vcsOnResource: false };
  const text = await readRepositoryText(join(location.commonDir, 'config'), MAX_CONFIG_BYTES);
  const origin = text === undefined ? undefined : configValue(parseGitConfig(text), 'remote.origin.url');
  const identity = origin ? remoteIdentity(origin) : {};
  if (identity.url) git.repositoryUrl = identity.url;
  const name = identity.name ?? nameFromDirectory(location.workTree);
  if (name) git.repositoryName = name;
  if (named) git.branch = named;
  return git;
}
