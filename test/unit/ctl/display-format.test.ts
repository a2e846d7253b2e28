import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCount } from '../../../src/ctl/display-format.ts';

test('formatCount groups thousands with commas, as en-US does', () => {
  for (const n of [0, 7, 999, 1000, 12_345, 999_999, 1_000_000, 1_234_567_890, -1234, -999, 1234.6, Number.MAX_SAFE_INTEGER])
    assert.equal(formatCount(n), Math.round(n).toLocaleString('en-US'), String(n));
});
