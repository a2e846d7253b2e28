import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONTENT_STRING_LIMIT, CONTENT_VALUE_LIMIT, chatContentAttributes, contentJson } from '../../../src/telemetry/content-attributes.ts';

const redact = (text: string) => text.replace(/sk-ant-\w+/g, '[REDACTED]');

test('content is JSON in the conventions’ message shapes, every string scrubbed, keys kept', () => {
  const attributes = chatContentAttributes(
    {
      input: [{ role: 'user', parts: [{ type: 'text', content: 'use sk-ant-abc123' }] }],
      output: [{ type: 'tool_call', id: 't1', name: 'Bash', arguments: { command: 'echo sk-ant-zzz' } }],
    },
    'tool_use',
    redact,
  );
  assert.deepEqual(JSON.parse(String(attributes['gen_ai.input.messages'])), [{ role: 'user', parts: [{ type: 'text', content: 'use [REDACTED]' }] }]);
  assert.deepEqual(JSON.parse(String(attributes['gen_ai.output.messages'])), [
    { role: 'assistant', parts: [{ type: 'tool_call', id: 't1', name: 'Bash', arguments: { command: 'echo [REDACTED]' } }], finish_reason: 'tool_use' },
  ]);
});

test('a long string is cut, saying how much; many strings share the whole value’s budget and stay valid JSON', () => {
  const one = JSON.parse(contentJson({ out: 'x'.repeat(CONTENT_STRING_LIMIT + 10) }, redact)) as { out: string };
  assert.equal(one.out, `${'x'.repeat(CONTENT_STRING_LIMIT)}… [truncated 10 chars]`);
  const many = contentJson(
    Array.from({ length: 20 }, () => 'y'.repeat(CONTENT_STRING_LIMIT)),
    redact,
  );
  assert.ok(many.length <= CONTENT_VALUE_LIMIT);
  assert.equal((JSON.parse(many) as string[]).length, 20);
});
