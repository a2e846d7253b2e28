import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// A claude that cannot be started at all (here: its #! interpreter is missing) gets one line on
// stderr and exit status 127, as a missing claude does; a claude that itself exits 127 gets neither.

const SPAWN = fileURLToPath(new URL('../../../src/launch/spawn-claude.ts', import.meta.url));

const WRAPPER = `
const { spawnClaude } = await import(${JSON.stringify(SPAWN)});
const exit = await spawnClaude({ file: process.argv[1], args: [], env: process.env, pipeStdout: true, pipeStdin: false }).exited;
process.stdout.write(JSON.stringify(exit.exitCode));
`;

async function start(script: string): Promise<{ out: string; err: string; file: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'claude-otel-spawn-'));
  const file = join(dir, 'claude');
  writeFileSync(file, script);
  chmodSync(file, 0o755);
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', WRAPPER, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    await new Promise((resolve) => child.on('close', resolve));
    return { out, err, file };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a claude whose #! interpreter is missing: one line naming it, exit status 127', async () => {
  const { out, err, file } = await start('#!/nonexistent/interp\necho hi\n');
  assert.equal(out, '127');
  assert.equal(err, `claude-otel: cannot run claude (${file}): its interpreter /nonexistent/interp is not found\n`);
});

test('a claude that exits 127 itself: its status, and nothing of ours on stderr', async () => {
  const { out, err } = await start('#!/bin/sh\necho own >&2\nexit 127\n');
  assert.equal(out, '127');
  assert.equal(err, 'own\n');
});
