// claude's options, from each supported CLI itself: the wrapper reads claude's arguments with a
// table of them (src/launch/claude-options.ts), and an option missing there could have its value
// taken for the prompt. This fails when a supported CLI lists an option or a sub-command that
// the table lacks, and when the help text stored for the offline test no longer says the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CLAUDE_COMMANDS, CLAUDE_OPTIONS } from '../../src/launch/claude-options.ts';
import { supportedClis } from '../support/claude-cli.ts';
import { parseClaudeHelp } from '../support/claude-help.ts';

const run = promisify(execFile);

for (const cli of supportedClis()) {
  test(`claude ${cli.version} (${cli.name}): every option and sub-command its --help lists is known`, async () => {
    const home = await mkdtemp(join(tmpdir(), 'claude-otel-help-'));
    try {
      const { stdout } = await run(cli.bin, ['--help'], { env: { HOME: home, PATH: process.env.PATH ?? '/usr/bin:/bin' } });
      const help = parseClaudeHelp(stdout);
      assert.ok(help.options.has('--print') && help.options.has('--model'), 'not a help text');
      const wrong = [...help.options].filter(([name, arity]) => CLAUDE_OPTIONS.get(name) !== arity).map(([name, arity]) => `${name} (${arity})`);
      assert.deepEqual(wrong, [], 'options missing from CLAUDE_OPTIONS, or taking their value another way');
      assert.deepEqual(
        [...help.commands].filter((c) => !CLAUDE_COMMANDS.has(c)),
        [],
        'sub-commands missing from CLAUDE_COMMANDS',
      );

      const fixture = new URL(`../fixtures/claude-help/${cli.version}.txt`, import.meta.url);
      assert.ok(existsSync(fixture), `store this help as test/fixtures/claude-help/${cli.version}.txt`);
      const stored = parseClaudeHelp(readFileSync(fixture, 'utf8'));
      assert.deepEqual([...stored.options].sort(), [...help.options].sort(), `test/fixtures/claude-help/${cli.version}.txt is out of date`);
      assert.deepEqual([...stored.commands].sort(), [...help.commands].sort(), `test/fixtures/claude-help/${cli.version}.txt is out of date`);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
}
