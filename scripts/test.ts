import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfStale } from './build-if-stale.ts';
import { writeBatches } from './test-batches.ts';

// `npm test`. The build runs when src/ changed since the last one; the package is packed and
// installed as users install it, and the oldest CLI's twins of the end-to-end files are written.
// Then the checks (types, lint, import cycles) start, and beside them every tier runs in one
// test-runner run: the files in batches of about a minute (scripts/test-batches.ts), one batch
// more at a time than the machine has cores, the longest first, so that none is left running
// alone at the end.
// The checks' outputs are printed after the tests' (a failed check is named when it ends), and a
// failure among them fails the run.

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BIN = join(ROOT, 'node_modules', '.bin');

interface Step {
  name: string;
  status: number;
  output: string;
}

/** Runs a command with its output held back, so that steps side by side do not interleave. */
function quiet(name: string, command: string, args: string[]): Promise<Step> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) => resolve({ name, status: 1, output: `${output}${error.message}\n` }));
    child.on('close', (code, signal) => resolve({ name, status: code ?? (signal ? 1 : 0), output }));
  });
}

/** Runs a command on the terminal. */
function loud(command: string, args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: 'inherit' });
    child.on('error', () => resolve(1));
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

function testFiles(folder: string): string[] {
  const dir = join(ROOT, folder);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.test.ts'))
    .sort()
    .map((name) => `${folder}/${name}`);
}

const tsx = ['--import', 'tsx'];
// First, as the tests type-check against the library's declarations in dist/.
if (!(await buildIfStale((line) => process.stdout.write(`${line}\n`)))) {
  process.stderr.write('npm test: the build failed\n');
  process.exit(1);
}
// Before the checks start: packing rewrites package.json for a moment.
for (const script of ['scripts/install-packed.ts', 'scripts/test-matrix.ts']) {
  const status = await loud(process.execPath, [...tsx, script]);
  if (status !== 0) process.exit(status);
}

/** A failed check is named as soon as it ends, so that no one waits for the tests to learn of it. */
const report = (step: Promise<Step>) =>
  step.then((done) => {
    if (done.status !== 0) process.stderr.write(`npm test: ${done.name} failed (its output follows the tests')\n`);
    return done;
  });
const checks = Promise.all([
  report(quiet('type check', join(BIN, 'tsc'), ['-p', 'tsconfig.json', '--noEmit'])),
  report(quiet('lint', join(BIN, 'biome'), ['check', '.'])),
  report(quiet('import cycles', process.execPath, [...tsx, 'scripts/folder-direction.ts'])),
]);
/** Exits once the checks have ended: with `status`, or 1 if a check failed. */
async function exitAfterChecks(status: number): Promise<never> {
  const done = await checks;
  for (const step of done) process.stdout.write(step.output);
  const failed = done.filter((step) => step.status !== 0);
  if (failed.length > 0) process.stderr.write(`npm test: ${failed.map((step) => step.name).join(', ')} failed\n`);
  process.exit(failed.length > 0 ? 1 : status);
}

const files = ['test/unit/all-units.ts', ...testFiles('test/integration'), ...testFiles('test/e2e'), ...testFiles('test/cli-pinned')].map((file) =>
  join(ROOT, file),
);
const batches = writeBatches(files, ROOT, join(ROOT, 'test', '.batches'));
// One batch more than the cores: many files spend part of their time waiting on a terminal UI or a timer.
const concurrency = availableParallelism() + 1;
await exitAfterChecks(await loud(process.execPath, [...tsx, '--test', `--test-concurrency=${concurrency}`, ...batches]));
