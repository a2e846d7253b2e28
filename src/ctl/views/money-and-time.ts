import { boolAttr, numberAttr, spanRole, spanTokens } from './stored-spans.ts';
import type { StoredSpan } from './stored-spans.ts';
import type { TokenUsage } from '../../session/events.ts';
import {
  ATTR_CLAUDE_CACHE_HIT_RATIO,
  ATTR_CLAUDE_CACHE_REBUILD,
  ATTR_CLAUDE_CACHE_REBUILDS,
  ATTR_CLAUDE_CACHE_REBUILD_COST_USD,
  ATTR_CLAUDE_COMPACTIONS,
  ATTR_CLAUDE_COST_CACHE_READ_USD,
  ATTR_CLAUDE_COST_CACHE_WRITE_USD,
  ATTR_CLAUDE_COST_INPUT_USD,
  ATTR_CLAUDE_COST_OUTPUT_USD,
  ATTR_CLAUDE_SESSION_ACTIVE_MS,
  ATTR_CLAUDE_SESSION_USER_WAIT_MS,
  ATTR_CLAUDE_TOOL_PERMISSION_WAIT_MS,
  EVENT_COMPACTION,
} from '../../telemetry/names.ts';

// Where one recorded session's money and time went, from its stored spans: cost by component,
// cache rebuilds and compactions, and its wall time split between the model, the tools and
// waiting on the person. The session span's own totals win; without them (an older session,
// or one still running) they are added up from its calls.

export interface CostComponents {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

export const COST_COMPONENT_ATTRIBUTES: Record<keyof CostComponents, string> = {
  input: ATTR_CLAUDE_COST_INPUT_USD,
  output: ATTR_CLAUDE_COST_OUTPUT_USD,
  cacheRead: ATTR_CLAUDE_COST_CACHE_READ_USD,
  cacheWrite: ATTR_CLAUDE_COST_CACHE_WRITE_USD,
};

export interface TimeSplit {
  /** Main-agent model calls (their overlaps counted once). */
  modelMs: number;
  /** Main-agent tool calls, subagents inside them included, less the time they waited for a permission. */
  toolsMs: number;
  /** Waiting on the person: between turns and on permission prompts (interactive mode). */
  waitingMs: number;
  /** The rest of the wall time: claude's own work, hooks, start-up. */
  otherMs: number;
}

export interface MoneyAndTime {
  /** Undefined when no span carries the components (sessions recorded before they existed). */
  cost?: CostComponents;
  rebuilds: number;
  rebuildCostUsd: number;
  /** Cache read / all input. */
  cacheHitRatio?: number;
  compactions: number;
  /** Interactive mode: the time claude worked on turns. */
  activeMs?: number;
  /** Interactive mode: the time claude waited for the person. */
  waitingMs?: number;
  time?: TimeSplit;
}

/** A span's `claude.cost.*_usd`; undefined when it has none of them. */
export function costComponentsOf(span: StoredSpan): CostComponents | undefined {
  const values = Object.values(COST_COMPONENT_ATTRIBUTES).map((key) => numberAttr(span, key));
  if (values.every((v) => v === undefined)) return undefined;
  const [input = 0, output = 0, cacheRead = 0, cacheWrite = 0] = values.map((v) => v ?? 0);
  return { input, output, cacheRead, cacheWrite };
}

export function addComponents(into: CostComponents, more: CostComponents): void {
  into.input += more.input;
  into.output += more.output;
  into.cacheRead += more.cacheRead;
  into.cacheWrite += more.cacheWrite;
}

export function zeroComponents(): CostComponents {
  return { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
}

/** The length of the union of intervals: parallel calls count once. */
function coveredMs(intervals: [number, number][]): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [s, e] of sorted) {
    if (e <= end) continue;
    total += e - Math.max(s, end);
    end = e;
  }
  return total;
}

export function isRebuild(span: StoredSpan): boolean {
  return boolAttr(span, ATTR_CLAUDE_CACHE_REBUILD) === true;
}

