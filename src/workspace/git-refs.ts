import { join } from 'node:path';
import type { GitLocation } from './git-dir.ts';
import { readRepositoryFile, readRepositoryText } from './repository-file.ts';

// HEAD, the branch it names and the commit it points at, from the files: `HEAD` in the work
// tree's git directory, loose refs, then `packed-refs` in the common directory. Undefined
// when the files do not say (a reftable repository, an unreadable file).

export interface HeadState {
  /** The branch checked out; absent when HEAD is detached. */
  branch?: string;
  /** The commit HEAD points at; absent on a branch with no commit yet. */
  revision?: string;
}

const OBJECT_ID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
/** Beyond this, packed-refs is left to git itself (a monorepo can have hundreds of thousands of refs). */
const MAX_PACKED_REFS_BYTES = 1024 * 1024;
/** HEAD and a loose ref hold one line. */
const MAX_REF_BYTES = 4096;
const MAX_SYMREF_DEPTH = 5;

function readText(path: string): Promise<string | undefined> {
  return readRepositoryText(path, MAX_REF_BYTES);
}

/** Per-worktree refs live in the worktree's own git directory; branches and tags in the common one. */
function refDirs(location: GitLocation, ref: string): string[] {
  const perWorktree = ref.startsWith('refs/bisect/') || ref.startsWith('refs/worktree/') || ref.startsWith('refs/rewritten/') || !ref.startsWith('refs/');
  return perWorktree ? [location.gitDir, location.commonDir] : [location.commonDir];
}

type Resolved = { kind: 'revision'; revision: string } | { kind: 'missing' } | { kind: 'unknown' };

async function packedRef(location: GitLocation, ref: string): Promise<Resolved> {
  const read = await readRepositoryFile(join(location.commonDir, 'packed-refs'), MAX_PACKED_REFS_BYTES);
  if (read.kind === 'missing') return { kind: 'missing' };
  if (read.kind === 'unreadable') return { kind: 'unknown' };
  for (const line of read.text.split('\n')) {
    if (line.length > 41 && line.endsWith(` ${ref}`)) {
      const id = line.slice(0, line.indexOf(' '));
      if (OBJECT_ID.test(id)) return { kind: 'revision', revision: id };
    }
  }
  return { kind: 'missing' };
}

async function resolveRef(location: GitLocation, ref: string, depth = 0): Promise<Resolved> {
  if (depth > MAX_SYMREF_DEPTH || ref.includes('..')) return { kind: 'unknown' };
  for (const dir of refDirs(location, ref)) {
    const text = (await readText(join(dir, ref)))?.trim();
    if (text === undefined) continue;
    if (OBJECT_ID.test(text)) return { kind: 'revision', revision: text };
    const symbolic = /^ref:\s*(\S+)$/.exec(text);
    if (symbolic?.[1]) return resolveRef(location, symbolic[1], depth + 1);
    return { kind: 'unknown' };
  }
  return packedRef(location, ref);
}

/**
 * HEAD from the files. `unresolved`: HEAD names a ref whose commit the files did not tell (a
 * packed-refs past its limit, say); `unknown`: not even the ref (a reftable repository, an
 * unreadable HEAD).
 */
export type HeadRead = { kind: 'read'; head: HeadState } | { kind: 'unresolved'; ref: string; branch: string } | { kind: 'unknown' };

export async function readHead(location: GitLocation): Promise<HeadRead> {
  const head = (await readText(join(location.gitDir, 'HEAD')))?.trim();
  if (head === undefined) return { kind: 'unknown' };
  if (OBJECT_ID.test(head)) return { kind: 'read', head: { revision: head } };
  const ref = /^ref:\s*(refs\/\S+)$/.exec(head)?.[1];
  // reftable repositories keep a placeholder here; their refs are not files.
  if (!ref || ref === 'refs/heads/.invalid' || ref.includes('..')) return { kind: 'unknown' };
  const branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : ref;
  const resolved = await resolveRef(location, ref);
  if (resolved.kind === 'unknown') return { kind: 'unresolved', ref, branch };
  return { kind: 'read', head: resolved.kind === 'revision' ? { branch, revision: resolved.revision } : { branch } };
}
