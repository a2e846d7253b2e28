import type { TokenUsage } from '../session/events.ts';
import { baseModelName } from '../session/model-name.ts';

// Per-call cost. Where the CLI reports a per-model total (print mode's result), the total is
// shared out over that model's calls by price-weighted tokens, so chat spans add up to the
// CLI's own figure exactly. Where it does not (interactive mode), published list prices are used.

/** Anthropic prices cache reads at 0.1x and 5-minute cache writes at 1.25x the input price. */
const CACHE_READ_FACTOR = 0.1;
const CACHE_WRITE_FACTOR = 1.25;

interface Price { input: number; output: number } // USD per million tokens

const PRICES: [RegExp, Price][] = [
  [/opus-4-(?:[5-9]|\d{2})/, { input: 5, output: 25 }],
  [/opus/, { input: 15, output: 75 }],
  [/sonnet/, { input: 3, output: 15 }],
  [/haiku-4|haiku-[5-9]/, { input: 1, output: 5 }],
  [/haiku-3-5|3-5-haiku/, { input: 0.8, output: 4 }],
  [/haiku/, { input: 0.25, output: 1.25 }],
];

function priceOf(model: string): Price | undefined {
  for (const [pattern, price] of PRICES) if (pattern.test(model)) return price;
  return undefined;
}

/** Tokens weighted by what they cost relative to one input token. */
function weightedTokens(usage: TokenUsage, outputRatio: number): number {
  return usage.input + usage.cacheRead * CACHE_READ_FACTOR + usage.cacheCreation * CACHE_WRITE_FACTOR + usage.output * outputRatio;
}

/** List-price cost of one call, or undefined for a model with no known price. */
export function listPriceCost(model: string, usage: TokenUsage): number | undefined {
  const price = priceOf(model);
  if (!price) return undefined;
  return (weightedTokens(usage, price.output / price.input) * price.input) / 1_000_000;
}


export interface PricedCall { model: string; usage: TokenUsage }

/**
 * Shares each model's reported cost over its calls. Calls of a model the totals do not
 * name get their list price.
 */
export function apportionCost(calls: PricedCall[], costByModel: Record<string, number>): (number | undefined)[] {
  const totals = new Map<string, number>();
  for (const [model, cost] of Object.entries(costByModel)) {
    const base = baseModelName(model);
    totals.set(base, (totals.get(base) ?? 0) + cost);
  }
  const weights = calls.map((call) => {
    const price = priceOf(call.model);
    return weightedTokens(call.usage, price ? price.output / price.input : 5);
  });
  const weightByModel = new Map<string, number>();
  calls.forEach((call, i) => {
    const base = baseModelName(call.model);
    weightByModel.set(base, (weightByModel.get(base) ?? 0) + (weights[i] ?? 0));
  });
  return calls.map((call, i) => {
    const base = baseModelName(call.model);
    const total = totals.get(base);
    const weight = weightByModel.get(base) ?? 0;
    if (total === undefined) return listPriceCost(call.model, call.usage);
    if (weight === 0) return 0;
    return (total * (weights[i] ?? 0)) / weight;
  });
}
