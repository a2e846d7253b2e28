import { test } from 'node:test';
import assert from 'node:assert/strict';
import { medianAndTail, percentile } from '../../../../src/ctl/views/percentiles.ts';

test('nearest-rank percentiles report observed values', () => {
  const values = [40, 10, 30, 20];
  assert.equal(percentile(values, 50), 20);
  assert.equal(percentile(values, 95), 40);
  assert.equal(percentile(values, 100), 40);
  assert.equal(percentile(values, 1), 10);
  assert.deepEqual(values, [40, 10, 30, 20], 'the input is not reordered');
});

test('p95 of 1..100 is 95, p50 is 50; one value is every percentile', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.deepEqual(medianAndTail(hundred), { p50: 50, p95: 95 });
  assert.deepEqual(medianAndTail([7]), { p50: 7, p95: 7 });
  assert.deepEqual(medianAndTail([1, 2]), { p50: 1, p95: 2 });
});

test('no values: no percentiles; a percentile outside (0, 100] is a programming error', () => {
  assert.equal(percentile([], 50), undefined);
  assert.deepEqual(medianAndTail([]), {});
  assert.throws(() => percentile([1], 0), RangeError);
  assert.throws(() => percentile([1], 101), RangeError);
});
