import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_TIMER_MS, clampTimeoutSetting, clampTimerMs } from '../../../src/config/timer-limit.ts';
import { resolveWrapperConfig } from '../../../src/config/wrapper-config.ts';

test('timer values are kept within 0 and 2^31-1 ms', () => {
  assert.equal(MAX_TIMER_MS, 2147483647);
  assert.equal(clampTimerMs(5), 5);
  assert.equal(clampTimerMs(-3), 0);
  assert.equal(clampTimerMs(MAX_TIMER_MS + 3000), MAX_TIMER_MS);
});

test('a timeout setting over the limit is clamped with a warning that names it', () => {
  const warnings: string[] = [];
  assert.equal(clampTimeoutSetting('X_TIMEOUT', 1000, warnings), 1000);
  assert.deepEqual(warnings, []);
  assert.equal(clampTimeoutSetting('X_TIMEOUT', 1e12, warnings), MAX_TIMER_MS);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0] ?? '', /^X_TIMEOUT=1000000000000 is longer than a timer can wait; using 2147483647 ms/);
});

test('the wrapper clamps its flush timeout and the OTLP export timeouts', () => {
  const config = resolveWrapperConfig({ CLAUDE_OTEL_FLUSH_TIMEOUT_MS: '99999999999', OTEL_EXPORTER_OTLP_TIMEOUT: '1e15', HOME: '/nonexistent' });
  assert.equal(config.flushTimeoutMs, MAX_TIMER_MS);
  assert.equal(config.export.traces.timeoutMs, MAX_TIMER_MS);
  assert.ok(config.warnings.some((w) => w.startsWith('CLAUDE_OTEL_FLUSH_TIMEOUT_MS=')));
  assert.ok(config.warnings.some((w) => w.startsWith('OTEL_EXPORTER_OTLP_TIMEOUT=')));
});
