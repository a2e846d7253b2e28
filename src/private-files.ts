import { closeSync, constants, fchmodSync, fstatSync, lstatSync, mkdirSync, openSync, renameSync, statSync, chmodSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { isAbsolute } from 'node:path';

// Everything the wrapper and claude-otel-ctl write for the user alone: directories 0700,
// files 0600, and never through a symlink someone else planted. Files are written under a
// new random name (O_EXCL|O_NOFOLLOW) and renamed into place, so a link at the final name is
// replaced, not followed; appended files are opened with O_NOFOLLOW.

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

// Not every platform has these; 0 leaves the flag out.
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const NONBLOCK = constants.O_NONBLOCK ?? 0;

/** Creates `dir` and any missing parent, each 0700. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/** Writes `path` (0600) in one step: a reader never sees half of it. Pieces are written one after another, never joined in memory. */
export function writePrivateFile(path: string, data: string | Uint8Array | readonly Uint8Array[]): void {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW, PRIVATE_FILE_MODE);
  try {
    const pieces = typeof data === 'string' ? [Buffer.from(data)] : data instanceof Uint8Array ? [data] : data;
    for (const bytes of pieces) {
      let offset = 0;
      while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    }
  } catch (error) {
    closeSync(fd);
    unlinkQuietly(tmp);
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(tmp, path);
  } catch (error) {
    unlinkQuietly(tmp);
    throw error;
  }
}

/**
 * Opens `path` for appending, creating it 0600. A symlink, a FIFO or a device there is
 * refused (never followed, never waited on); a file of ours with a looser mode is tightened.
 */
export function openPrivateAppend(path: string): number {
  const fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | NOFOLLOW | NONBLOCK, PRIVATE_FILE_MODE);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new Error(`${path} is not a regular file`);
    if ((stat.mode & 0o077) !== 0) fchmodSync(fd, PRIVATE_FILE_MODE);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  return fd;
}

export interface StateDirCheck {
  /** Create a missing state dir (0700), as the wrapper does before storing; `doctor` only looks. */
  create?: boolean;
}

/**
 * Why the state dir must not be used, or undefined when it may: it must be an absolute path (a
 * relative one would put the store in whatever directory claude starts in), not a symbolic link
 * someone else owns (they could point it anywhere), and a directory of this user that nobody else
 * can write to (someone who can could plant links or read the sessions). A missing one is created
 * 0700 (unless `create` is false); one of ours that others can read is tightened.
 */
export function stateDirProblem(dir: string, check: StateDirCheck = {}): string | undefined {
  if (!isAbsolute(dir)) return `${dir} is not an absolute path`;
  const uid = process.getuid?.();
  try {
    const link = orMissing(() => lstatSync(dir));
    if (link?.isSymbolicLink() && uid !== undefined && link.uid !== uid) return `${dir} is a symbolic link that belongs to another user (uid ${link.uid})`;
    if (check.create !== false) ensurePrivateDir(dir);
    const stat = orMissing(() => statSync(dir));
    // Not there yet: the wrapper will create it.
    if (!stat) return undefined;
    if (!stat.isDirectory()) return `${dir} is not a directory`;
    if (uid !== undefined && stat.uid !== uid) return `${dir} belongs to another user (uid ${stat.uid})`;
    if ((stat.mode & 0o022) !== 0) return `${dir} can be written by group or others (mode ${(stat.mode & 0o777).toString(8)})`;
    if ((stat.mode & 0o077) !== 0 && check.create !== false) chmodSync(dir, PRIVATE_DIR_MODE);
    return undefined;
  } catch (error) {
    return `${dir} cannot be used (${error instanceof Error && 'code' in error ? String(error.code) : String(error)})`;
  }
}

function orMissing<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
