import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitWrapperArgs } from '../../../src/launch/wrapper-options.ts';
import { classifyRun, printModeArgs, sdkModeArgs } from '../../../src/launch/session-kind.ts';

test("--otel- options are the wrapper's; everything else reaches claude in order", () => {
  const { claudeArgs, options } = splitWrapperArgs(['-p', '--otel-debug', 'hello', '--model', 'x', '--otel-print-trace-id', '--otel-nope=1']);
  assert.deepEqual(claudeArgs, ['-p', 'hello', '--model', 'x']);
  assert.equal(options.debug, true);
  assert.equal(options.printTraceId, true);
  assert.deepEqual(options.unknown, ['--otel-nope']);
});

test('after -- nothing is taken for a wrapper option', () => {
  const { claudeArgs } = splitWrapperArgs(['-p', '--', '--otel-debug']);
  assert.deepEqual(claudeArgs, ['-p', '--', '--otel-debug']);
});

test('classifies print, interactive and non-session runs', () => {
  assert.deepEqual(classifyRun(['-p', 'hi']), { kind: 'print', outputFormat: 'text', verbose: false, includePartialMessages: false, promptArg: 'hi' });
  assert.equal(classifyRun(['--print', '--output-format=json', 'x']).kind, 'print');
  const run = classifyRun(['-p', '--output-format', 'stream-json', '--verbose', '--allowedTools', 'Bash', 'Read']);
  assert.deepEqual(run, { kind: 'print', outputFormat: 'stream-json', verbose: true, includePartialMessages: false });
  assert.equal(classifyRun([]).kind, 'interactive');
  assert.equal(classifyRun(['--model', 'opus']).kind, 'interactive');
  assert.equal(classifyRun(['--version']).kind, 'passthrough');
  assert.equal(classifyRun(['mcp', 'list']).kind, 'passthrough');
  assert.equal(classifyRun(['doctor']).kind, 'passthrough');
  // A prompt that happens to be a sub-command's name is still a prompt in print mode.
  assert.equal(classifyRun(['-p', 'doctor']).kind, 'print');
});

test("the prompt is never an option's value", () => {
  const prompt = (args: string[]) => {
    const run = classifyRun(args);
    return run.kind === 'print' ? run.promptArg : `not print: ${run.kind}`;
  };
  assert.equal(prompt(['-p', '--effort', 'high', 'summarise README.md']), 'summarise README.md');
  assert.equal(prompt(['-p', '-n', 'review', 'summarise README.md']), 'summarise README.md');
  assert.equal(prompt(['-p', '--name=review', 'summarise README.md']), 'summarise README.md');
  assert.equal(prompt(['-p', '--autocompact', 'auto', '--permission-prompts', 'none', 'hi']), 'hi');
  assert.equal(prompt(['-p', '--append-system-prompt', '-be terse', 'hi']), 'hi');
  // claude takes these for the option's value, as commander does.
  assert.equal(prompt(['-p', '--debug', 'hooks']), undefined);
  assert.equal(prompt(['-p', '--allowedTools', 'Bash', 'hi']), undefined);
  assert.equal(prompt(['-p', '--allowedTools', 'Bash', '--', 'hi']), 'hi');
  assert.equal(prompt(['-pc', 'hi']), 'hi');
  // An option this wrapper does not know may take a value: no prompt rather than a wrong one.
  assert.equal(prompt(['-p', '--some-new-option', 'x', 'hi']), undefined);
  assert.equal(prompt(['-p', 'hi', '--some-new-flag']), 'hi');
});

test('sub-commands of newer CLIs start no session', () => {
  for (const command of ['agents', 'attach', 'logs', 'purge', 'ultrareview', 'project']) assert.equal(classifyRun([command]).kind, 'passthrough', command);
});

test("print-mode arguments ask for stream-json in front and drop the user's format", () => {
  const run = classifyRun(['-p', 'hi', '--output-format', 'json']);
  assert.equal(run.kind, 'print');
  if (run.kind !== 'print') return;
  assert.deepEqual(printModeArgs(['-p', 'hi', '--output-format', 'json'], run), [
    '--output-format',
    'stream-json',
    '--verbose',
    '--include-partial-messages',
    '-p',
    'hi',
  ]);
});

test('stream-json without --verbose is left to claude as given', () => {
  const run = classifyRun(['-p', 'hi', '--output-format', 'stream-json']);
  assert.equal(run.kind, 'print');
  if (run.kind !== 'print') return;
  assert.equal(printModeArgs(['-p', 'hi', '--output-format', 'stream-json'], run), undefined);
});

test("the user's own --verbose and --include-partial-messages are not repeated", () => {
  const args = ['-p', '--verbose', '--include-partial-messages', '--output-format=stream-json', 'hi'];
  const run = classifyRun(args);
  assert.equal(run.kind, 'print');
  if (run.kind !== 'print') return;
  assert.deepEqual(printModeArgs(args, run), ['--output-format', 'stream-json', '-p', '--verbose', '--include-partial-messages', 'hi']);
});

test('streaming input is an SDK run, with or without -p', () => {
  const agentSdk = ['--output-format', 'stream-json', '--verbose', '--input-format', 'stream-json', '--allowedTools=Bash', '--permission-prompt-tool=stdio'];
  assert.deepEqual(classifyRun(agentSdk), { kind: 'sdk', outputFormat: 'stream-json', verbose: true, includePartialMessages: false });
  assert.equal(classifyRun(['-p', '--input-format=stream-json', '--output-format=stream-json', '--verbose']).kind, 'sdk');
  assert.equal(classifyRun(['-p', '--input-format', 'text', 'hi']).kind, 'print');
  assert.equal(classifyRun(['--input-format', 'text']).kind, 'interactive');
  assert.equal(classifyRun(['--input-format', 'stream-json', '--version']).kind, 'passthrough');
});

test('SDK-mode arguments add only the partial messages, in front, when the caller did not ask for them', () => {
  const args = ['--output-format', 'stream-json', '--verbose', '--input-format', 'stream-json', '--allowedTools', 'Bash'];
  const run = classifyRun(args);
  assert.equal(run.kind, 'sdk');
  if (run.kind !== 'sdk') return;
  assert.deepEqual(sdkModeArgs(args, run), ['--include-partial-messages', ...args]);
  const partial = [...args, '--include-partial-messages'];
  const withPartial = classifyRun(partial);
  if (withPartial.kind !== 'sdk') return assert.fail('not sdk');
  assert.deepEqual(sdkModeArgs(partial, withPartial), partial);
  // Combinations claude refuses are left to claude.
  const textOut = classifyRun(['--input-format', 'stream-json']);
  if (textOut.kind !== 'sdk') return assert.fail('not sdk');
  assert.equal(sdkModeArgs(['--input-format', 'stream-json'], textOut), undefined);
});
