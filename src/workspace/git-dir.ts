import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { entryKind, readRepositoryText } from './repository-file.ts';

// Where a work tree's repository lives, from the files alone: the `.git` directory (or the
// `.git` file of a linked worktree or submodule) found from a directory upwards, and the
// common directory its refs and config are shared in. Each of these files holds a line: a
// few kilobytes is all they may be.

export interface GitLocation {
  /** The top of the work tree. */
  workTree: string;
  /** This work tree's own git directory (HEAD lives here). */
  gitDir: string;
  /** Where refs, packed-refs and config live: the main repository's git directory. */
  commonDir: string;
  /** A linked worktree (`git worktree add`): its git directory names a common one. */
  linkedWorktree: boolean;
}

const MAX_POINTER_BYTES = 4096;

async function readTrimmed(path: string): Promise<string | undefined> {
  return (await readRepositoryText(path, MAX_POINTER_BYTES))?.trim();
}

/** `.git` as a file holds `gitdir: <path>`, relative to the file's directory when not absolute. */
async function gitDirOf(dir: string): Promise<string | undefined> {
  const dotGit = join(dir, '.git');
  const kind = await entryKind(dotGit);
  if (kind === 'missing' || kind === 'other') return undefined;
  if (kind === 'directory') return dotGit;
  const text = await readTrimmed(dotGit);
  const match = text ? /^gitdir:\s*(.+)$/m.exec(text) : null;
  if (!match?.[1]) return undefined;
  const path = match[1].trim();
  return isAbsolute(path) ? path : resolve(dir, path);
}

function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The work tree holding `start`, or undefined outside one (or when its files cannot be read). */
export async function locateGit(start: string): Promise<GitLocation | undefined> {
  const from = resolve(start);
  let dir = from;
  for (;;) {
    const gitDir = await gitDirOf(dir);
    if (gitDir && (await entryKind(gitDir)) === 'directory' && (await readTrimmed(join(gitDir, 'HEAD'))) !== undefined) {
      const common = await readTrimmed(join(gitDir, 'commondir'));
      const commonDir = common ? (isAbsolute(common) ? common : resolve(gitDir, common)) : gitDir;
      // Inside the git directory itself is not inside the work tree.
      if (isInside(from, gitDir)) return undefined;
      return { workTree: dir, gitDir, commonDir, linkedWorktree: common !== undefined };
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}
