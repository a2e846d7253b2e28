/**
 * Which real Claude CLI the integration tests drive. Both are devDependencies:
 * - `pinned`: `@anthropic-ai/claude-code`, the oldest supported version;
 * - `newest` (the default): `claude-cli-newest`, an npm alias of the Agent SDK's linux-x64 platform package,
 *   which carries the newest CLI build (newer than the newest `@anthropic-ai/claude-code`).
 *   Its version is the SDK's `claudeCodeVersion`; the platform package's own version is the SDK's.
 * `CLAUDE_OTEL_TEST_CLI=pinned` selects the first one. `npm test` runs the integration tier on
 * the newest CLI, and the end-to-end tier once per CLI (scripts/test-matrix.ts).
 *
 * The pinned package's `bin/claude.exe` is the native binary once its install script has run;
 * when npm skipped that script the file is a small placeholder, and the binary of the platform
 * package it depends on runs instead.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type CliName = 'pinned' | 'newest';

const PINNED_DIR = 'node_modules/@anthropic-ai/claude-code';
const NEWEST_DIR = 'node_modules/claude-cli-newest';
const AGENT_SDK_DIR = 'node_modules/@anthropic-ai/claude-agent-sdk';

/** The placeholder the package ships is a few kilobytes; the native binary is hundreds of megabytes. */
const PLACEHOLDER_MAX_BYTES = 1024 * 1024;

function selectedCli(): CliName {
  const value = process.env.CLAUDE_OTEL_TEST_CLI?.trim() || 'newest';
  if (value === 'pinned' || value === 'newest') return value;
  throw new Error(`CLAUDE_OTEL_TEST_CLI must be "pinned" or "newest", not "${value}"`);
}

function readField(packageJson: string, field: 'version' | 'claudeCodeVersion'): string {
  const pkg: unknown = JSON.parse(readFileSync(packageJson, 'utf8'));
  const value = typeof pkg === 'object' && pkg !== null && field in pkg ? (pkg as Record<string, unknown>)[field] : undefined;
  if (typeof value !== 'string') throw new Error(`${packageJson} has no ${field}`);
  return value;
}

function readVersion(packageJson: string): string {
  return readField(packageJson, 'version');
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

/** The newest build: the Agent SDK's platform binary, of the CLI version the SDK names. */
function newestCli(): { version: string; bin: string } {
  const sdkJson = join(ROOT, AGENT_SDK_DIR, 'package.json');
  const platformJson = join(ROOT, NEWEST_DIR, 'package.json');
  const sdkVersion = readVersion(sdkJson);
  const platformVersion = readVersion(platformJson);
  if (platformVersion !== sdkVersion) throw new Error(`${platformJson} is ${platformVersion}, not the Agent SDK's ${sdkVersion}`);
  return { version: readField(sdkJson, 'claudeCodeVersion'), bin: join(ROOT, NEWEST_DIR, 'claude') };
}

function pinnedCli(): { version: string; bin: string } {
  const packageDir = join(ROOT, PINNED_DIR);
  const version = readVersion(join(packageDir, 'package.json'));
  return { version, bin: cliBinary(packageDir, version) };
}

/** The CLI under test: `pinned` or `newest`. */
export const CLAUDE_CLI: CliName = selectedCli();
const selected = CLAUDE_CLI === 'newest' ? newestCli() : pinnedCli();
/** Its version (e.g. `2.1.197`). */
export const CLAUDE_CLI_VERSION: string = selected.version;
/** Absolute path of its executable, resolved from this file (not from process.cwd()). */
export const CLAUDE_BIN: string = selected.bin;

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

/** Every supported CLI, whichever one is under test: for tests that check something of each. */
export function supportedClis(): { name: CliName; version: string; bin: string }[] {
  return [
    { name: 'pinned', ...pinnedCli() },
    { name: 'newest', ...newestCli() },
  ];
}
