import { constants } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';

// Reads one file of a repository, which is outside data: only a regular file, only up to a
// size limit. A FIFO would block the read (and the wrapper's exit behind it) for ever, and a
// device such as /dev/zero never ends, so neither is opened: the type is checked before the
// open, and again on the open descriptor (O_NONBLOCK, so that a file swapped for a FIFO in
// between cannot block the open itself).

export type RepositoryFileRead = { kind: 'text'; text: string } | { kind: 'missing' } | { kind: 'unreadable' };

function errorCode(error: unknown): unknown {
  return error instanceof Error && 'code' in error ? error.code : undefined;
}

export async function readRepositoryFile(path: string, maxBytes: number): Promise<RepositoryFileRead> {
  try {
    const info = await stat(path);
    if (!info.isFile() || info.size > maxBytes) return { kind: 'unreadable' };
  } catch (error) {
    const code = errorCode(error);
    return code === 'ENOENT' || code === 'ENOTDIR' ? { kind: 'missing' } : { kind: 'unreadable' };
  }
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const opened = await handle.stat();
    if (!opened.isFile() || opened.size > maxBytes) return { kind: 'unreadable' };
    // One byte more than its size tells a file that is growing while it is read.
    const buffer = Buffer.alloc(opened.size + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > opened.size) return { kind: 'unreadable' };
    return { kind: 'text', text: buffer.toString('utf8', 0, length) };
  } catch {
    return { kind: 'unreadable' };
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** The file's text, or undefined when it is missing or cannot be read safely. */
export async function readRepositoryText(path: string, maxBytes: number): Promise<string | undefined> {
  const read = await readRepositoryFile(path, maxBytes);
  return read.kind === 'text' ? read.text : undefined;
}

/** What `path` is, without opening it: a directory, a regular file, something else, or nothing. */
export async function entryKind(path: string): Promise<'directory' | 'file' | 'other' | 'missing'> {
  try {
    const info = await stat(path);
    return info.isDirectory() ? 'directory' : info.isFile() ? 'file' : 'other';
  } catch {
    return 'missing';
  }
}
