import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startScenario, ALLOW_TOOLS, CLAUDE_BIN, CLAUDE_CLI_VERSION, WRAPPER_BIN } from '../support/scenario.ts';
import type { Scenario } from '../support/scenario.ts';
import { WRAPPER_SETTINGS } from '../../src/config/settings-list.ts';
import { WRAPPER_OPTIONS } from '../../src/launch/wrapper-options.ts';
import { MAX_DEPTH } from '../../src/launch/wrapper-loop.ts';

// What the wrapper says about itself (--otel-version, --otel-help), how it refuses an option it
// does not have, and how it stops when the `claude` it finds is the wrapper again.

const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** An executable script in the sandbox's home. */
async function script(s: Scenario, path: string, body: string): Promise<string> {
  const file = join(s.sandbox.home, path);
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
  return file;
}

test('--otel-version: the wrapper, then the claude it would run with its version; claude: not found when there is none', async () => {
  const s = await startScenario([]);
  try {
    const run = await s.wrapper(['--otel-version']);
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(run.stdout.toString(), `claude-otel ${PACKAGE_VERSION}\nclaude ${CLAUDE_CLI_VERSION} (${CLAUDE_BIN})\n`);
    assert.equal(s.stub.requests.length, 0);

    // A PATH with node (for the wrapper's own start) and no claude.
    const nodeOnly = join(s.sandbox.home, 'node-only');
    await mkdir(nodeOnly);
    await symlink(process.execPath, join(nodeOnly, 'node'));
    const none = await s.wrapper(['--otel-version'], { env: { CLAUDE_OTEL_CLAUDE_BIN: undefined, PATH: nodeOnly } });
    assert.equal(none.exitCode, 0, none.stderr);
    const lines = none.stdout.toString().split('\n');
    assert.equal(lines[0], `claude-otel ${PACKAGE_VERSION}`);
    assert.match(lines[1] ?? '', /^claude: not found \(cannot find the claude executable on PATH[^\n]*\)$/);
    assert.equal(lines.length, 3, 'two lines');
  } finally {
    await s.close();
  }
});

test('--otel-help: usage, every --otel- option and setting, and the reference; nothing is started', async () => {
  const s = await startScenario([]);
  try {
    const started = join(s.sandbox.home, 'claude-started');
    const claude = await script(s, 'bin/claude', `echo "$@" >> '${started}'`);
    const run = await s.wrapper(['--otel-help'], { env: { CLAUDE_OTEL_CLAUDE_BIN: claude } });
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(run.stderr, '');
    assert.ok(!existsSync(started), 'claude was started');
    const text = run.stdout.toString();
    assert.ok(text.startsWith('Usage: claude-otel [--otel-options] [claude arguments]\n'), text);
    const lines = text.split('\n');
    for (const option of WRAPPER_OPTIONS) assert.equal(lines.filter((l) => l.trimStart().startsWith(`${option.name} `)).length, 1, option.name);
    for (const setting of WRAPPER_SETTINGS)
      assert.ok(
        lines.some((l) => l.trimStart().startsWith(`${setting.name} `)),
        setting.name,
      );
    // The reference last: the version lines are --otel-version's.
    assert.match(lines.at(-2) ?? '', /^Every setting, span, attribute and metric: \S*docs\/telemetry\.md$/);
    assert.equal(lines.at(-1), '');
    assert.ok(!text.includes(PACKAGE_VERSION), text);
  } finally {
    await s.close();
  }
});

