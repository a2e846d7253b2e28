import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactedErrorMessage, toolOutcome } from '../../../src/session/tool-outcome.ts';
import { createRedactor } from '../../../src/privacy/redact.ts';
import { toolInputSummary } from '../../../src/session/tool-input-summary.ts';

test('Bash success: exit code 0 and stdout/stderr bytes from the result object', () => {
  const o = toolOutcome({ toolName: 'Bash', content: 'hello\nwarn', isError: false, toolUseResult: { stdout: 'héllo', stderr: 'warn', interrupted: false } });
  assert.equal(o.exitCode, 0);
  assert.equal(o.stdoutBytes, 6);
  assert.equal(o.stderrBytes, 4);
  assert.equal(o.outputBytes, 10);
  assert.equal(o.outputTruncated, false);
  assert.equal(o.isError, false);
});

test('Bash non-zero exit: the code is read from "Exit code N"', () => {
  const o = toolOutcome({ toolName: 'Bash', content: 'Exit code 7\nout\noops', isError: true, toolUseResult: 'Error: Exit code 7\nout\noops' });
  assert.equal(o.exitCode, 7);
  assert.equal(o.isError, true);
  assert.equal(o.outputBytes, Buffer.byteLength('out\noops'));
  assert.equal(o.errorMessage, 'Exit code 7\nout\noops');
  assert.equal(o.permissionDenied, false);
});

test('Bash output cut by the CLI: full size from persistedOutputSize, marked truncated', () => {
  const o = toolOutcome({
    toolName: 'Bash',
    content: '<persisted-output>\nOutput too large (1.2MB).',
    isError: false,
    toolUseResult: { stdout: '1\n2\n', stderr: '', interrupted: false, persistedOutputSize: 1288895 },
  });
  assert.equal(o.stdoutBytes, 1288895);
  assert.equal(o.outputTruncated, true);
});

test('permission denied is recognised', () => {
  const o = toolOutcome({
    toolName: 'WebFetch',
    content: "Claude requested permissions to use WebFetch, but you haven't granted it yet.",
    isError: true,
    toolUseResult: 'Error: ...',
  });
  assert.equal(o.permissionDenied, true);
  assert.equal(o.exitCode, undefined);
});

test('long error messages are capped after redaction and say so', () => {
  const o = toolOutcome({ toolName: 'Read', content: 'x'.repeat(2000), isError: true, toolUseResult: undefined });
  const message = redactedErrorMessage(createRedactor(), o) ?? '';
  assert.ok(message.length < 600, String(message.length));
  assert.match(message, /truncated 1500 chars/);
});

test('a secret across the error message limit is hidden whole, not cut in half', () => {
  // Cut at 500 first, the key would keep its first half, which no rule recognises.
  const key = 'AKIAIOSFODNN7EXAMPLE';
  const text = `${'y'.repeat(481)} ${key} tail`; // the key spans characters 482-501
  const o = toolOutcome({ toolName: 'Bash', content: text, isError: true, toolUseResult: undefined });
  const message = redactedErrorMessage(createRedactor(), o) ?? '';
  assert.ok(!message.includes('AKIA'), message.slice(480));
  assert.equal(message, `${'y'.repeat(481)} [REDACTED] tail`);
});

test('input summaries name what the tool was asked to do', () => {
  assert.equal(toolInputSummary('Bash', { command: 'ls -la', description: 'list' }), 'ls -la');
  assert.equal(toolInputSummary('Read', { file_path: '/a/b.txt' }), '/a/b.txt');
  assert.equal(toolInputSummary('Grep', { pattern: 'TODO', path: 'src' }), 'TODO src');
  assert.equal(toolInputSummary('WebFetch', { url: 'https://x.test/', prompt: 'p' }), 'https://x.test/');
  assert.equal(toolInputSummary('Bash', { command: 'y'.repeat(500) }).length, 200);
  assert.equal(toolInputSummary('mcp__s__t', { q: 1 }), '{"q":1}');
});
