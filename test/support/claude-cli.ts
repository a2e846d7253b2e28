/**
 * Which real Claude CLI the integration tests drive. Both are devDependencies:
 * - `pinned`: `@anthropic-ai/claude-code`, the oldest supported version (the default);
 * - `newest`: `claude-code-newest`, an npm alias of the newest release.
 * `CLAUDE_OTEL_TEST_CLI=newest` selects the second one; `npm test` runs every integration
 * file once per CLI (scripts/test-matrix.ts).
 *
 * Both packages declare the same `claude` bin, so `node_modules/.bin/claude` is whichever npm
 * linked last: each package's own executable is used instead. Its `bin/claude.exe` is the
 * native binary once the package's install script has run; when npm skipped that script the
 * file is a small placeholder, and the binary of the platform package it depends on runs instead.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type CliName = 'pinned' | 'newest';

const PACKAGE_DIRS: Record<CliName, string> = {
  pinned: 'node_modules/@anthropic-ai/claude-code',
  newest: 'node_modules/claude-code-newest',
};

/** The placeholder the package ships is a few kilobytes; the native binary is hundreds of megabytes. */
const PLACEHOLDER_MAX_BYTES = 1024 * 1024;

function selectedCli(): CliName {
  const value = process.env.CLAUDE_OTEL_TEST_CLI?.trim() || 'pinned';
  if (value === 'pinned' || value === 'newest') return value;
  throw new Error(`CLAUDE_OTEL_TEST_CLI must be "pinned" or "newest", not "${value}"`);
}

function readVersion(packageJson: string): string {
  const pkg: unknown = JSON.parse(readFileSync(packageJson, 'utf8'));
  if (typeof pkg !== 'object' || pkg === null || !('version' in pkg) || typeof pkg.version !== 'string') {
    throw new Error(`${packageJson} has no version`);
  }
  return pkg.version;
}

function platformKey(): string {
  const libc = process.platform === 'linux' && existsSync('/etc/alpine-release') ? '-musl' : '';
  return `${process.platform}-${process.arch}${libc}`;
}

function cliBinary(packageDir: string, version: string): string {
  const wrapperBin = join(packageDir, 'bin', 'claude.exe');
  if (existsSync(wrapperBin) && statSync(wrapperBin).size > PLACEHOLDER_MAX_BYTES) return wrapperBin;
  // Resolved from the package's own directory, so a nested platform package of its own version wins.
  const require = createRequire(join(packageDir, 'package.json'));
  const platformJson = require.resolve(`@anthropic-ai/claude-code-${platformKey()}/package.json`);
  const platformVersion = readVersion(platformJson);
  if (platformVersion !== version) throw new Error(`${platformJson} is ${platformVersion}, not ${version}`);
  return join(dirname(platformJson), process.platform === 'win32' ? 'claude.exe' : 'claude');
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The CLI under test: `pinned` or `newest`. */
export const CLAUDE_CLI: CliName = selectedCli();
const packageDir = join(ROOT, PACKAGE_DIRS[CLAUDE_CLI]);
/** Its version, from its package.json (e.g. `2.1.197`). */
export const CLAUDE_CLI_VERSION: string = readVersion(join(packageDir, 'package.json'));
/** Absolute path of its executable, resolved from this file (not from process.cwd()). */
export const CLAUDE_BIN: string = cliBinary(packageDir, CLAUDE_CLI_VERSION);

function parts(version: string): number[] {
  return version
    .split(/[.-]/)
    .slice(0, 3)
    .map((p) => Number.parseInt(p, 10) || 0);
}

/** True when the CLI under test is `version` or later: for tests of behaviour a CLI release changed. */
export function cliAtLeast(version: string): boolean {
  const have = parts(CLAUDE_CLI_VERSION);
  const want = parts(version);
  for (let i = 0; i < 3; i++) {
    if ((have[i] ?? 0) !== (want[i] ?? 0)) return (have[i] ?? 0) > (want[i] ?? 0);
  }
  return true;
}

/**
 * What the CLI under test does by default offline, where the two versions differ:
 * - `model`: the model of its API calls; `initModel`: the model its init line and hooks name;
 * - `requestsPer400`: requests one call makes when the API answers 400 (2.1.197 gives up at
 *   once; 2.1.332 retries a 400 five times, with no api_retry line).
 */
export const CLI_DEFAULTS: { model: string; initModel: string; requestsPer400: number } = cliAtLeast('2.1.332')
  ? { model: 'claude-opus-5-5', initModel: 'claude-opus-5-5', requestsPer400: 6 }
  : { model: 'claude-opus-4-8', initModel: 'claude-opus-4-8[1m]', requestsPer400: 1 };
