import type { Signal } from '../config/otlp-config.ts';

// The items of an OTLP JSON request (spans, log records, metrics) with the resource and scope
// around each, and a request made again from some of them: how a stored request too big for
// the collector is cut into several (request-split.ts). The stored chunk was checked when it
// was read (store/stored-chunk.ts).

const LEVELS: Record<Signal, [string, string, string]> = {
  traces: ['resourceSpans', 'scopeSpans', 'spans'],
  logs: ['resourceLogs', 'scopeLogs', 'logRecords'],
  metrics: ['resourceMetrics', 'scopeMetrics', 'metrics'],
};

type JsonObject = Record<string, unknown>;

/** One item and the resource and scope entries it sits in. */
export interface PlacedItem {
  resource: JsonObject;
  scope: JsonObject;
  item: unknown;
}

function objects(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter((v): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v)) : [];
}

/** Every item of the request, in order. */
export function placedItems(signal: Signal, request: unknown): PlacedItem[] {
  const [resources, scopes, items] = LEVELS[signal];
  const out: PlacedItem[] = [];
  for (const resource of objects((request as JsonObject | null)?.[resources])) {
    for (const scope of objects(resource[scopes])) {
      const list = scope[items];
      if (Array.isArray(list)) for (const item of list) out.push({ resource, scope, item });
    }
  }
  return out;
}

/** A request of `placed` alone: each resource and scope entry as it was, with only these items in it. */
export function requestOf(signal: Signal, placed: readonly PlacedItem[]): JsonObject {
  const [resources, scopes, items] = LEVELS[signal];
  const resourceEntries = new Map<JsonObject, Map<JsonObject, unknown[]>>();
  for (const { resource, scope, item } of placed) {
    let scopeEntries = resourceEntries.get(resource);
    if (!scopeEntries) resourceEntries.set(resource, (scopeEntries = new Map()));
    let list = scopeEntries.get(scope);
    if (!list) scopeEntries.set(scope, (list = []));
    list.push(item);
  }
  return {
    [resources]: [...resourceEntries].map(([resource, scopeEntries]) => ({
      ...resource,
      [scopes]: [...scopeEntries].map(([scope, list]) => ({ ...scope, [items]: list })),
    })),
  };
}
