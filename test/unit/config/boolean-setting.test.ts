import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBoolean } from '../../../src/config/boolean-setting.ts';
import { resolveWrapperConfig } from '../../../src/config/wrapper-config.ts';
import { parseKeyValueList } from '../../../src/config/otlp-config.ts';

// Every on/off variable follows one rule; key=value lists are read as the exporters read them.

test('the boolean rule: 1/true/yes/on and 0/false/no/off in any case; anything else is undefined', () => {
  for (const on of ['1', 'true', 'TRUE', ' yes ', 'On']) assert.equal(parseBoolean(on), true, on);
  for (const off of ['0', 'false', 'False', 'no', ' OFF ']) assert.equal(parseBoolean(off), false, off);
  for (const other of [undefined, '', '  ', 'maybe', '2', 'enabled']) assert.equal(parseBoolean(other), undefined, String(other));
});

const BOOLEANS: { name: string; read: (env: Record<string, string>) => boolean; fallback: boolean }[] = [
  { name: 'OTEL_SDK_DISABLED', read: (env) => resolveWrapperConfig(env).sdkDisabled, fallback: false },
  { name: 'CLAUDE_OTEL_DEBUG', read: (env) => resolveWrapperConfig(env).debug, fallback: false },
  { name: 'CLAUDE_OTEL_STORE', read: (env) => resolveWrapperConfig(env).storeEnabled, fallback: true },
  { name: 'CLAUDE_OTEL_RETRY_UNDELIVERED', read: (env) => resolveWrapperConfig(env).retryUndelivered, fallback: true },
  { name: 'CLAUDE_OTEL_PRINT_TRACE_ID', read: (env) => resolveWrapperConfig(env).printTraceId, fallback: false },
  { name: 'CLAUDE_OTEL_KEEP_ERRORS', read: (env) => resolveWrapperConfig(env).privacy.keepErrors, fallback: true },
  { name: 'CLAUDE_OTEL_LOG_CONTENT', read: (env) => resolveWrapperConfig(env).genAi.logContent, fallback: false },
];

for (const { name, read, fallback } of BOOLEANS) {
  test(`${name} follows the one rule, and a value it cannot read is reported and means the default`, () => {
    for (const spelling of ['1', 'true', 'yes', 'on', 'ON']) assert.equal(read({ [name]: spelling }), true, `${name}=${spelling}`);
    for (const spelling of ['0', 'false', 'no', 'off', 'No']) assert.equal(read({ [name]: spelling }), false, `${name}=${spelling}`);
    assert.equal(read({}), fallback, `${name} unset`);
    assert.equal(read({ [name]: 'sometimes' }), fallback, `${name}=sometimes`);
    const { warnings } = resolveWrapperConfig({ [name]: 'sometimes' });
    assert.ok(
      warnings.some((w) => w.startsWith(`${name}=sometimes is not on or off`)),
      warnings.join('\n'),
    );
  });
}

test('key=value lists: percent-decoded, trimmed; an entry without key=value is reported and left out', () => {
  const warnings: string[] = [];
  const parsed = parseKeyValueList('api-key=abc%20def, team = core ,broken,=nokey', warnings, 'OTEL_EXPORTER_OTLP_HEADERS');
  assert.deepEqual(parsed, { 'api-key': 'abc def', team: 'core' });
  // Named by place, never by text: an entry may be a secret written the wrong way.
  assert.deepEqual(warnings, [
    'OTEL_EXPORTER_OTLP_HEADERS: ignoring entry 3 (expected key=value)',
    'OTEL_EXPORTER_OTLP_HEADERS: ignoring entry 4 (expected key=value)',
  ]);
});
