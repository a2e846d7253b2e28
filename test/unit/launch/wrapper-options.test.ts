import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitWrapperArgs, unknownOptionMessage, WRAPPER_OPTIONS } from '../../../src/launch/wrapper-options.ts';
import { editDistance, likelyMeant } from '../../../src/config/edit-distance.ts';

test("--otel-help and --otel-version are the wrapper's; --help and --version are claude's", () => {
  const { claudeArgs, options } = splitWrapperArgs(['--otel-help', '--otel-version', '--help', '--version']);
  assert.deepEqual(claudeArgs, ['--help', '--version']);
  assert.equal(options.help, true);
  assert.equal(options.version, true);
  assert.deepEqual(options.unknown, []);
});

test('an unknown --otel- option is kept by name only, never with its value', () => {
  assert.deepEqual(splitWrapperArgs(['--otel-token=secret', '-p']).options.unknown, ['--otel-token']);
});

test('the message for an unknown option names the likely one, only when it is close', () => {
  assert.equal(unknownOptionMessage('--otel-print-traceid'), 'claude-otel: unknown option --otel-print-traceid; did you mean --otel-print-trace-id?');
  assert.equal(unknownOptionMessage('--otel-verison'), 'claude-otel: unknown option --otel-verison; did you mean --otel-version?');
  assert.equal(unknownOptionMessage('--otel-endpoint'), 'claude-otel: unknown option --otel-endpoint');
  assert.equal(unknownOptionMessage('--otel-x\n\u001b[2J'), 'claude-otel: unknown option --otel-x??[2J');
});

test('every wrapper option is an --otel- option with a one-line meaning', () => {
  for (const { name, meaning } of WRAPPER_OPTIONS) {
    assert.match(name, /^--otel-[a-z-]+$/);
    assert.ok(meaning.length > 0 && !meaning.includes('\n'));
  }
});

test('edit distance counts inserts, deletes and replacements', () => {
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('same', 'same'), 0);
  assert.equal(likelyMeant('--otel-debg', ['--otel-debug', '--otel-help'], 3), '--otel-debug');
  assert.equal(likelyMeant('--something-else', ['--otel-debug'], 3), undefined);
});
