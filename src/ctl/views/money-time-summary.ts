import { groupStats } from './grouped-stats.ts';
import type { GroupRow } from './grouped-stats.ts';
import { addComponents, moneyAndTime, zeroComponents } from './money-and-time.ts';
import type { CostComponents, TimeSplit } from './money-and-time.ts';
import type { SessionWithSpans } from './session-stats.ts';

// Where the money and the time of many sessions went, for the report: cost by component,
// what cache rebuilds cost, cost per repository, and the sessions' time split between the
// model, the tools and waiting on the person.

export interface SessionTime {
  runId: string;
  split: TimeSplit;
}

export interface MoneyTimeSummary {
  costUsd: number;
  /** Null when no session recorded its cost by component. */
  cost: CostComponents | null;
  rebuilds: number;
  rebuildCostUsd: number;
  /** Cache read / all input over every session; null without input. */
  cacheHitRatio: number | null;
  byRepository: GroupRow[];
  time: TimeSplit;
  /** Each session's own split (those with a session span), keyed by run. */
  sessions: SessionTime[];
}

export function summarizeMoneyAndTime(sessions: (SessionWithSpans & { runId: string })[]): MoneyTimeSummary {
  let cost: CostComponents | null = null;
  const time: TimeSplit = { modelMs: 0, toolsMs: 0, waitingMs: 0, otherMs: 0 };
  const perSession: SessionTime[] = [];
  let rebuilds = 0;
  let rebuildCostUsd = 0;
  let costUsd = 0;
  const tokens = { input: 0, cacheRead: 0 };
  for (const { figures, spans, runId } of sessions) {
    const figuresOf = moneyAndTime(spans);
    costUsd += figures.costUsd;
    if (figuresOf.cost) addComponents((cost ??= zeroComponents()), figuresOf.cost);
    rebuilds += figuresOf.rebuilds;
    rebuildCostUsd += figuresOf.rebuildCostUsd;
    tokens.input += figures.inputTokens + figures.cacheReadTokens + figures.cacheCreationTokens;
    tokens.cacheRead += figures.cacheReadTokens;
    if (figuresOf.time) {
      const t = figuresOf.time;
      time.modelMs += t.modelMs;
      time.toolsMs += t.toolsMs;
      time.waitingMs += t.waitingMs;
      time.otherMs += t.otherMs;
      perSession.push({ runId, split: t });
    }
  }
  return {
    costUsd,
    cost,
    rebuilds,
    rebuildCostUsd,
    cacheHitRatio: tokens.input > 0 ? tokens.cacheRead / tokens.input : null,
    byRepository: groupStats(sessions, 'repo'),
    time,
    sessions: perSession,
  };
}
