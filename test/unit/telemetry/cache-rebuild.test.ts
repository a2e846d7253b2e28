import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RebuildDetector, cacheTtlMs, writesMostOfInput, DEFAULT_CACHE_TTL_MS, LONG_CACHE_TTL_MS } from '../../../src/telemetry/cache-rebuild.ts';

const warm = { input: 20, output: 10, cacheRead: 9000, cacheCreation: 300 };
const cold = { input: 20, output: 10, cacheRead: 0, cacheCreation: 9300 };
const MIN = 60_000;

test("a call that writes most of its input to the cache, more than 5 minutes after the agent's last call, is a rebuild", () => {
  const d = new RebuildDetector(undefined);
  assert.equal(d.check({ agent: null, start: 0, end: 1000, usage: cold }), false, 'the first call of an agent writes its cache: no rebuild');
  assert.equal(d.check({ agent: null, start: 2000, end: 3000, usage: warm }), false);
  assert.equal(d.check({ agent: null, start: 3000 + 6 * MIN, end: 3000 + 6 * MIN + 500, usage: cold }), true);
  assert.equal(d.check({ agent: null, start: 3000 + 7 * MIN, end: 3000 + 7 * MIN + 500, usage: cold }), false, 'within the lifetime again');
});

test('a long gap with a warm cache, or a short gap with a cold one, is no rebuild', () => {
  const d = new RebuildDetector(undefined);
  d.check({ agent: null, start: 0, end: 1000, usage: warm });
  assert.equal(d.check({ agent: null, start: 1000 + 10 * MIN, end: 1000 + 10 * MIN, usage: warm }), false);
  assert.equal(d.check({ agent: null, start: 1000 + 11 * MIN, end: 1000 + 11 * MIN, usage: cold }), false);
});

test("agents are followed separately: a subagent's first call is not a rebuild of the main agent's cache", () => {
  const d = new RebuildDetector(undefined);
  d.check({ agent: null, start: 0, end: 1000, usage: warm });
  assert.equal(d.check({ agent: 'toolu_1', start: 20 * MIN, end: 20 * MIN, usage: cold }), false);
  assert.equal(d.check({ agent: null, start: 20 * MIN, end: 20 * MIN, usage: cold }), true);
});

test('the lifetime: 5 minutes, 1 hour for 1-hour cache writes, or the override', () => {
  assert.equal(cacheTtlMs(cold, undefined), DEFAULT_CACHE_TTL_MS);
  assert.equal(cacheTtlMs({ ...cold, cacheWrite1h: 9300 }, undefined), LONG_CACHE_TTL_MS);
  assert.equal(cacheTtlMs({ ...cold, cacheWrite1h: 9300 }, 1000), 1000);
  const d = new RebuildDetector(undefined);
  d.check({ agent: null, start: 0, end: 0, usage: warm });
  assert.equal(
    d.check({ agent: null, start: 10 * MIN, end: 10 * MIN, usage: { ...cold, cacheWrite1h: 9300 } }),
    false,
    'a 1-hour cache has not expired after 10 minutes',
  );
  const short = new RebuildDetector(1000);
  short.check({ agent: null, start: 0, end: 0, usage: warm });
  assert.equal(short.check({ agent: null, start: 1500, end: 1600, usage: cold }), true);
  assert.equal(writesMostOfInput({ input: 0, output: 0, cacheRead: 0, cacheCreation: 0 }), false);
});
