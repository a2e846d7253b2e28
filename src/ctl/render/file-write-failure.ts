// Why a file could not be written, in words, without the temporary name the write went
// through: `cannot write report.html: no such directory`.

const REASONS: Record<string, string> = {
  ENOENT: 'no such directory',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
  EEXIST: 'a file of that name appeared while writing',
};

/** The reason an fs call failed, from its error code; its message (paths cut) for a code not listed. */
export function fileWriteReason(error: unknown): string {
  const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  if (code && REASONS[code]) return `${REASONS[code]} (${code})`;
  const message = error instanceof Error ? error.message : String(error);
  // Node's messages name the path after a comma (`EIO: i/o error, open '/x/r.html.123.tmp'`).
  return message.replace(/,\s*\w+\s+'[^']*'.*$/, '');
}
