import { execFile } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

// Claude Code's version, read from where the executable lives, without running it: hooks
// do not report it, and starting `claude --version` would cost more than the whole hook.
// The native installer keeps each version as `.../versions/<version>`; the npm package
// has it in the package.json next to `bin/`, and so has the platform package whose native
// binary runs when npm skipped the package's install script. The Agent SDK's platform package
// (`@anthropic-ai/claude-agent-sdk-<platform>`) carries a CLI build whose version only the SDK's
// own package.json names (`claudeCodeVersion`), when the two packages are of one release.

const VERSION = /^\d+\.\d+\.\d+(?:[-+][\w.-]+)?$/;
/** The npm package, or the platform package holding its native binary (`@anthropic-ai/claude-code-linux-x64`). */
const PACKAGE_NAME = /^@anthropic-ai\/claude-code(?:-[a-z0-9]+)*$/;
const SDK_PLATFORM_PACKAGE = /^@anthropic-ai\/claude-agent-sdk-[a-z0-9-]+$/;
const SDK_PACKAGE = join('@anthropic-ai', 'claude-agent-sdk', 'package.json');

function readPackage(file: string): Record<string, unknown> | undefined {
  try {
    const pkg: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof pkg === 'object' && pkg !== null ? (pkg as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The SDK next to its platform package (in the same node_modules, or one above), when of the same release. */
function sdkCliVersion(platformDir: string, platformVersion: string): string | undefined {
  let dir = dirname(platformDir);
  for (let depth = 0; depth < 3; depth++) {
    if (basename(dir) === 'node_modules') {
      const sdk = readPackage(join(dir, SDK_PACKAGE));
      if (sdk?.version === platformVersion && typeof sdk.claudeCodeVersion === 'string' && VERSION.test(sdk.claudeCodeVersion)) return sdk.claudeCodeVersion;
      return undefined;
    }
    dir = dirname(dir);
  }
  return undefined;
}

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
    const pkg = readPackage(join(dir, 'package.json'));
    if (pkg && typeof pkg.version === 'string' && typeof pkg.name === 'string') {
      if (PACKAGE_NAME.test(pkg.name)) return pkg.version;
      if (SDK_PLATFORM_PACKAGE.test(pkg.name)) return sdkCliVersion(dir, pkg.version) ?? 'unknown';
    }
    dir = dirname(dir);
  }
  return 'unknown';
}

/** How long `claude --version` may take before the answer is "unknown". */
export const CLAUDE_VERSION_TIMEOUT_MS = 5000;

export type VersionAnswer = { version: string } | { failed: string };

/**
 * Claude's version as `<claude> --version` prints it (its first word that looks like a
 * version), for `claude-otel --otel-version`. `env` should carry the loop marker, so that a
 * claude that is this wrapper again fails at once instead of starting itself.
 */
export function askClaudeVersion(claudeBin: string, env: Record<string, string | undefined>): Promise<VersionAnswer> {
  return new Promise((resolve) => {
    execFile(claudeBin, ['--version'], { env, timeout: CLAUDE_VERSION_TIMEOUT_MS, encoding: 'utf8' }, (error, stdout, stderr) => {
      const firstLine = stdout.trim().split('\n')[0]?.trim() ?? '';
      const version = /\d+\.\d+\.\d+\S*/.exec(firstLine)?.[0];
      if (!error && version) return resolve({ version });
      const reason = error?.killed
        ? `no answer to --version within ${CLAUDE_VERSION_TIMEOUT_MS} ms`
        : (stderr.trim().split('\n')[0] ?? '') || (error ? error.message.split('\n')[0] : `--version printed ${firstLine ? 'no version' : 'nothing'}`);
      resolve({ failed: reason ?? 'failed' });
    });
  });
}
