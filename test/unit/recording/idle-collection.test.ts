import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runInNewContext } from 'node:vm';
import { collectGarbageOnce } from '../../../src/recording/idle-collection.ts';

// The command collects garbage once while claude runs; it must leave nothing behind that
// code loaded later could see (no gc() in new contexts, none on the global object).

test('collecting garbage leaves no gc() exposed, and a second call does nothing', () => {
  assert.equal(runInNewContext('typeof gc'), 'undefined', 'not exposed before');
  collectGarbageOnce();
  assert.equal(runInNewContext('typeof gc'), 'undefined', 'a context made afterwards has no gc()');
  assert.equal(Reflect.get(globalThis, 'gc'), undefined);
  collectGarbageOnce();
  assert.equal(runInNewContext('typeof gc'), 'undefined');
});
