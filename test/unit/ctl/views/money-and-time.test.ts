import { test } from 'node:test';
import assert from 'node:assert/strict';
import { moneyAndTime } from '../../../../src/ctl/views/money-and-time.ts';
import type { StoredSpan } from '../../../../src/ctl/views/stored-spans.ts';
import {
  ATTR_CLAUDE_CACHE_REBUILD,
  ATTR_CLAUDE_COST_CACHE_READ_USD,
  ATTR_CLAUDE_COST_CACHE_WRITE_USD,
  ATTR_CLAUDE_COST_INPUT_USD,
  ATTR_CLAUDE_COST_OUTPUT_USD,
  ATTR_CLAUDE_PROMPT_INDEX,
  ATTR_CLAUDE_SESSION_ACTIVE_MS,
  ATTR_CLAUDE_SESSION_USER_WAIT_MS,
  ATTR_CLAUDE_TOOL_PERMISSION_WAIT_MS,
  ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  SPAN_SESSION,
} from '../../../../src/telemetry/names.ts';

// Where a session's money and time went, from its spans: the session span's totals when it has
// them, else what its calls add up to; parallel calls count once in the time split.

function span(spanId: string, parentSpanId: string, name: string, start: number, end: number, attributes: StoredSpan['attributes'] = {}): StoredSpan {
  return { traceId: 't', spanId, parentSpanId, name, kind: 1, startMs: start, endMs: end, attributes, statusCode: 0 };
}

const COST = (input: number, output: number, read: number, write: number) => ({
  [ATTR_CLAUDE_COST_INPUT_USD]: input,
  [ATTR_CLAUDE_COST_OUTPUT_USD]: output,
  [ATTR_CLAUDE_COST_CACHE_READ_USD]: read,
  [ATTR_CLAUDE_COST_CACHE_WRITE_USD]: write,
});

test('without session totals, the calls add up: components, rebuilds and their write cost, hit ratio, compactions', () => {
  const figures = moneyAndTime([
    span('p', 'x', 'invoke_agent claude-code', 0, 100, { [ATTR_CLAUDE_PROMPT_INDEX]: 1 }),
    span('c1', 'p', 'chat m', 0, 10, {
      [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 100,
      [ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS]: 60,
      [ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS]: 0,
      ...COST(1, 2, 3, 0),
    }),
    span('c2', 'p', 'chat m', 20, 30, {
      [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 100,
      [ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS]: 0,
      [ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS]: 90,
      [ATTR_CLAUDE_CACHE_REBUILD]: true,
      ...COST(1, 1, 0, 5),
    }),
  ]);
  assert.deepEqual(figures.cost, { input: 2, output: 3, cacheRead: 3, cacheWrite: 5 });
  assert.equal(figures.rebuilds, 1);
  assert.equal(figures.rebuildCostUsd, 5);
  assert.equal(figures.cacheHitRatio, 0.3);
  assert.equal(figures.time, undefined, 'no session span: no wall time to split');
});

test("parallel tool calls count once; permission waits leave the tools for the waiting time; subagent calls are not the main agent's", () => {
  const figures = moneyAndTime([
    span('s', '', SPAN_SESSION, 0, 1000, { [ATTR_CLAUDE_SESSION_USER_WAIT_MS]: 200, [ATTR_CLAUDE_SESSION_ACTIVE_MS]: 700 }),
    span('p', 's', 'invoke_agent claude-code', 100, 900, { [ATTR_CLAUDE_PROMPT_INDEX]: 1 }),
    span('c1', 'p', 'chat m', 100, 200),
    span('t1', 'p', 'execute_tool Read', 200, 400),
    span('t2', 'p', 'execute_tool Grep', 300, 500, { [ATTR_CLAUDE_TOOL_PERMISSION_WAIT_MS]: 50 }),
    span('t3', 'p', 'execute_tool Agent', 500, 800),
    span('sub', 't3', 'invoke_agent general-purpose', 510, 790),
    span('c2', 'sub', 'chat m', 520, 700),
  ]);
  assert.deepEqual(figures.time, { modelMs: 100, toolsMs: 550, waitingMs: 200, otherMs: 150 });
  assert.equal(figures.activeMs, 700);
  assert.equal(figures.waitingMs, 200);
  assert.equal(figures.cost, undefined, 'nothing recorded the components');
});
