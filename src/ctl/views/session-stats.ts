import { localDay } from '../display-format.ts';
import { medianAndTail } from './percentiles.ts';
import type { MedianAndTail } from './percentiles.ts';
import { durationMs, hasErrors } from './session-record.ts';
import type { SessionFigures } from './session-record.ts';
import { chatModel, isErrorSpan, isPlaceholderCall, numberAttr, spanRole, spanTokens, stringAttr } from './stored-spans.ts';
import type { StoredSpan } from './stored-spans.ts';
import { ATTR_CLAUDE_COST_USD, ATTR_CLAUDE_TOOL_DURATION_MS, ATTR_GEN_AI_TOOL_NAME, OPERATION_EXECUTE_TOOL, operationTarget } from '../../telemetry/names.ts';

// Figures over many sessions: per tool, per model, per day. Session counts, durations and
// daily cost come from each session's own summary; tools, tokens and cost per model from
// its spans (the chat spans' costs add up to the session's).

export interface ToolStats {
  tool: string;
  calls: number;
  errors: number;
  /** errors / calls. */
  errorRate: number;
  durationMs: MedianAndTail;
}

export interface ModelTokens {
  model: string;
  calls: number;
  /** Uncached input. */
  input: number;
  output: number;
  cacheRead: number;
  cacheCreation: number;
  total: number;
}

export interface DayCost {
  /** Local calendar day, `YYYY-MM-DD`. */
  day: string;
  sessions: number;
  costUsd: number;
}

export interface ModelCost {
  model: string;
  costUsd: number;
}

export interface SessionStats {
  sessions: { count: number; withErrors: number; durationMs: MedianAndTail; costUsd: number };
  tools: ToolStats[];
  tokens: ModelTokens[];
  costPerDay: DayCost[];
  costPerModel: ModelCost[];
}

export interface SessionWithSpans {
  figures: SessionFigures;
  spans: StoredSpan[];
}

export function computeStats(sessions: SessionWithSpans[]): SessionStats {
  const tools = new Map<string, { calls: number; errors: number; durations: number[] }>();
  const tokens = new Map<string, ModelTokens>();
  const modelCost = new Map<string, number>();
  const days = new Map<string, DayCost>();
  const durations: number[] = [];
  let withErrors = 0;
  let totalCost = 0;

  for (const { figures, spans } of sessions) {
    const d = durationMs(figures);
    if (d !== undefined) durations.push(d);
    if (hasErrors(figures)) withErrors += 1;
    totalCost += figures.costUsd;
    const day = localDay(figures.startTime);
    const dayCost = days.get(day) ?? { day, sessions: 0, costUsd: 0 };
    dayCost.sessions += 1;
    dayCost.costUsd += figures.costUsd;
    days.set(day, dayCost);

    for (const span of spans) {
      const role = spanRole(span);
      if (role === 'tool') {
        const name = stringAttr(span, ATTR_GEN_AI_TOOL_NAME) ?? operationTarget(span.name, OPERATION_EXECUTE_TOOL) ?? span.name;
        const entry = tools.get(name) ?? { calls: 0, errors: 0, durations: [] };
        entry.calls += 1;
        if (isErrorSpan(span)) entry.errors += 1;
        entry.durations.push(numberAttr(span, ATTR_CLAUDE_TOOL_DURATION_MS) ?? span.endMs - span.startMs);
        tools.set(name, entry);
      } else if (role === 'chat' && !isPlaceholderCall(span)) {
        const model = chatModel(span);
        const t = spanTokens(span);
        const entry = tokens.get(model) ?? { model, calls: 0, input: 0, output: 0, cacheRead: 0, cacheCreation: 0, total: 0 };
        entry.calls += 1;
        entry.input += t.input;
        entry.output += t.output;
        entry.cacheRead += t.cacheRead;
        entry.cacheCreation += t.cacheCreation;
        entry.total += t.input + t.output + t.cacheRead + t.cacheCreation;
        tokens.set(model, entry);
        modelCost.set(model, (modelCost.get(model) ?? 0) + (numberAttr(span, ATTR_CLAUDE_COST_USD) ?? 0));
      }
    }
  }

  return {
    sessions: { count: sessions.length, withErrors, durationMs: medianAndTail(durations), costUsd: totalCost },
    tools: [...tools.entries()]
      .map(([tool, e]) => ({
        tool,
        calls: e.calls,
        errors: e.errors,
        errorRate: e.calls === 0 ? 0 : e.errors / e.calls,
        durationMs: medianAndTail(e.durations),
      }))
      .sort((a, b) => b.calls - a.calls || a.tool.localeCompare(b.tool)),
    tokens: [...tokens.values()].sort((a, b) => b.total - a.total || a.model.localeCompare(b.model)),
    costPerDay: [...days.values()].sort((a, b) => a.day.localeCompare(b.day)),
    costPerModel: [...modelCost.entries()]
      .map(([model, costUsd]) => ({ model, costUsd }))
      .sort((a, b) => b.costUsd - a.costUsd || a.model.localeCompare(b.model)),
  };
}
