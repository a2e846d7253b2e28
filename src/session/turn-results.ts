import type { ResultMessage } from '../sources/stream-json/messages.ts';
import type { SessionResult } from './events.ts';
import { sessionResult } from './session-result.ts';

// A `result` line's cost figures (`total_cost_usd`, `modelUsage[*].costUSD`) are totals for
// the whole claude process so far. A print run has one result; an SDK session has one per
// user message, so each turn's own cost is the difference from the previous result.

export class TurnResults {
  private costSoFar = 0;
  private readonly byModelSoFar = new Map<string, number>();
  private session: SessionResult | undefined;

  /** The session's result: the last turn's outcome, with the figures of all turns added up. */
  get sessionTotal(): SessionResult | undefined {
    return this.session;
  }

  /** The turn's result, with its own cost instead of the running total. */
  next(message: ResultMessage): SessionResult {
    const result = sessionResult(message);
    if (result.costUsd !== undefined) {
      const total = result.costUsd;
      // A total below the last one is not a running total (a failed turn reports 0): taken as it is.
      if (total >= this.costSoFar) {
        result.costUsd = total - this.costSoFar;
        this.costSoFar = total;
      }
    }
    for (const [model, total] of Object.entries(result.costByModel)) {
      const before = this.byModelSoFar.get(model) ?? 0;
      if (total < before) continue;
      result.costByModel[model] = total - before;
      this.byModelSoFar.set(model, total);
    }
    this.addToSession(result);
    return result;
  }

  private addToSession(turn: SessionResult): void {
    const before = this.session;
    // The last turn's outcome, field by field: spreading it into a new object costs a
    // microsecond or more in V8, once per result line.
    const session: SessionResult = {
      subtype: turn.subtype,
      isError: turn.isError,
      permissionDenials: (before?.permissionDenials ?? 0) + turn.permissionDenials,
      costByModel: {},
    };
    if (turn.text !== undefined) session.text = turn.text;
    if (turn.apiErrorStatus !== undefined) session.apiErrorStatus = turn.apiErrorStatus;
    if (turn.thinkingTokens !== undefined) session.thinkingTokens = turn.thinkingTokens;
    if (turn.contextWindow !== undefined) session.contextWindow = turn.contextWindow;
    for (const costs of [before?.costByModel, turn.costByModel]) {
      if (costs) for (const [model, cost] of Object.entries(costs)) session.costByModel[model] = (session.costByModel[model] ?? 0) + cost;
    }
    const costUsd = sum(before?.costUsd, turn.costUsd);
    const durationMs = sum(before?.durationMs, turn.durationMs);
    const durationApiMs = sum(before?.durationApiMs, turn.durationApiMs);
    const numTurns = sum(before?.numTurns, turn.numTurns);
    if (costUsd !== undefined) session.costUsd = costUsd;
    if (durationMs !== undefined) session.durationMs = durationMs;
    if (durationApiMs !== undefined) session.durationApiMs = durationApiMs;
    if (numTurns !== undefined) session.numTurns = numTurns;
    this.session = session;
  }
}

function sum(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : a + b;
}
