import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PresetIdGenerator } from '../../../src/trace-context/preset-ids.ts';

// The session span gets the ids chosen before claude started; every later span random ones.

test('the first ids asked for are the preset ones, the next are random', () => {
  const ids = new PresetIdGenerator('4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7');
  assert.equal(ids.generateTraceId(), '4bf92f3577b34da6a3ce929d0e0e4736');
  assert.equal(ids.generateSpanId(), '00f067aa0ba902b7');
  const trace = ids.generateTraceId();
  const span = ids.generateSpanId();
  assert.notEqual(trace, '4bf92f3577b34da6a3ce929d0e0e4736');
  assert.notEqual(span, '00f067aa0ba902b7');
  assert.match(trace, /^[0-9a-f]{32}$/);
  assert.match(span, /^[0-9a-f]{16}$/);
});

test('trace and span ids are used up separately', () => {
  const ids = new PresetIdGenerator('4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7');
  ids.generateSpanId();
  assert.equal(ids.generateTraceId(), '4bf92f3577b34da6a3ce929d0e0e4736');
  assert.notEqual(ids.generateSpanId(), '00f067aa0ba902b7');
});
