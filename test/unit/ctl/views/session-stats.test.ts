import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeStats } from '../../../../src/ctl/views/session-stats.ts';
import type { SessionFigures } from '../../../../src/ctl/views/session-record.ts';
import type { StoredSpan } from '../../../../src/ctl/views/stored-spans.ts';
import {
  ATTR_CLAUDE_COST_USD,
  ATTR_CLAUDE_TOOL_DURATION_MS,
  ATTR_CLAUDE_TOOL_ERROR,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
} from '../../../../src/telemetry/names.ts';

const DAY1 = new Date(2026, 0, 30, 10).getTime();
const DAY2 = new Date(2026, 0, 31, 23, 30).getTime();

function figures(startTime: number, duration: number | undefined, costUsd: number, extra: Partial<SessionFigures> = {}): SessionFigures {
  return {
    runId: String(startTime),
    traceId: '',
    sessionId: String(startTime),
    mode: 'print',
    model: 'm',
    version: 'v',
    startTime,
    ended: duration !== undefined,
    endTime: duration === undefined ? 0 : startTime + duration,
    exitCode: 0,
    prompts: 1,
    toolCalls: 0,
    toolErrors: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheCreationTokens: 0,
    costUsd,
    isError: false,
    interrupted: false,
    ...extra,
  };
}

let nextId = 0;
function tool(name: string, ms: number, error = false, reported?: number): StoredSpan {
  nextId += 1;
  return {
    traceId: 't',
    spanId: `s${nextId}`,
    parentSpanId: 'p',
    name: `execute_tool ${name}`,
    kind: 1,
    startMs: 0,
    endMs: ms,
    attributes: {
      [ATTR_GEN_AI_TOOL_NAME]: name,
      [ATTR_CLAUDE_TOOL_ERROR]: error,
      ...(reported === undefined ? {} : { [ATTR_CLAUDE_TOOL_DURATION_MS]: reported }),
    },
    statusCode: error ? 2 : 0,
  };
}

function chat(model: string, input: number, output: number, cacheRead: number, cacheCreation: number, cost: number): StoredSpan {
  nextId += 1;
  return {
    traceId: 't',
    spanId: `c${nextId}`,
    parentSpanId: 'p',
    name: `chat ${model}`,
    kind: 3,
    startMs: 0,
    endMs: 1,
    attributes: {
      [ATTR_GEN_AI_RESPONSE_MODEL]: model,
      [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: input + cacheRead + cacheCreation,
      [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: output,
      [ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS]: cacheRead,
      [ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS]: cacheCreation,
      [ATTR_CLAUDE_COST_USD]: cost,
    },
    statusCode: 0,
  };
}

test('per tool, per model, per day, and the sessions themselves', () => {
  const stats = computeStats([
    { figures: figures(DAY1, 1000, 0.1), spans: [tool('Bash', 10), tool('Bash', 30, true), tool('Read', 5), chat('opus', 100, 10, 50, 5, 0.1)] },
    {
      figures: figures(DAY2, 3000, 0.2, { toolErrors: 1 }),
      spans: [tool('Bash', 999, false, 20), chat('opus', 10, 1, 0, 0, 0.15), chat('haiku', 1, 1, 1, 1, 0.05)],
    },
    { figures: figures(DAY2 + 1000, undefined, 0), spans: [] },
  ]);
  assert.deepEqual(stats.sessions, { count: 3, withErrors: 1, durationMs: { p50: 1000, p95: 3000 }, costUsd: 0.30000000000000004 });
  assert.deepEqual(stats.tools, [
    // The duration the tool reported wins over the span's length.
    { tool: 'Bash', calls: 3, errors: 1, errorRate: 1 / 3, durationMs: { p50: 20, p95: 30 } },
    { tool: 'Read', calls: 1, errors: 0, errorRate: 0, durationMs: { p50: 5, p95: 5 } },
  ]);
  assert.deepEqual(stats.tokens, [
    { model: 'opus', calls: 2, input: 110, output: 11, cacheRead: 50, cacheCreation: 5, total: 176 },
    { model: 'haiku', calls: 1, input: 1, output: 1, cacheRead: 1, cacheCreation: 1, total: 4 },
  ]);
  assert.deepEqual(stats.costPerDay, [
    { day: '2026-01-30', sessions: 1, costUsd: 0.1 },
    { day: '2026-01-31', sessions: 2, costUsd: 0.2 },
  ]);
  assert.deepEqual(
    stats.costPerModel.map((m) => [m.model, Math.round(m.costUsd * 1000) / 1000]),
    [
      ['opus', 0.25],
      ['haiku', 0.05],
    ],
  );
});
