import { claudeBinSetting } from '../config/claude-bin.ts';
import { accessSync, constants, openSync, readSync, closeSync, realpathSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

// Which claude to run: CLAUDE_OTEL_CLAUDE_BIN, else the first `claude` on PATH that is not
// this wrapper (a symlink to it, or a shim script that calls it, would make it run itself).

export class ClaudeNotFoundError extends Error {}

type Env = Record<string, string | undefined>;

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function realpathOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** A small script that mentions claude-otel is a shim for this wrapper. */
function isShimForWrapper(path: string): boolean {
  try {
    if (statSync(path).size > 16_384) return false;
    const fd = openSync(path, 'r');
    try {
      const buffer = Buffer.alloc(4096);
      const n = readSync(fd, buffer, 0, buffer.length, 0);
      const head = buffer.subarray(0, n);
      if (head.includes(0)) return false;
      return head.toString('utf8').includes('claude-otel');
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

function searchPath(name: string, env: Env): string[] {
  const found: string[] = [];
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) found.push(candidate);
  }
  return found;
}

export interface ResolveOptions {
  env: Env;
  /** The paths this wrapper runs as (its bin script), never to be taken for claude. */
  selfPaths: string[];
  cwd?: string;
}

export function resolveClaude(options: ResolveOptions): string {
  const { env } = options;
  const self = new Set(options.selfPaths.map(realpathOrSelf));
  const configured = claudeBinSetting(env);
  if (configured) {
    const candidates = configured.includes('/')
      ? [isAbsolute(configured) ? configured : resolve(options.cwd ?? process.cwd(), configured)]
      : searchPath(configured, env);
    const found = candidates.find(isExecutableFile);
    if (!found) throw new ClaudeNotFoundError(`claude-otel: CLAUDE_OTEL_CLAUDE_BIN=${configured} is not an executable file`);
    return found;
  }
  for (const candidate of searchPath('claude', env)) {
    if (self.has(realpathOrSelf(candidate))) continue;
    if (isShimForWrapper(candidate)) continue;
    return candidate;
  }
  throw new ClaudeNotFoundError(
    'claude-otel: cannot find the claude executable on PATH (other than claude-otel itself); install Claude Code or set CLAUDE_OTEL_CLAUDE_BIN=/path/to/claude',
  );
}
