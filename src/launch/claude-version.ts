import { readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

// Claude Code's version, read from where the executable lives, without running it: hooks
// do not report it, and starting `claude --version` would cost more than the whole hook.
// The native installer keeps each version as `.../versions/<version>`; the npm package
// has it in the package.json next to `bin/`.

const VERSION = /^\d+\.\d+\.\d+(?:[-+][\w.-]+)?$/;
const PACKAGE_NAME = '@anthropic-ai/claude-code';

export function claudeVersionOf(claudeBin: string): string {
  let path: string;
  try {
    path = realpathSync(claudeBin);
  } catch {
    return 'unknown';
  }
  if (VERSION.test(basename(path))) return basename(path);
  let dir = dirname(path);
  for (let depth = 0; depth < 3; depth++) {
    try {
      const pkg: unknown = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (typeof pkg === 'object' && pkg !== null && 'name' in pkg && 'version' in pkg && pkg.name === PACKAGE_NAME && typeof pkg.version === 'string') {
        return pkg.version;
      }
    } catch {
      // not here
    }
    dir = dirname(dir);
  }
  return 'unknown';
}
