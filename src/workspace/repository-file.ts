import { closeSync, constants, fstatSync, openSync, readSync, statSync } from 'node:fs';

// Reads one file of a repository, which is outside data: only a regular file, only up to a
// size limit. A FIFO would block the read (and the wrapper's exit behind it) for ever, and a
// device such as /dev/zero never ends, so neither is opened: the type is checked before the
// open, and again on the open descriptor (O_NONBLOCK, so that a file swapped for a FIFO in
// between cannot block the open itself). The reads are synchronous: a few small regular files,
// read at once, rather than a turn in the thread pool that the export and the store also wait
// on when claude has just exited.

export type RepositoryFileRead = { kind: 'text'; text: string } | { kind: 'missing' } | { kind: 'unreadable' };

function errorCode(error: unknown): unknown {
  return error instanceof Error && 'code' in error ? error.code : undefined;
}

export function readRepositoryFileSync(path: string, maxBytes: number): RepositoryFileRead {
  try {
    const info = statSync(path);
    if (!info.isFile() || info.size > maxBytes) return { kind: 'unreadable' };
  } catch (error) {
    const code = errorCode(error);
    return code === 'ENOENT' || code === 'ENOTDIR' ? { kind: 'missing' } : { kind: 'unreadable' };
  }
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const opened = fstatSync(fd);
    if (!opened.isFile() || opened.size > maxBytes) return { kind: 'unreadable' };
    // One byte more than its size tells a file that is growing while it is read.
    const buffer = Buffer.alloc(opened.size + 1);
    let length = 0;
    while (length < buffer.length) {
      const bytesRead = readSync(fd, buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > opened.size) return { kind: 'unreadable' };
    return { kind: 'text', text: buffer.toString('utf8', 0, length) };
  } catch {
    return { kind: 'unreadable' };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export async function readRepositoryFile(path: string, maxBytes: number): Promise<RepositoryFileRead> {
  return readRepositoryFileSync(path, maxBytes);
}

/** The file's text, or undefined when it is missing or cannot be read safely. */
export async function readRepositoryText(path: string, maxBytes: number): Promise<string | undefined> {
  const read = readRepositoryFileSync(path, maxBytes);
  return read.kind === 'text' ? read.text : undefined;
}

/** What `path` is, without opening it: a directory, a regular file, something else, or nothing. */
export async function entryKind(path: string): Promise<'directory' | 'file' | 'other' | 'missing'> {
  try {
    const info = statSync(path);
    return info.isDirectory() ? 'directory' : info.isFile() ? 'file' : 'other';
  } catch {
    return 'missing';
  }
}
