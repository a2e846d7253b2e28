import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ToolInputSummaries } from '../../../src/telemetry/tool-input-summaries.ts';
import type { SessionEvent } from '../../../src/session/events.ts';

const toolStart = (command: string): Extract<SessionEvent, { kind: 'tool_start' }> => ({
  kind: 'tool_start',
  time: 1,
  toolUseId: `t-${command}`,
  name: 'Bash',
  input: { command },
  agent: null,
});

test('one tool call is summarised and redacted once, for its span and its log record alike', () => {
  const redacted: string[] = [];
  const summaries = new ToolInputSummaries((text) => {
    redacted.push(text);
    return text.replace('hunter2', '[REDACTED]');
  });
  const first = toolStart('login --password hunter2');
  assert.equal(summaries.of(first), 'login --password [REDACTED]');
  assert.equal(summaries.of(first), 'login --password [REDACTED]');
  assert.equal(redacted.length, 1);
  const second = toolStart('ls');
  assert.equal(summaries.of(second), 'ls');
  assert.equal(summaries.of(first), 'login --password [REDACTED]', 'an earlier call is summarised again, never mixed up');
  assert.equal(redacted.length, 3);
});
