import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// A SIGTERM that arrives while the session is being stored waits for the store, then ends the
// process as it would have: by the signal, not by an exit code.

const MODULE = fileURLToPath(new URL('../../../src/launch/hold-signals.ts', import.meta.url));

const CHILD = `
const { holdTerminationSignals } = await import(${JSON.stringify(MODULE)});
const hold = holdTerminationSignals(60000, (signal) => {
  process.stdout.write('held ' + signal + '\\n');
  // The store is written after the signal came in; only then may it take effect.
  setTimeout(() => { process.stdout.write('stored\\n', () => hold.release()); }, 50);
});
process.stdout.write('ready\\n');
setInterval(() => {}, 1000);
`;

/** Sends `signal` to a process holding the termination signals, once it is ready; what it printed and how it ended. */
async function signalHeldChild(signal: NodeJS.Signals): Promise<{ out: string; err: string; code: number | null; signal: NodeJS.Signals | null }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  await new Promise<void>((resolve) =>
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready\n')) resolve();
    }),
  );
  child.kill(signal);
  const how = await ended;
  return { out, err, ...how };
}

test('a held SIGTERM takes effect once released, and the process dies of it', async () => {
  const { out, err, signal } = await signalHeldChild('SIGTERM');
  assert.equal(out, 'ready\nheld SIGTERM\nstored\n', err);
  assert.equal(signal, 'SIGTERM');
});

/** Runs `body` (after importing the module) in a node of its own; what it printed and how it ended. */
async function runChild(body: string): Promise<{ out: string; code: number | null; signal: NodeJS.Signals | null }> {
  const source = `const { holdTerminationSignals } = await import(${JSON.stringify(MODULE)});\n${body}`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ out, code, signal })));
}

test('without a signal, release does nothing and the process goes on', async () => {
  const { out, code, signal } = await runChild(`
const hold = holdTerminationSignals(60000);
hold.release();
hold.release();
process.stdout.write('still here\\n');
`);
  assert.equal(out, 'still here\n');
  assert.equal(code, 0);
  assert.equal(signal, null);
});

test('a SIGTERM caught just as the hold is released still ends the process, by the signal', async () => {
  // The signal is sent and the hold released in one tick: node has caught it but not yet handed
  // it to a listener when the hold's listeners go away.
  const { out, code, signal } = await runChild(`
const hold = holdTerminationSignals(60000);
setTimeout(() => {
  process.kill(process.pid, 'SIGTERM');
  hold.release();
  setTimeout(() => { process.stdout.write('the signal was lost\\n'); process.exit(0); }, 1000);
}, 50);
`);
  assert.equal(out, '');
  assert.deepEqual({ code, signal }, { code: null, signal: 'SIGTERM' });
});

for (const held of ['SIGUSR1', 'SIGUSR2', 'SIGALRM'] as const) {
  test(`a ${held} while the session is stored waits too, then ends the process by it (never Node's inspector)`, { timeout: 20_000 }, async () => {
    // Should the hold not catch SIGUSR1, Node's inspector would keep the process alive: the timeout ends the test.
    const { out, err, code, signal } = await signalHeldChild(held);
    assert.equal(out, `ready\nheld ${held}\nstored\n`, err);
    assert.deepEqual({ code, signal }, { code: null, signal: held });
    assert.doesNotMatch(err, /Debugger listening/);
  });
}
