import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LIBRARY_PROJECT } from '../support/installed-package.ts';

// The types the package ships, as a TypeScript project that installed it sees them: through
// import (ES module) and through require (CommonJS), each resolved by the package's exports.

const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');
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
    const run = spawnSync(
      process.execPath,
      [TSC, '--noEmit', '--strict', '--module', 'node16', '--moduleResolution', 'node16', '--typeRoots', NODE_TYPES, '--types', 'node', 'user.mts', 'user.cts'],
      { cwd: dir, encoding: 'utf8' },
    );
    assert.equal(run.status, 0, run.stdout + run.stderr);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