test('an unknown --otel- option: one line on stderr with the likely option, exit 2, claude not started', async () => {
  const s = await startScenario([]);
  try {
    const started = join(s.sandbox.home, 'claude-started');
    const fake = await script(s, 'fake-claude', `touch '${started}'`);
    const run = await s.wrapper(['-p', 'hi', '--otel-print-traceid'], { env: { CLAUDE_OTEL_CLAUDE_BIN: fake } });
    assert.equal(run.exitCode, 2);
    assert.equal(run.stdout.length, 0);
    assert.equal(run.stderr, 'claude-otel: unknown option --otel-print-traceid; did you mean --otel-print-trace-id?\n');
    assert.equal(existsSync(started), false, 'claude was not started');
    // Far from every option: no suggestion; a value given with it is not repeated.
    const far = await s.wrapper(['--otel-endpoint=https://user:secret@example.com'], { env: { CLAUDE_OTEL_CLAUDE_BIN: fake } });
    assert.equal(far.exitCode, 2);
    assert.equal(far.stderr, 'claude-otel: unknown option --otel-endpoint\n');
    assert.equal(existsSync(started), false, 'claude was not started');
  } finally {
    await s.close();
  }
});

test('a `claude` shim on PATH that runs the wrapper again: one line, exit 127, no recursion', async () => {
  const s = await startScenario([]);
  try {
    // The wrapper under another name, and shims that do not name claude-otel.
    const link = join(s.sandbox.home, 'tools', 'otel-wrap');
    await mkdir(join(link, '..'), { recursive: true });
    await symlink(WRAPPER_BIN, link);
    const count = join(s.sandbox.home, 'starts');
    for (const [dir, body] of [
      ['exec-shim', `echo >> "$HOME/starts"\nexec "$HOME/tools/otel-wrap" "$@"`],
      ['child-shim', `echo >> "$HOME/starts"\n"$HOME/tools/otel-wrap" "$@"`],
    ] as const) {
      await script(s, join(dir, 'claude'), body);
      await writeFile(count, '');
      const env = { CLAUDE_OTEL_CLAUDE_BIN: undefined, PATH: `${join(s.sandbox.home, dir)}:${s.sandbox.env.PATH}` };
      // A shim that keeps its shell is stopped by the depth only: slower, so not asked for a version.
      for (const args of dir === 'exec-shim' ? [['-p', 'hi'], ['--otel-version']] : [['-p', 'hi']]) {
        const run = await s.wrapper(args, { env });
        const errors = run.stderr.split('\n').filter((l) => l.startsWith('claude-otel: '));
        if (args[0] === '--otel-version') {
          assert.equal(run.exitCode, 0, run.stderr);
          assert.match(run.stdout.toString(), /\nclaude: not found \([^\n]*claude-otel again[^\n]*\)\n$/);
        } else {
          assert.equal(run.exitCode, 127, `${dir}: ${run.stderr}`);
          assert.equal(errors.length, 1, `${dir}: ${run.stderr}`);
          assert.match(errors[0] ?? '', /claude-otel (again|runs inside each other)/);
        }
      }
      const starts = readFileSync(count, 'utf8').length;
      assert.ok(starts <= MAX_DEPTH + 1, `${dir}: the shim ran ${starts} times`);
      if (dir === 'exec-shim') assert.equal(starts, 2, 'an exec shim is stopped at its first run');
    }
  } finally {
    await s.close();
  }
});

test('a wrapper that claude runs from its Bash tool (a nested session) is not taken for a loop', async () => {
  const s = await startScenario([
    { kind: 'tools', tools: [{ name: 'Bash', input: { command: '"$WRAP" --otel-version; echo "nested exit $?"' } }] },
    { kind: 'text', text: 'done' },
  ]);
  try {
    const run = await s.wrapper(['-p', 'run it', ...ALLOW_TOOLS], { env: { WRAP: WRAPPER_BIN } });
    assert.equal(run.exitCode, 0, run.stderr);
    const last = JSON.stringify(s.stub.requests.filter((r) => r.agentLoop).at(-1)?.body);
    assert.match(last, new RegExp(`claude-otel ${PACKAGE_VERSION.replaceAll('.', '\\.')}`));
    assert.match(last, /nested exit 0/);
  } finally {
    await s.close();
  }
});
