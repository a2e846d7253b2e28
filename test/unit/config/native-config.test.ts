import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nativeSetting } from '../../../src/config/native-config.ts';

test('CLAUDE_OTEL_NATIVE: auto unless on or off, an unreadable value is auto with a warning', () => {
  const warnings: string[] = [];
  assert.equal(nativeSetting({}, warnings), 'auto');
  assert.equal(nativeSetting({ CLAUDE_OTEL_NATIVE: ' AUTO ' }, warnings), 'auto');
  assert.equal(nativeSetting({ CLAUDE_OTEL_NATIVE: 'on' }, warnings), 'on');
  assert.equal(nativeSetting({ CLAUDE_OTEL_NATIVE: '1' }, warnings), 'on');
  assert.equal(nativeSetting({ CLAUDE_OTEL_NATIVE: 'no' }, warnings), 'off');
  assert.deepEqual(warnings, []);
  assert.equal(nativeSetting({ CLAUDE_OTEL_NATIVE: 'sometimes' }, warnings), 'auto');
  assert.deepEqual(warnings, ['CLAUDE_OTEL_NATIVE=sometimes is not on, off or auto; using auto']);
});
