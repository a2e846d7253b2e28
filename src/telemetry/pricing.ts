import type { TokenUsage } from '../session/events.ts';
import { baseModelName } from '../session/model-name.ts';

// Per-call cost, split by what the tokens were: fresh input, output, cache reads and cache
// writes. Where the CLI reports a per-model total (print mode's result), the total is shared
// out over that model's calls by price-weighted tokens and each call's parts are scaled to
// its share, so chat spans add up to the CLI's own figure exactly. Where it does not
// (interactive mode), published list prices are used.

/** Anthropic prices cache reads at 0.1x the input price, 5-minute cache writes at 1.25x, 1-hour ones at 2x. */
const CACHE_READ_FACTOR = 0.1;
const CACHE_WRITE_5M_FACTOR = 1.25;
const CACHE_WRITE_1H_FACTOR = 2;
/** Output/input price ratio for a model with no known price (every current model has 5). */
const DEFAULT_OUTPUT_RATIO = 5;

interface Price {
  input: number;
  output: number;
} // USD per million tokens

const PRICES: [RegExp, Price][] = [
  [/opus-4-(?:[5-9]|\d{2})/, { input: 5, output: 25 }],
  [/opus/, { input: 15, output: 75 }],
  [/sonnet/, { input: 3, output: 15 }],
  [/haiku-4|haiku-[5-9]/, { input: 1, output: 5 }],
  [/haiku-3-5|3-5-haiku/, { input: 0.8, output: 4 }],
  [/haiku/, { input: 0.25, output: 1.25 }],
];

/** A cost in USD, by component; the parts add up to the call's cost. */
export interface CostParts {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

export function zeroCost(): CostParts {
  return { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
}

export function costTotal(parts: CostParts): number {
  return parts.input + parts.output + parts.cacheRead + parts.cacheWrite;
}

export function addCost(into: CostParts, parts: CostParts): void {
  into.input += parts.input;
  into.output += parts.output;
  into.cacheRead += parts.cacheRead;
  into.cacheWrite += parts.cacheWrite;
}

function scaleCost(parts: CostParts, factor: number): CostParts {
  return { input: parts.input * factor, output: parts.output * factor, cacheRead: parts.cacheRead * factor, cacheWrite: parts.cacheWrite * factor };
}

function priceOf(model: string): Price | undefined {
  for (const [pattern, price] of PRICES) if (pattern.test(model)) return price;
  return undefined;
}

/** Cache writes the API did not say were 1-hour ones are priced as 5-minute ones (the default). */
function cacheWriteWeight(usage: TokenUsage): number {
  const oneHour = Math.min(usage.cacheWrite1h ?? 0, usage.cacheCreation);
  return (usage.cacheCreation - oneHour) * CACHE_WRITE_5M_FACTOR + oneHour * CACHE_WRITE_1H_FACTOR;
}

/** Each component in input-token equivalents (what it costs relative to one input token). */
function weightedParts(usage: TokenUsage, outputRatio: number): CostParts {
  return { input: usage.input, output: usage.output * outputRatio, cacheRead: usage.cacheRead * CACHE_READ_FACTOR, cacheWrite: cacheWriteWeight(usage) };
}

/** List-price cost of one call by component, or undefined for a model with no known price. */
export function listPriceParts(model: string, usage: TokenUsage): CostParts | undefined {
  const price = priceOf(model);
  if (!price) return undefined;
  return scaleCost(weightedParts(usage, price.output / price.input), price.input / 1_000_000);
}

/** List-price cost of one call, or undefined for a model with no known price. */
export function listPriceCost(model: string, usage: TokenUsage): number | undefined {
  const parts = listPriceParts(model, usage);
  return parts && costTotal(parts);
}

export interface PricedCall {
  model: string;
  usage: TokenUsage;
}

/**
 * Shares each model's reported cost over its calls, by component. Calls of a model the
 * totals do not name get their list price.
 */
export function apportionCost(calls: PricedCall[], costByModel: Record<string, number>): (CostParts | undefined)[] {
  const totals = new Map<string, number>();
  for (const [model, cost] of Object.entries(costByModel)) {
    const base = baseModelName(model);
    totals.set(base, (totals.get(base) ?? 0) + cost);
  }
  const weights = calls.map((call) => {
    const price = priceOf(call.model);
    return weightedParts(call.usage, price ? price.output / price.input : DEFAULT_OUTPUT_RATIO);
  });
  const weightByModel = new Map<string, number>();
  calls.forEach((call, i) => {
    const base = baseModelName(call.model);
    weightByModel.set(base, (weightByModel.get(base) ?? 0) + costTotal(weights[i] ?? zeroCost()));
  });
  return calls.map((call, i) => {
    const total = totals.get(baseModelName(call.model));
    if (total === undefined) return listPriceParts(call.model, call.usage);
    const modelWeight = weightByModel.get(baseModelName(call.model)) ?? 0;
    if (modelWeight === 0) return zeroCost();
    return scaleCost(weights[i] ?? zeroCost(), total / modelWeight);
  });
}
