import type { ResultMessage } from '../sources/stream-json/messages.ts';
import type { SessionResult } from './events.ts';
import type { CarriedTotals } from '../sources/transcript/carried-totals.ts';
import { sessionResult } from './session-result.ts';

// A `result` line's cost figures (`total_cost_usd`, `modelUsage[*].costUSD`) and its
// `duration_api_ms` are totals for the whole claude process so far (from 2.1.332 on, for a
// resumed session, they start from the earlier runs' totals: `carriedOver`). A print run has one
// result; an SDK session has one per user message, so each turn's own figure is the difference
// from the previous result. Its `duration_ms`, `num_turns` and `usage` are the turn's own.

export class TurnResults {
  private costSoFar = 0;
  private apiMsSoFar = 0;
  private readonly byModelSoFar = new Map<string, number>();
  private session: SessionResult | undefined;

  /** What claude's totals start from, before its first result: what it carried over from earlier runs. */
  carriedOver(totals: CarriedTotals): void {
    if (this.session) return;
    this.costSoFar = totals.costUsd;
    this.apiMsSoFar = totals.durationApiMs;
    for (const [model, cost] of Object.entries(totals.costByModel)) this.byModelSoFar.set(model, cost);
  }

  /** The session's result: the last turn's outcome, with the figures of all turns added up (this run's, not those carried over). */
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
    if (result.durationApiMs !== undefined && result.durationApiMs >= this.apiMsSoFar) {
      const total = result.durationApiMs;
      result.durationApiMs = total - this.apiMsSoFar;
      this.apiMsSoFar = total;
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
    if (turn.contextWindow !== undefined) session.contextWindow = turn.contextWindow;
    for (const costs of [before?.costByModel, turn.costByModel]) {
      if (costs) for (const [model, cost] of Object.entries(costs)) session.costByModel[model] = (session.costByModel[model] ?? 0) + cost;
    }
    const costUsd = sum(before?.costUsd, turn.costUsd);
    const durationMs = sum(before?.durationMs, turn.durationMs);
    const durationApiMs = sum(before?.durationApiMs, turn.durationApiMs);
    const numTurns = sum(before?.numTurns, turn.numTurns);
    const thinkingTokens = sum(before?.thinkingTokens, turn.thinkingTokens);
    if (thinkingTokens !== undefined) session.thinkingTokens = thinkingTokens;
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
