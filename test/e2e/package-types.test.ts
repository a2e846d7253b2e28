import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LIBRARY_PROJECT } from '../support/installed-package.ts';

// The types the package ships, as a TypeScript project that installed it sees them: through
// import (ES module) and through require (CommonJS), each resolved by the package's exports.

/** The compiler's command, found through its package.json: the package exports no bin/ path. */
function compilerCommand(): string {
  const packageJson = createRequire(import.meta.url).resolve('typescript/package.json');
  const { bin } = JSON.parse(readFileSync(packageJson, 'utf8')) as { bin: { tsc: string } };
  return join(dirname(packageJson), bin.tsc);
}
const TSC = compilerCommand();
const NODE_TYPES = fileURLToPath(new URL('../../node_modules/@types', import.meta.url));

const USER_CODE = `import { runClaude } from 'claude-otel';
import type { RunClaudeOptions, RunClaudeResult } from 'claude-otel';

const options: RunClaudeOptions = { args: ['hello'], stdin: 'prompt', signal: AbortSignal.timeout(1000) };
const result: Promise<RunClaudeResult> = runClaude(options);
void result.then((r) => r.text.length + r.exitCode);
`;

test('a TypeScript user type-checks against the installed package, with import and with require', async () => {
  const dir = await mkdtemp(join(LIBRARY_PROJECT, 'types-'));
  try {
    await writeFile(join(dir, 'user.mts'), USER_CODE);
    await writeFile(join(dir, 'user.cts'), USER_CODE);
    // A project of its own, as a user has: without one, the compiler would take this repository's.
    const compilerOptions = { noEmit: true, strict: true, module: 'node16', moduleResolution: 'node16', typeRoots: [NODE_TYPES], types: ['node'] };
    await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['user.mts', 'user.cts'] }));
    const run = spawnSync(process.execPath, [TSC, '-p', dir], { cwd: dir, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stdout + run.stderr);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
