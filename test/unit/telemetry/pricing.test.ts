import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apportionCost, costTotal, listPriceCost, listPriceParts } from '../../../src/telemetry/pricing.ts';

const close = (a: number, b: number) => Math.abs(a - b) < 1e-12;

test('list price of an Opus 4.8 call matches what claude charges', () => {
  // The sample session: 720 input, 42 cache writes, 300 cache reads, 180 output → $0.0085125.
  const cost = listPriceCost('claude-opus-4-8', { input: 720, output: 180, cacheRead: 300, cacheCreation: 42 });
  assert.ok(cost !== undefined && close(cost, 0.0085125));
});

test("the cost parts are priced by component and add up to the call's cost", () => {
  const usage = { input: 1_000_000, output: 1_000_000, cacheRead: 1_000_000, cacheCreation: 1_000_000 };
  const parts = listPriceParts('claude-sonnet-4-5', usage);
  assert.ok(parts);
  assert.ok(close(parts.input, 3) && close(parts.output, 15) && close(parts.cacheRead, 0.3) && close(parts.cacheWrite, 3.75));
  assert.ok(close(costTotal(parts), listPriceCost('claude-sonnet-4-5', usage) ?? -1));
});

test('1-hour cache writes cost twice the input price, the rest 1.25 times', () => {
  const parts = listPriceParts('claude-sonnet-4-5', { input: 0, output: 0, cacheRead: 0, cacheCreation: 3_000_000, cacheWrite1h: 1_000_000 });
  assert.ok(parts && close(parts.cacheWrite, 2 * 3 * 1.25 + 3 * 2));
});

test("a model's reported cost is shared over its calls, each call's parts scaled to its share", () => {
  const calls = [
    { model: 'claude-opus-4-8', usage: { input: 120, output: 30, cacheRead: 50, cacheCreation: 7 } },
    { model: 'claude-opus-4-8', usage: { input: 120, output: 10, cacheRead: 50, cacheCreation: 7 } },
    { model: 'claude-haiku-4-5', usage: { input: 10, output: 5, cacheRead: 0, cacheCreation: 0 } },
  ];
  const [first, second, haiku] = apportionCost(calls, { 'claude-opus-4-8[1m]': 0.01 });
  assert.ok(first && second && haiku);
  assert.ok(close(costTotal(first) + costTotal(second), 0.01));
  assert.ok(costTotal(first) > costTotal(second));
  // The parts keep the list price's proportions.
  const list = calls[0] && listPriceParts('claude-opus-4-8', calls[0].usage);
  assert.ok(list);
  assert.ok(close(first.cacheRead / first.input, list.cacheRead / list.input));
  assert.ok(close(first.output / first.cacheWrite, list.output / list.cacheWrite));
  // Haiku is not in the totals: list price.
  assert.ok(calls[2]);
  assert.deepEqual(haiku, listPriceParts('claude-haiku-4-5', calls[2].usage));
});