export const COMPACTION_EVENT = EVENT_COMPACTION;

function timeSplit(root: StoredSpan, spans: StoredSpan[], waitingMs: number): TimeSplit {
  const prompts = new Set(spans.filter((s) => spanRole(s) === 'prompt').map((s) => s.spanId));
  const mainCalls = spans.filter((s) => prompts.has(s.parentSpanId));
  const modelMs = coveredMs(mainCalls.filter((s) => spanRole(s) === 'chat').map((s) => [s.startMs, s.endMs]));
  const tools = mainCalls.filter((s) => spanRole(s) === 'tool');
  const permissionMs = tools.reduce((sum, s) => sum + (numberAttr(s, ATTR_CLAUDE_TOOL_PERMISSION_WAIT_MS) ?? 0), 0);
  const toolsMs = Math.max(0, coveredMs(tools.map((s) => [s.startMs, s.endMs])) - permissionMs);
  const wallMs = Math.max(0, root.endMs - root.startMs);
  return { modelMs, toolsMs, waitingMs, otherMs: Math.max(0, wallMs - modelMs - toolsMs - waitingMs) };
}

/** `sessionTokens`: the session's own token counts (its summary), which the hit ratio prefers to its calls'. */
export function moneyAndTime(spans: StoredSpan[], sessionTokens?: TokenUsage): MoneyAndTime {
  const root = spans.find((s) => spanRole(s) === 'session');
  const chats = spans.filter((s) => spanRole(s) === 'chat');
  const figures: MoneyAndTime = { rebuilds: 0, rebuildCostUsd: 0, compactions: 0 };

  let summed: CostComponents | undefined;
  const tokens = { all: 0, cacheRead: 0 };
  for (const chat of chats) {
    const parts = costComponentsOf(chat);
    if (parts) addComponents((summed ??= zeroComponents()), parts);
    if (isRebuild(chat)) {
      figures.rebuilds += 1;
      figures.rebuildCostUsd += parts?.cacheWrite ?? 0;
    }
    const t = spanTokens(chat);
    tokens.all += t.input + t.cacheRead + t.cacheCreation;
    tokens.cacheRead += t.cacheRead;
  }
  figures.compactions = spans.reduce((n, s) => n + (s.events ?? []).filter((e) => e.name === COMPACTION_EVENT).length, 0);
  const fromRoot = root ? costComponentsOf(root) : undefined;
  const cost = fromRoot ?? summed;
  if (cost) figures.cost = cost;
  const sessionInput = sessionTokens ? sessionTokens.input + sessionTokens.cacheRead + sessionTokens.cacheCreation : 0;
  if (sessionTokens && sessionInput > 0) figures.cacheHitRatio = sessionTokens.cacheRead / sessionInput;
  else if (tokens.all > 0) figures.cacheHitRatio = tokens.cacheRead / tokens.all;
  if (!root) return figures;

  // The session span's totals: claude's own cost total scales them, and they survive sampling of calls.
  const rootNumber = (key: string): number | undefined => numberAttr(root, key);
  figures.rebuilds = rootNumber(ATTR_CLAUDE_CACHE_REBUILDS) ?? figures.rebuilds;
  figures.rebuildCostUsd = rootNumber(ATTR_CLAUDE_CACHE_REBUILD_COST_USD) ?? figures.rebuildCostUsd;
  figures.compactions = rootNumber(ATTR_CLAUDE_COMPACTIONS) ?? figures.compactions;
  const ratio = rootNumber(ATTR_CLAUDE_CACHE_HIT_RATIO);
  if (ratio !== undefined) figures.cacheHitRatio = ratio;
  const active = rootNumber(ATTR_CLAUDE_SESSION_ACTIVE_MS);
  const waiting = rootNumber(ATTR_CLAUDE_SESSION_USER_WAIT_MS);
  if (active !== undefined) figures.activeMs = active;
  if (waiting !== undefined) figures.waitingMs = waiting;
  figures.time = timeSplit(root, spans, waiting ?? 0);
  return figures;
}
