import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunResult } from './claude-run.ts';
import type { Scenario } from './scenario.ts';

// The package as users install it, for the end-to-end tests: scripts/install-packed.ts packs
// the project and installs the tarball once per test run (globally into a prefix of its own,
// and into an empty project for the library); this module names what it installed.

const INSTALLED = fileURLToPath(new URL('../.installed/', import.meta.url));

function readInstall(): { tarball: string; global: string; project: string } {
  const file = join(INSTALLED, 'installed.json');
  if (!existsSync(file)) throw new Error('the packed package is not installed: run `npm run build` then `node --import tsx scripts/install-packed.ts`');
  return JSON.parse(readFileSync(file, 'utf8')) as { tarball: string; global: string; project: string };
}

const install = readInstall();

/** The tarball `npm pack` wrote. */
export const TARBALL = install.tarball;
/** The global prefix: its `bin/` is what `npm install -g` puts on a user's PATH. */
export const GLOBAL_PREFIX = install.global;
export const INSTALLED_BIN = {
  wrapper: join(install.global, 'bin', 'claude-otel'),
  ctl: join(install.global, 'bin', 'claude-otel-ctl'),
};
/** The globally installed package's own directory. */
export const INSTALLED_PACKAGE_DIR = join(install.global, 'lib', 'node_modules', 'claude-otel');
/** A project with the tarball as a dependency: a script in it imports 'claude-otel' from plain node. */
export const LIBRARY_PROJECT = install.project;
/** What `npm install -g <tarball>` printed. */
export const GLOBAL_INSTALL_LOG = readFileSync(join(INSTALLED, 'install-global.log'), 'utf8');

/**
 * Runs an installed command (or `node` on a library user's script) in the scenario's login-shell
 * environment, with the global prefix's bin/ first on PATH, as after `npm install -g`.
 */
export function runInstalled(
  s: Scenario,
  file: string,
  args: string[],
  options: { env?: Record<string, string | undefined>; stdin?: string } = {},
): Promise<RunResult> {
  const path = `${join(GLOBAL_PREFIX, 'bin')}:${s.sandbox.env.PATH ?? ''}`;
  return s.run(file, args, { ...options, env: { PATH: path, ...options.env } });
}
