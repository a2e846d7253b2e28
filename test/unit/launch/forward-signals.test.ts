import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Every signal that would end the wrapper goes to claude instead, and the wrapper then ends as
// claude did: claude is never left running alone, and SIGUSR1 never opens Node's inspector.

const FORWARD = fileURLToPath(new URL('../../../src/launch/forward-signals.ts', import.meta.url));
const SPAWN = fileURLToPath(new URL('../../../src/launch/spawn-claude.ts', import.meta.url));
const END = fileURLToPath(new URL('../../../src/launch/end-like-claude.ts', import.meta.url));

const WRAPPER = `
const { forwardSignals } = await import(${JSON.stringify(FORWARD)});
const { spawnClaude } = await import(${JSON.stringify(SPAWN)});
const { endLikeClaude } = await import(${JSON.stringify(END)});
const [file, interactive] = process.argv.slice(1);
const { claude, stop } = forwardSignals(() => spawnClaude({ file, args: [], env: process.env, pipeStdout: false, pipeStdin: false }), { interactive: interactive === 'interactive' });
const exit = await claude.exited;
stop();
process.stdout.write('claude ended by ' + exit.signal + '\\n', () => endLikeClaude(exit));
`;

function fakeClaude(): { file: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'claude-otel-forward-'));
  const file = join(dir, 'claude');
  // exec: the pid it prints is the process that gets the signal.
  writeFileSync(file, '#!/bin/sh\necho "ready $$"\nexec sleep 30\n');
  chmodSync(file, 0o755);
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

async function sendToWrapper(signal: NodeJS.Signals, mode: 'print' | 'interactive') {
  const fake = fakeClaude();
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', WRAPPER, fake.file, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let claudePid = 0;
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  try {
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const ready = /ready (\d+)\n/.exec(out);
        if (ready) {
          claudePid = Number(ready[1]);
          resolve();
        }
      }),
    );
    child.kill(signal);
    const how = await ended;
    return { ...how, out, err };
  } finally {
    // Left running only when the signal never reached it.
    if (claudePid) {
      try {
        process.kill(claudePid, 'SIGKILL');
      } catch {
        // ended, as it should have
      }
    }
    fake.remove();
  }
}

for (const signal of ['SIGUSR1', 'SIGUSR2', 'SIGALRM', 'SIGVTALRM'] as const) {
  for (const mode of ['print', 'interactive'] as const) {
    test(`${signal} to the wrapper (${mode}) ends claude, then the wrapper by the same signal`, { timeout: 20_000 }, async () => {
      const { out, err, code, signal: endedBy } = await sendToWrapper(signal, mode);
      assert.match(out, new RegExp(`claude ended by ${signal}\\n$`), err);
      assert.deepEqual({ code, signal: endedBy }, { code: null, signal });
      assert.doesNotMatch(err, /Debugger listening/);
    });
  }
}
