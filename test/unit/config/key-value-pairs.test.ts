import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseKeyPairsIntoRecord } from '../../../src/config/key-value-pairs.ts';

test('entries are split on commas, trimmed and percent-decoded; a later key wins', () => {
  assert.deepEqual(parseKeyPairsIntoRecord(' authorization = Bearer%20abc , x-tenant=a,x-tenant=b,%78-k=v%3Dw'), {
    authorization: 'Bearer abc',
    'x-tenant': 'b',
    'x-k': 'v=w',
  });
});

test('the value runs to the end of the entry, past further "=", and stops at a ";" property', () => {
  assert.deepEqual(parseKeyPairsIntoRecord('dsn=https://t@host/1?a=b;prop=1'), { dsn: 'https://t@host/1?a=b' });
});

test('an entry without a key, without a value, without "=", or with a broken escape is left out', () => {
  for (const entry of ['=v', 'k=', 'k= ', 'kv', '', ' ', 'k=%E2%98', '%zz=v']) assert.deepEqual(parseKeyPairsIntoRecord(entry), {}, entry);
  assert.deepEqual(parseKeyPairsIntoRecord('k=,=v,ok=1,,bad=%zz'), { ok: '1' });
});
