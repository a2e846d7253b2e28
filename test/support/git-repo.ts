import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// git for the tests that build repositories: a fixed identity, and neither the machine's nor the
// user's configuration, so that a test sees only the repository it made.

export const GIT_ENV: Record<string, string> = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.invalid',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.invalid',
};

/** Runs git in `cwd`; its stdout, trimmed. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** The first `git` on PATH, by its absolute path. */
function gitExecutable(): string {
  const found = GIT_ENV.PATH?.split(':')
    .filter((dir) => dir.startsWith('/'))
    .map((dir) => join(dir, 'git'))
    .find((file) => existsSync(file));
  if (!found) throw new Error('git is not installed');
  return found;
}

/**
 * Writes into `dir` a `git` of the user's (for an absolute PATH entry) whose `git status` in the
 * wrapper's isolated git directory hangs for a minute, after writing `<its pid> <its parent's pid>
 * <GIT_DIR>` to `record` (renamed into place). Every other run is the real git's.
 */
export function writeHangingGit(dir: string, record: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'git'),
    [
      '#!/bin/sh',
      'case "$GIT_DIR" in',
      `  */claude-otel-git-*) for a in "$@"; do [ "$a" = status ] && { echo "$$ $PPID $GIT_DIR" > '${record}.part' && mv '${record}.part' '${record}'; exec sleep 60; }; done ;;`,
      'esac',
      `exec '${gitExecutable()}' "$@"`,
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
}
