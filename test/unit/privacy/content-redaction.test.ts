import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentJson, CONTENT_STRING_LIMIT } from '../../../src/telemetry/content-attributes.ts';
import { createRedactor, REDACTED } from '../../../src/privacy/redact.ts';

// Conversation content (CLAUDE_OTEL_LOG_CONTENT=on): values judged by their key too, and each
// string redacted before it is cut.

const redact = createRedactor();

test("a tool input's secret-named fields are hidden whatever their value looks like", () => {
  const json = contentJson({ command: 'ls', password: 'hunter2', nested: { api_key: 'k1', region: 'eu' } }, redact);
  assert.deepEqual(JSON.parse(json), { command: 'ls', password: REDACTED, nested: { api_key: REDACTED, region: 'eu' } });
});

test('a secret across the per-string limit is hidden whole, not cut in half', () => {
  const key = 'AKIAIOSFODNN7EXAMPLE';
  const text = `${'w '.repeat((CONTENT_STRING_LIMIT - 10) / 2)}${key} and more`;
  const value = JSON.parse(contentJson({ output: text }, redact)) as { output: string };
  assert.ok(!value.output.includes('AKIA'), value.output.slice(-60));
  assert.ok(value.output.includes(REDACTED));
});
