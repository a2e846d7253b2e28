import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { CLAUDE_COMMANDS, CLAUDE_OPTIONS, parseClaudeArgs } from '../../../src/launch/claude-options.ts';
import { parseClaudeHelp } from '../../support/claude-help.ts';

// The stored `claude --help` of every supported CLI (test/integration/claude-help.test.ts
// checks them against the CLIs themselves).
const FIXTURES = new URL('../../fixtures/claude-help/', import.meta.url);
const helps = readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.txt'))
  .map((f) => ({ version: f.replace(/\.txt$/, ''), help: parseClaudeHelp(readFileSync(new URL(f, FIXTURES), 'utf8')) }));

test('the stored help texts are those of both supported CLIs', () => {
  assert.deepEqual(
    helps.map((h) => h.version),
    ['2.1.197', '2.1.337'],
  );
  for (const { help } of helps) assert.ok(help.options.size > 50 && help.commands.size > 5);
});

for (const { version, help } of helps) {
  test(`every option of claude ${version}'s help is in the table, taking its value the same way`, () => {
    const missing = [...help.options].filter(([name, arity]) => CLAUDE_OPTIONS.get(name) !== arity).map(([name, arity]) => `${name} (${arity})`);
    assert.deepEqual(missing, []);
  });
  test(`every sub-command of claude ${version} is known to start no session`, () => {
    assert.deepEqual(
      [...help.commands].filter((c) => !CLAUDE_COMMANDS.has(c)),
      [],
    );
  });
}

test('a required value is the next argument, even one that starts with -', () => {
  const parsed = parseClaudeArgs(['-p', '--effort', 'high', '--append-system-prompt', '-be terse', 'summarise README.md']);
  assert.deepEqual(parsed.positionals, ['summarise README.md']);
  assert.deepEqual(
    parsed.options.map((o) => [o.name, o.values]),
    [
      ['-p', []],
      ['--effort', ['high']],
      ['--append-system-prompt', ['-be terse']],
    ],
  );
  assert.equal(parsed.ambiguous, false);
});

test('an optional value is the next argument unless it is an option', () => {
  assert.deepEqual(parseClaudeArgs(['-p', '--debug', 'hooks']).positionals, []);
  assert.deepEqual(parseClaudeArgs(['-p', '--debug', '--verbose', 'hi']).positionals, ['hi']);
  assert.deepEqual(parseClaudeArgs(['--resume']).options, [{ name: '--resume', values: [], known: true }]);
});

test('a variadic option takes every argument up to the next option, the prompt too', () => {
  assert.deepEqual(parseClaudeArgs(['-p', '--allowedTools', 'Bash', 'Read', 'prompt']).positionals, []);
  assert.deepEqual(parseClaudeArgs(['-p', '--allowedTools', 'Bash', '--verbose', 'prompt']).positionals, ['prompt']);
  assert.deepEqual(parseClaudeArgs(['-p', '--add-dir', 'a', '--', 'prompt']).positionals, ['prompt']);
  // With `=`, the option takes that one value and nothing after it.
  assert.deepEqual(parseClaudeArgs(['-p', '--allowedTools=Bash', 'prompt']).positionals, ['prompt']);
});

test('short options combine: -pc, -nNAME, -dhooks', () => {
  assert.deepEqual(
    parseClaudeArgs(['-pc', 'hi']).options.map((o) => o.name),
    ['-p', '-c'],
  );
  assert.deepEqual(parseClaudeArgs(['-p', '-nwork', 'hi']).options[1], { name: '-n', values: ['work'], known: true });
  assert.deepEqual(parseClaudeArgs(['-p', '-n', 'work', 'hi']).positionals, ['hi']);
  assert.deepEqual(parseClaudeArgs(['-p', '-dhooks', 'hi']).positionals, ['hi']);
});

test('an unknown option is a flag, but the argument right after it may be its value', () => {
  const next = parseClaudeArgs(['-p', '--some-new-option', 'value-or-prompt']);
  assert.deepEqual(next.options.at(-1), { name: '--some-new-option', values: [], known: false });
  assert.equal(next.ambiguous, true);
  assert.equal(parseClaudeArgs(['-p', 'prompt', '--some-new-option']).ambiguous, false);
  assert.equal(parseClaudeArgs(['-p', '--some-new-option', '--verbose', 'prompt']).ambiguous, false);
  assert.equal(parseClaudeArgs(['-p', '--some-new-option=1', 'prompt']).ambiguous, false);
});
