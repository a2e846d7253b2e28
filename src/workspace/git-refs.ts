import { type FileHandle, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GitLocation } from './git-dir.ts';

// HEAD, the branch it names and the commit it points at, from the files: `HEAD` in the work
// tree's git directory, loose refs, then `packed-refs` in the common directory. Undefined
// when the files do not say (a reftable repository, an unreadable file): the caller asks git.

export interface HeadState {
  /** The branch checked out; absent when HEAD is detached. */
  branch?: string;
  /** The commit HEAD points at; absent on a branch with no commit yet. */
  revision?: string;
}

const OBJECT_ID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
/** Beyond this, packed-refs is left to git itself (a monorepo can have hundreds of thousands of refs). */
const MAX_PACKED_REFS_BYTES = 16 * 1024 * 1024;
const MAX_SYMREF_DEPTH = 5;

type FileRead = { kind: 'text'; text: string } | { kind: 'missing' } | { kind: 'unreadable' };

async function readSmallFile(path: string, maxBytes: number): Promise<FileRead> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? error.code : undefined;
    return code === 'ENOENT' || code === 'ENOTDIR' ? { kind: 'missing' } : { kind: 'unreadable' };
  }
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) return { kind: 'unreadable' };
    return { kind: 'text', text: await readFile(handle, 'utf8') };
  } catch {
    return { kind: 'unreadable' };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

async function readText(path: string): Promise<string | undefined> {
  const read = await readSmallFile(path, 4096);
  return read.kind === 'text' ? read.text : undefined;
}

/** Per-worktree refs live in the worktree's own git directory; branches and tags in the common one. */
function refDirs(location: GitLocation, ref: string): string[] {
  const perWorktree = ref.startsWith('refs/bisect/') || ref.startsWith('refs/worktree/') || ref.startsWith('refs/rewritten/') || !ref.startsWith('refs/');
  return perWorktree ? [location.gitDir, location.commonDir] : [location.commonDir];
}

type Resolved = { kind: 'revision'; revision: string } | { kind: 'missing' } | { kind: 'unknown' };

async function packedRef(location: GitLocation, ref: string): Promise<Resolved> {
  const read = await readSmallFile(join(location.commonDir, 'packed-refs'), MAX_PACKED_REFS_BYTES);
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

export async function readHead(location: GitLocation): Promise<HeadState | undefined> {
  const head = (await readText(join(location.gitDir, 'HEAD')))?.trim();
  if (head === undefined) return undefined;
  if (OBJECT_ID.test(head)) return { revision: head };
  const ref = /^ref:\s*(\S+)$/.exec(head)?.[1];
  // reftable repositories keep a placeholder here; their refs are not files.
  if (!ref || ref === 'refs/heads/.invalid') return undefined;
  const branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : ref;
  const resolved = await resolveRef(location, ref);
  if (resolved.kind === 'unknown') return undefined;
  return resolved.kind === 'revision' ? { branch, revision: resolved.revision } : { branch };
}
