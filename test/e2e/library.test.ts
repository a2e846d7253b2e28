import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startScenario, waitForSession } from '../support/scenario.ts';
import { LIBRARY_PROJECT, runInstalled } from '../support/installed-package.ts';

// The README's runClaude() examples, exactly as the README shows them, run by plain node (no
// TypeScript loader) in a project that installed the packed package: the library loads from
// what the package ships, and the session reaches the collector.

const README = new URL('../../README.md', import.meta.url);

/** The README code block whose first line is `// <name>`. */
async function readmeExample(name: string): Promise<string> {
  const blocks = [...(await readFile(README, 'utf8')).matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
  const block = blocks.find((b) => b.startsWith(`// ${name}\n`));
  assert.ok(block, `README.md has no js example starting with "// ${name}"`);
  return block;
}

async function runExample(name: string, nodeArgs: string[] = []) {
  const s = await startScenario([{ kind: 'text', text: 'It wraps Claude Code with OpenTelemetry.' }]);
  // Inside the project, so that node finds 'claude-otel' in its node_modules; a directory per
  // run, as both CLIs' runs of this file share the project.
  const dir = await mkdtemp(join(LIBRARY_PROJECT, 'run-'));
  try {
    const script = join(dir, name);
    await writeFile(script, await readmeExample(name));
    const run = await runInstalled(s, process.execPath, [...nodeArgs, script]);
    assert.equal(run.exitCode, 0, run.stderr);
    const root = await waitForSession(s.receiver);
    return { run, root, stdout: run.stdout.toString() };
  } finally {
    await rm(dir, { recursive: true, force: true });
    await s.close();
  }
}

test('the README example with import: the session is recorded and its trace id printed', async () => {
  const { root, stdout } = await runExample('ask.mjs');
  assert.equal(stdout, `It wraps Claude Code with OpenTelemetry.\nsession ${String(root.attributes['session.id'])}, trace ${root.traceId}\n`);
  assert.equal(root.attributes['claude.mode'], 'print');
});

test('the README example with require, also where Node cannot require ES modules', async () => {
  // Node 20 before 20.19 cannot require() an ES module: the package gives require() CommonJS.
  const { root, stdout } = await runExample('ask.cjs', ['--no-experimental-require-module']);
  assert.equal(stdout, `It wraps Claude Code with OpenTelemetry.\ntrace ${root.traceId}\n`);
});

test('a wrong setting gives the same warning from the installed command and from runClaude()', async () => {
  const s = await startScenario([
    { kind: 'text', text: 'one' },
    { kind: 'text', text: 'two' },
  ]);
  const dir = await mkdtemp(join(LIBRARY_PROJECT, 'run-'));
  const logLines = async (): Promise<string[]> =>
    (await readFile(join(s.stateDir, 'claude-otel.log'), 'utf8').catch(() => ''))
      .split('\n')
      .filter((line) => line.includes('CLAUDE_OTEL_MAX_SPANS'))
      .map((line) => String((JSON.parse(line) as { msg?: unknown }).msg));
  try {
    const env = { CLAUDE_OTEL_MAX_SPANS: 'lots' };
    const command = await runInstalled(s, 'claude-otel', ['-p', 'hello'], { env });
    assert.equal(command.exitCode, 0, command.stderr);
    const fromCommand = await logLines();
    assert.deepEqual(fromCommand, ['CLAUDE_OTEL_MAX_SPANS=lots is not a whole number of at least 1; using 10000']);

    const script = join(dir, 'ask-once.mjs');
    await writeFile(script, "import { runClaude } from 'claude-otel';\nawait runClaude({ args: ['hello'] });\n");
    const library = await runInstalled(s, process.execPath, [script], { env });
    assert.equal(library.exitCode, 0, library.stderr);
    assert.deepEqual(await logLines(), [...fromCommand, ...fromCommand]);
  } finally {
    await rm(dir, { recursive: true, force: true });
    await s.close();
  }
});
