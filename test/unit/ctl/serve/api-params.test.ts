import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STATS_QUERY, TRACE_KEY, TRACES_QUERY, check, checkQuery } from '../../../../src/ctl/serve/api-params.ts';

const q = (text: string) => checkQuery(TRACES_QUERY, new URLSearchParams(text));

test('the list query: defaults, conversions, and a reason for each refusal', () => {
  assert.deepEqual(q(''), { ok: true, value: { limit: 100, offset: 0 } });
  assert.deepEqual(q('delivered=false&limit=5&offset=10&since=24h&mode=sdk'), {
    ok: true,
    value: { delivered: false, limit: 5, offset: 10, since: '24h', mode: 'sdk' },
  });
  assert.deepEqual(q('since=2026-01-31T08:00Z'), { ok: true, value: { since: '2026-01-31T08:00Z', limit: 100, offset: 0 } });
  assert.deepEqual(q('limit=1e3'), { ok: false, reason: 'limit: expected a whole number from 1 to 10000' });
  assert.deepEqual(q('offset=0x10'), { ok: false, reason: 'offset: expected a whole number from 0 to 1000000000' });
  assert.deepEqual(q('since=last week'), { ok: false, reason: 'since: expected a duration such as 7d, 24h or 30m, or a date such as 2026-01-31' });
  assert.deepEqual(q('status=ok&status=ok'), { ok: false, reason: 'parameter "status" is given more than once' });
  assert.deepEqual(q('__proto__=1'), { ok: false, reason: 'unknown parameter "__proto__"' });
  assert.deepEqual(q('token=abc'), { ok: true, value: { token: 'abc', limit: 100, offset: 0 } });
});

test('stats and trace keys', () => {
  assert.deepEqual(checkQuery(STATS_QUERY, new URLSearchParams('by=day')), { ok: true, value: { since: '7d', by: 'day' } });
  assert.equal(check(TRACE_KEY, '0123456789abcdef0123456789abcdef').ok, true);
  assert.equal(check(TRACE_KEY, '20260131T080509Z-123-abcdef').ok, true);
  for (const bad of ['..', '../meta.json', 'a/b', '', 'x'.repeat(101), 'a b', 'a\u0000']) assert.equal(check(TRACE_KEY, bad).ok, false, JSON.stringify(bad));
});
