import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apportionCost, costTotal, listPriceCost, listPriceParts, modelPriceKey, pricedModels } from '../../../src/telemetry/pricing.ts';
import type { TokenUsage } from '../../../src/session/events.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
/** Prices are in dollars per million tokens: the CLI's sums and ours differ only in rounding. */
const sameCost = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

interface CliFigures {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheCreationInputTokens: number;
  cacheCreationEphemeral1hInputTokens?: number;
  costUSD: number;
  costBasis?: string;
}

function usageOf(figures: CliFigures): TokenUsage {
  return {
    input: figures.inputTokens,
    output: figures.outputTokens,
    cacheRead: figures.cacheReadInputTokens,
    cacheCreation: figures.cacheCreationInputTokens,
    ...(figures.cacheCreationEphemeral1hInputTokens !== undefined ? { cacheWrite1h: figures.cacheCreationEphemeral1hInputTokens } : {}),
  };
}

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

// What the newest CLI charged for one call of each model in the table (scripts/record-model-costs.ts).
const recorded = readdirSync(join(FIXTURES, 'pricing'))
  .filter((name) => name.endsWith('.jsonl'))
  .flatMap((name) =>
    readFileSync(join(FIXTURES, 'pricing', name), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as { cli: string; model: string; reportedModel: string; charged: CliFigures }),
  );

test('every model the newest CLI prices costs here what the CLI charges for it, long prompts and 1-hour cache writes included', () => {
  const listed = recorded.filter((r) => r.reportedModel === r.model && r.charged.costBasis === 'list');
  assert.ok(listed.length >= 20, `${listed.length} recorded calls`);
  for (const { cli, model, charged } of listed) {
    const ours = listPriceCost(model, usageOf(charged));
    assert.ok(ours !== undefined && sameCost(ours, charged.costUSD), `${model}: ${ours} here, ${charged.costUSD} by claude ${cli}`);
  }
  // Each model of the table was recorded; those the CLI has no price for are the retired ones, priced here as published.
  for (const { model } of pricedModels())
    assert.ok(
      recorded.some((r) => r.model === model),
      `${model} recorded`,
    );
  const unpricedByCli = recorded.filter((r) => r.charged.costBasis === 'unknown').map((r) => r.model);
  assert.deepEqual(unpricedByCli, ['claude-3-haiku', 'claude-3-sonnet', 'claude-3-opus']);
  assert.ok(sameCost(listPriceCost('claude-3-opus', { input: 1_000_000, output: 1_000_000, cacheRead: 0, cacheCreation: 0 }) ?? 0, 90));
});

test("the cost claude reported in the recorded sessions' result lines, per model, is what the table gives for their tokens", () => {
  const dir = join(FIXTURES, 'streams');
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) => /\.jsonl?$/.test(name));
  let checked = 0;
  for (const file of files) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      if (!line.includes('"modelUsage"')) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        continue;
      }
      const modelUsage = (parsed as { modelUsage?: Record<string, CliFigures> }).modelUsage ?? {};
      for (const [model, figures] of Object.entries(modelUsage)) {
        const ours = listPriceCost(model, usageOf(figures));
        assert.ok(ours !== undefined && sameCost(ours, figures.costUSD), `${file}: ${model}: ${ours} here, ${figures.costUSD} by claude`);
        checked += 1;
      }
    }
  }
  assert.ok(checked >= 30, `${checked} model figures checked`);
});

test('a model is found however the API, a cloud provider or the CLI names it', () => {
  const names: [string, string][] = [
    ['claude-opus-4-1-20250805', 'claude-opus-4-1'],
    ['claude-sonnet-4-20250514', 'claude-sonnet-4'],
    ['us.anthropic.claude-opus-5-5', 'claude-opus-5-5'],
    ['anthropic.claude-3-5-haiku-20241022-v1:0', 'claude-3-5-haiku'],
    ['claude-3-5-sonnet-v2@20241022', 'claude-3-5-sonnet'],
    ['claude-opus-4-8[1m]', 'claude-opus-4-8'],
    ['claude-3-7-sonnet-latest', 'claude-3-7-sonnet'],
  ];
  for (const [name, key] of names) assert.equal(modelPriceKey(name), key, name);
  const usage = { input: 1_000_000, output: 0, cacheRead: 0, cacheCreation: 0 };
  // `claude-sonnet-4` is the API's name of Sonnet 4.0.
  assert.equal(listPriceCost('claude-sonnet-4-20250514', usage), 3);
  assert.equal(listPriceCost('us.anthropic.claude-opus-5-5', usage), 4);
});

test("a model the table does not know yet is priced as its family's newest; one of no known family has no price", () => {
  const usage = { input: 1_000_000, output: 1_000_000, cacheRead: 1_000_000, cacheCreation: 0 };
  assert.equal(listPriceCost('claude-opus-9', usage), listPriceCost('claude-opus-5-5', usage));
  assert.equal(listPriceCost('claude-haiku-9', usage), listPriceCost('claude-haiku-5-5', usage));
  assert.equal(listPriceCost('gpt-4o', usage), undefined);
  assert.equal(listPriceCost('<synthetic>', usage), undefined);
});

test("a long prompt's rates apply to every token of the call, from one token above the threshold", () => {
  const at = (input: number) => listPriceCost('claude-haiku-5-5', { input, output: 1_000_000, cacheRead: 40_000, cacheCreation: 10_000 }) ?? Number.NaN;
  // 100,000 prompt tokens: the usual rates; 100,001: the long prompt's.
  assert.ok(sameCost(at(50_000), 0.05 * 0.1 + 0.5 + 0.04 * 0.01 + 0.01 * 0.125));
  assert.ok(sameCost(at(50_001), 0.050001 * 0.5 + 2.5 + 0.04 * 0.05 + 0.01 * 0.625));
});
