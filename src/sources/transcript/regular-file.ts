import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { LineSplitter } from '../stream-json/line-splitter.ts';

// claude's transcripts are read by path, and a path can name anything: a FIFO (whose open
// would wait forever for a writer), a device, a huge file. Only regular files are read,
// opened without waiting, in slices, line by line; a line over the cap is skipped.

const NONBLOCK = constants.O_NONBLOCK ?? 0;
const NOCTTY = constants.O_NOCTTY ?? 0;
/** Read at most this much at a time. */
export const READ_SLICE = 1 << 20;

/** An open descriptor of the regular file at `path`, or undefined (missing, or not a regular file). */
export function openRegularFile(path: string): number | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | NONBLOCK | NOCTTY);
  } catch {
    return undefined;
  }
  try {
    if (fstatSync(fd).isFile()) return fd;
  } catch {
    // fall through: not usable
  }
  closeSync(fd);
  return undefined;
}

/**
 * Reads `fd` from `offset` to its current end, slice by slice, handing each complete line to
 * `onLine` through `splitter` (which keeps an unfinished last line for the next call).
 * Returns the new offset.
 */
export function readLines(fd: number, offset: number, splitter: LineSplitter, onLine: (text: string) => void): number {
  const size = fstatSync(fd).size;
  let at = offset;
  while (at < size) {
    const slice = Buffer.allocUnsafe(Math.min(READ_SLICE, size - at));
    const n = readSync(fd, slice, 0, slice.length, at);
    if (n <= 0) break;
    at += n;
    splitter.push(slice.subarray(0, n), onLine, () => {});
  }
  return at;
}

/** Every line of the regular file at `path` (none when it is not one). */
export function forEachLine(path: string, onLine: (text: string) => void): void {
  const fd = openRegularFile(path);
  if (fd === undefined) return;
  try {
    const splitter = new LineSplitter();
    readLines(fd, 0, splitter, onLine);
    splitter.end(onLine);
  } finally {
    closeSync(fd);
  }
}

/** The whole text of a small regular file (at most `maxBytes`), else undefined. */
export function readSmallRegularFile(path: string, maxBytes: number): string | undefined {
  const fd = openRegularFile(path);
  if (fd === undefined) return undefined;
  try {
    const size = fstatSync(fd).size;
    if (size > maxBytes) return undefined;
    const bytes = Buffer.alloc(size);
    let at = 0;
    while (at < size) {
      const n = readSync(fd, bytes, at, size - at, at);
      if (n <= 0) break;
      at += n;
    }
    return bytes.subarray(0, at).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
