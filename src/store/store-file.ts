import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

// A store file is read by name, and a name can hold anything: a FIFO (whose open or read would
// wait forever for a writer), a link to a device (/dev/zero never ends), a file far larger than
// the wrapper writes. Only regular files are read, opened without waiting, up to a size cap.

const NONBLOCK = constants.O_NONBLOCK ?? 0;
const NOCTTY = constants.O_NOCTTY ?? 0;

/** meta.json, started.json, delivery-failure: a few KiB when the wrapper writes them. */
export const MAX_SMALL_FILE_BYTES = 1 << 20;
/** A chunk holds one flush of a session; far beyond what a session writes, below what a parse can hold. */
export const MAX_CHUNK_FILE_BYTES = 256 << 20;

export type StoreFileText = { ok: true; text: string } | { ok: false; reason: string };

function errorCode(error: unknown): string {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : String(error);
}

function notRegular(stat: ReturnType<typeof fstatSync>): string {
  const kind = stat.isFIFO() ? 'a FIFO, ' : stat.isDirectory() ? 'a directory, ' : stat.isCharacterDevice() || stat.isBlockDevice() ? 'a device, ' : '';
  return `it is ${kind}not a regular file`;
}

/** The text of the regular file at `path`, at most `maxBytes`; otherwise why not. */
export function readStoreFile(path: string, maxBytes: number): StoreFileText {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | NONBLOCK | NOCTTY);
  } catch (error) {
    return { ok: false, reason: `cannot read it (${errorCode(error)})` };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { ok: false, reason: notRegular(stat) };
    if (stat.size > maxBytes) return { ok: false, reason: `it is larger than ${maxBytes / (1 << 20)} MiB (${stat.size} bytes), not read` };
    const bytes = Buffer.alloc(stat.size);
    let at = 0;
    while (at < stat.size) {
      const n = readSync(fd, bytes, at, stat.size - at, at);
      if (n <= 0) break;
      at += n;
    }
    return { ok: true, text: bytes.subarray(0, at).toString('utf8') };
  } catch (error) {
    return { ok: false, reason: `cannot read it (${errorCode(error)})` };
  } finally {
    closeSync(fd);
  }
}
