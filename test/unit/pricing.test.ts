import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apportionCost, listPriceCost } from '../../src/telemetry/pricing.ts';

test('list price of an Opus 4.8 call matches what claude charges', () => {
  // The sample session: 720 input, 42 cache writes, 300 cache reads, 180 output → $0.0085125.
  const cost = listPriceCost('claude-opus-4-8', { input: 720, output: 180, cacheRead: 300, cacheCreation: 42 });
  assert.ok(cost !== undefined && Math.abs(cost - 0.0085125) < 1e-12);
});

test('a model\'s reported cost is shared over its calls and adds up exactly', () => {
  const calls = [
    { model: 'claude-opus-4-8', usage: { input: 120, output: 30, cacheRead: 50, cacheCreation: 7 } },
    { model: 'claude-opus-4-8', usage: { input: 120, output: 10, cacheRead: 50, cacheCreation: 7 } },
    { model: 'claude-haiku-4-5', usage: { input: 10, output: 5, cacheRead: 0, cacheCreation: 0 } },
  ];
  const costs = apportionCost(calls, { 'claude-opus-4-8[1m]': 0.01 });
  const opus = (costs[0] ?? 0) + (costs[1] ?? 0);
  assert.ok(Math.abs(opus - 0.01) < 1e-12);
  assert.ok((costs[0] ?? 0) > (costs[1] ?? 0));
  // Haiku is not in the totals: list price.
  assert.equal(costs[2], listPriceCost('claude-haiku-4-5', calls[2]!.usage));
});
