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

test('runClaude() given options it cannot use, or no claude to run: a ClaudeRunError of one line that names why (a signal aborted already: its AbortError), and nothing runs', async () => {
  const s = await startScenario([]);
  const dir = await mkdtemp(join(LIBRARY_PROJECT, 'run-'));
  try {
    // What a caller in plain JavaScript can get wrong, each tried in turn.
    const script = join(dir, 'wrong-options.mjs');
    await writeFile(
      script,
      [
        "import { runClaude, ClaudeRunError } from 'claude-otel';",
        'const tries = [',
        '  undefined,',
        "  'hello',",
        "  { prompt: 'hello' },",
        "  { args: 'hello' },",
        "  { args: ['hello', 42] },",
        "  { args: ['hello'], env: { CLAUDE_OTEL_MAX_SPANS: 5 } },",
        "  { args: ['hello'], stdin: { text: 'hello' } },",
        "  { args: ['hello'], signal: 'stop' },",
        "  { args: ['hello'], cwd: 7 },",
        "  { args: ['--version'] },",
        "  { args: ['hello'], env: { CLAUDE_OTEL_CLAUDE_BIN: '/no/such/claude' } },",
        "  { args: ['hello'], signal: AbortSignal.abort() },",
        "  { args: ['hello'], cwd: '/no/such/folder' },",
        '];',
        'for (const options of tries) {',
        '  try {',
        '    await runClaude(options);',
        "    console.log('ran');",
        '  } catch (error) {',
        "    console.log(String(error instanceof ClaudeRunError) + ' ' + error.name + ': ' + error.message);",
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    const run = await runInstalled(s, process.execPath, [script]);
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(run.stderr, '', "nothing on the program's own stderr");
    const lines = run.stdout.toString().trimEnd().split('\n');
    assert.match(lines.pop() ?? '', /^true ClaudeRunError: runClaude: cannot run claude \(\/.+\): the directory \/no\/such\/folder does not exist$/);
    assert.deepEqual(lines, [
      'true ClaudeRunError: runClaude: options must be an object ({ args, ... }), not undefined',
      'true ClaudeRunError: runClaude: options must be an object ({ args, ... }), not a string',
      'true ClaudeRunError: runClaude: unknown option "prompt" (the options are args, cwd, env, stdin, signal)',
      "true ClaudeRunError: runClaude: args must be an array of strings (claude's arguments; the prompt is one of them, or goes in stdin), not a string",
      'true ClaudeRunError: runClaude: args[1] must be a string, not a number',
      'true ClaudeRunError: runClaude: env["CLAUDE_OTEL_MAX_SPANS"] must be a string, not a number',
      'true ClaudeRunError: runClaude: stdin must be a string or a Buffer, not an object',
      'true ClaudeRunError: runClaude: signal must be an AbortSignal, not a string',
      'true ClaudeRunError: runClaude: cwd must be a string, not a number',
      'true ClaudeRunError: runClaude: it runs print-mode sessions; these arguments are not one',
      'true ClaudeRunError: runClaude: CLAUDE_OTEL_CLAUDE_BIN=/no/such/claude is not an executable file',
      'false AbortError: This operation was aborted',
    ]);
    assert.equal(s.stub.requests.length, 0, 'no claude ran');
  } finally {
    await rm(dir, { recursive: true, force: true });
    await s.close();
  }
});
