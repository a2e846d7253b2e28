import type { TokenUsage } from '../session/events.ts';
import { baseModelName } from '../session/model-name.ts';

// Per-call cost, split by what the tokens were: fresh input, output, cache reads and cache
// writes. Where the CLI reports a per-model total (print mode's result), the total is shared
// out over that model's calls by price-weighted tokens and each call's parts are scaled to
// its share, so chat spans add up to the CLI's own figure exactly. Where it does not
// (interactive mode, imported transcripts), published list prices are used: the table below
// holds what the supported CLIs charge per model (test/fixtures/pricing/ records their own
// figures, and a unit test holds the table to them).

/** Output/input price ratio for a model with no known price. */
const DEFAULT_OUTPUT_RATIO = 5;

/** USD per million tokens. */
interface Rates {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
}

interface Price extends Rates {
  /** Other rates for every token of a call whose prompt (input, cache reads and writes) is longer than this. */
  longPrompt?: Rates & { abovePromptTokens: number };
}

/** Cache writes cost 1.25 times the input price (5-minute ones) or twice it (1-hour ones); reads a tenth unless said. */
function rates(input: number, output: number, cacheRead = input / 10): Rates {
  return { input, output, cacheRead, cacheWrite5m: input * 1.25, cacheWrite1h: input * 2 };
}

/** By model id, without a date or provider part; oldest first within a family (the last one is the family's newest). */
const PRICES: Record<string, Price> = {
  'claude-3-haiku': rates(0.25, 1.25),
  'claude-3-5-haiku': rates(0.8, 4),
  'claude-haiku-4-5': rates(1, 5),
  'claude-haiku-5-5': { ...rates(0.1, 0.5), longPrompt: { abovePromptTokens: 100_000, ...rates(0.5, 2.5) } },
  'claude-3-sonnet': rates(3, 15),
  'claude-3-5-sonnet': rates(3, 15),
  'claude-3-7-sonnet': rates(3, 15),
  'claude-sonnet-4-0': rates(3, 15),
  'claude-sonnet-4-5': rates(3, 15),
  'claude-sonnet-4-6': rates(3, 15),
  'claude-sonnet-5': rates(2, 10),
  'claude-sonnet-5-5': rates(2, 10, 0.1),
  'claude-3-opus': rates(15, 75),
  'claude-opus-4-0': rates(15, 75),
  'claude-opus-4-1': rates(15, 75),
  'claude-opus-4-5': rates(5, 25),
  'claude-opus-4-6': rates(5, 25),
  'claude-opus-4-7': rates(5, 25),
  'claude-opus-4-8': rates(5, 25),
  'claude-opus-5': rates(5, 25),
  'claude-opus-5-5': rates(4, 20, 0.2),
  'claude-fable-5': rates(10, 50),
  'claude-fable-5-1': rates(10, 50, 0.25),
  'claude-fable-5-2': rates(8, 40, 0.2),
  'claude-mythos-5': rates(10, 50),
  'claude-mythos-5-1': rates(10, 50, 0.25),
  'claude-mythos-5-2': rates(8, 40, 0.2),
};

/** The models the table prices, and where a model has other rates for long prompts, above how many prompt tokens. */
export function pricedModels(): { model: string; longPromptAbove?: number }[] {
  return Object.entries(PRICES).map(([model, price]) => ({ model, ...(price.longPrompt ? { longPromptAbove: price.longPrompt.abovePromptTokens } : {}) }));
}

const FAMILIES = ['haiku', 'sonnet', 'opus', 'fable', 'mythos'] as const;

/** The families' newest known prices, for a model id the table does not have yet. */
const NEWEST_OF_FAMILY = new Map<string, Price>();
for (const [id, price] of Object.entries(PRICES)) {
  const family = FAMILIES.find((name) => id.includes(`-${name}`));
  if (family) NEWEST_OF_FAMILY.set(family, price);
}

/**
 * The table's key for a model as the API, a cloud provider or the CLI names it:
 * `claude-opus-4-1-20250805`, `us.anthropic.claude-opus-5-5`, `claude-3-5-sonnet-v2@20241022`,
 * `anthropic.claude-3-5-haiku-20241022-v1:0`, `claude-opus-4-8[1m]`.
 */
export function modelPriceKey(model: string): string {
  const name = baseModelName(model.trim().toLowerCase());
  const from = name.indexOf('claude-');
  return (from > 0 ? name.slice(from) : name)
    .replace(/@.*$/, '')
    .replace(/-v\d+(?::\d+)?$/, '')
    .replace(/-\d{8}$/, '')
    .replace(/-v\d+$/, '')
    .replace(/-latest$/, '');
}

function priceOf(model: string): Price | undefined {
  const key = modelPriceKey(model);
  const known = PRICES[key] ?? PRICES[`${key}-0`];
  if (known) return known;
  const family = FAMILIES.find((name) => key.startsWith('claude-') && key.includes(`-${name}`));
  return family && NEWEST_OF_FAMILY.get(family);
}

/** The rates that apply to one call: a long prompt has its own, where the model has them. */
function ratesFor(price: Price, usage: TokenUsage): Rates {
  const long = price.longPrompt;
  return long && usage.input + usage.cacheRead + usage.cacheCreation > long.abovePromptTokens ? long : price;
}

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

/** Each component's cost in USD at these rates; cache writes the API did not say were 1-hour ones are 5-minute ones (the default). */
function partsAt(rates: Rates, usage: TokenUsage): CostParts {
  const oneHour = Math.min(usage.cacheWrite1h ?? 0, usage.cacheCreation);
  return {
    input: (usage.input * rates.input) / 1_000_000,
    output: (usage.output * rates.output) / 1_000_000,
    cacheRead: (usage.cacheRead * rates.cacheRead) / 1_000_000,
    cacheWrite: ((usage.cacheCreation - oneHour) * rates.cacheWrite5m + oneHour * rates.cacheWrite1h) / 1_000_000,
  };
}

/** List-price cost of one call by component, or undefined for a model with no known price. */
export function listPriceParts(model: string, usage: TokenUsage): CostParts | undefined {
  const price = priceOf(model);
  return price && partsAt(ratesFor(price, usage), usage);
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
  // Only the proportions matter: a model with no known price is weighted at made-up rates.
  const weights = calls.map((call) => listPriceParts(call.model, call.usage) ?? partsAt(rates(1, DEFAULT_OUTPUT_RATIO), call.usage));
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
