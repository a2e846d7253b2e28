import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import type { PerformanceEntry } from 'node:perf_hooks';
import { runInNewContext } from 'node:vm';
import { collectGarbageOnce } from '../../../src/recording/idle-collection.ts';

// The command collects garbage once while claude runs: a full collection really happens, and it
// leaves nothing behind that code loaded later could see (no gc() in new contexts, none on the
// global object).

/** The next full (major) collection V8 reports. */
function nextMajorCollection(): Promise<void> {
  return new Promise((resolve) => {
    const observer = new PerformanceObserver((list) => {
      const major = list
        .getEntries()
        .some((entry) => (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR);
      if (major) {
        observer.disconnect();
        resolve();
      }
    });
    observer.observe({ entryTypes: ['gc'] });
  });
}

// Without a collection the wait never ends: the timeout fails the test.
test('collecting garbage runs one full collection, leaves no gc() exposed, and a second call does nothing', { timeout: 20_000 }, async () => {
  assert.equal(runInNewContext('typeof gc'), 'undefined', 'not exposed before');
  const collected = nextMajorCollection();
  collectGarbageOnce();
  await collected;
  assert.equal(runInNewContext('typeof gc'), 'undefined', 'a context made afterwards has no gc()');
  assert.equal(Reflect.get(globalThis, 'gc'), undefined);
  collectGarbageOnce();
  assert.equal(runInNewContext('typeof gc'), 'undefined');
});
