import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_DRAWN_DEPTH, buildWaterfall, layoutWaterfall, waterfallExtentMs } from '../../../../src/ctl/views/waterfall.ts';
import { renderTerminalWaterfall } from '../../../../src/ctl/render/text/terminal-waterfall.ts';
import { makeStyle } from '../../../../src/ctl/render/text/terminal-style.ts';
import { parseChunk } from '../../../../src/store/stored-spans.ts';
import type { StoredSpan } from '../../../../src/ctl/views/stored-spans.ts';
import {
  ATTR_CLAUDE_COST_USD,
  ATTR_CLAUDE_PROMPT_INDEX,
  ATTR_CLAUDE_PROMPT_PREVIEW,
  ATTR_CLAUDE_TOOL_ERROR,
  ATTR_CLAUDE_TOOL_EXIT_CODE,
  ATTR_CLAUDE_TOOL_INPUT_SUMMARY,
  ATTR_GEN_AI_AGENT_DESCRIPTION,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_PROCESS_EXIT_CODE,
  ATTR_SESSION_ID,
  SPAN_SESSION,
} from '../../../../src/telemetry/names.ts';

// A session as the wrapper stores it: session → prompt → chat, Bash (failed), Agent → subagent → chat.
const T0 = 1_800_000_000_000;

function span(
  spanId: string,
  parentSpanId: string,
  name: string,
  start: number,
  end: number,
  attributes: StoredSpan['attributes'] = {},
  statusCode = 0,
  statusMessage?: string,
): StoredSpan {
  return {
    traceId: 't',
    spanId,
    parentSpanId,
    name,
    kind: 1,
    startMs: T0 + start,
    endMs: T0 + end,
    attributes,
    statusCode,
    ...(statusMessage ? { statusMessage } : {}),
  };
}

const SPANS: StoredSpan[] = [
  span(
    'bash',
    'prompt',
    'execute_tool Bash',
    300,
    400,
    { [ATTR_GEN_AI_TOOL_NAME]: 'Bash', [ATTR_CLAUDE_TOOL_INPUT_SUMMARY]: 'make test', [ATTR_CLAUDE_TOOL_EXIT_CODE]: 3, [ATTR_CLAUDE_TOOL_ERROR]: true },
    2,
    'Exit code 3\nFAIL',
  ),
  span('chat1', 'prompt', 'chat claude-opus-4-8', 100, 300, {
    [ATTR_GEN_AI_RESPONSE_MODEL]: 'claude-opus-4-8',
    [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 177,
    [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: 40,
    [ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS]: 50,
    [ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS]: 7,
    [ATTR_CLAUDE_COST_USD]: 0.002,
  }),
  span('session', '', SPAN_SESSION, 0, 1000, { [ATTR_PROCESS_EXIT_CODE]: 0, [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 354, [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: 52 }),
  span('prompt', 'session', 'invoke_agent claude-code', 0, 950, { [ATTR_CLAUDE_PROMPT_INDEX]: 1, [ATTR_CLAUDE_PROMPT_PREVIEW]: 'fix the tests' }),
  span('agent-tool', 'prompt', 'execute_tool Agent', 500, 900, { [ATTR_GEN_AI_TOOL_NAME]: 'Agent' }),
  span('sub', 'agent-tool', 'invoke_agent general-purpose', 510, 890, {
    [ATTR_GEN_AI_AGENT_NAME]: 'general-purpose',
    [ATTR_GEN_AI_AGENT_DESCRIPTION]: 'look around',
  }),
  span('subchat', 'sub', 'chat claude-haiku-4-5', 520, 600, { [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 10, [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: 5 }),
];

test('the span tree: roots, children in start order, roles, labels, errors, tokens', () => {
  const [root, ...others] = buildWaterfall(SPANS);
  assert.equal(others.length, 0);
  assert.ok(root);
  assert.equal(root.role, 'session');
  assert.equal(root.exitCode, 0);
  assert.deepEqual(root.tokens, { input: 354, output: 52, cacheRead: 0, cacheCreation: 0 });
  const prompt = root.children[0];
  assert.equal(prompt?.label, 'prompt 1');
  assert.equal(prompt?.detail, 'fix the tests');
  assert.deepEqual(
    prompt?.children.map((c) => c.label),
    ['chat claude-opus-4-8', 'Bash', 'Agent'],
  );
  const [chat, bash, agentTool] = prompt?.children ?? [];
  assert.deepEqual(chat?.tokens, { input: 120, output: 40, cacheRead: 50, cacheCreation: 7 });
  assert.equal(chat?.costUsd, 0.002);
  assert.equal(chat?.startOffsetMs, 100);
  assert.equal(chat?.durationMs, 200);
  assert.equal(bash?.isError, true);
  assert.equal(bash?.exitCode, 3);
  assert.equal(bash?.error, 'Exit code 3\nFAIL');
  assert.equal(bash?.detail, 'make test');
  assert.equal(agentTool?.children[0]?.label, 'agent general-purpose');
  assert.equal(agentTool?.children[0]?.children[0]?.label, 'chat claude-haiku-4-5');
  assert.equal(waterfallExtentMs([root]), 1000);
});

test('a span whose parent was not stored is shown at the top, not dropped', () => {
  const roots = buildWaterfall(SPANS.filter((s) => s.spanId !== 'agent-tool'));
  assert.deepEqual(
    roots.map((r) => r.label),
    ['session', 'agent general-purpose'],
  );
  assert.deepEqual(buildWaterfall([]), []);
});

test('layout: bars on a shared axis, at least one cell each, guides drawn for the tree', () => {
  const rows = layoutWaterfall(buildWaterfall(SPANS), 100);
  assert.deepEqual(
    rows.map((r) => [r.guide + r.node.label, r.barStart, r.barLength]),
    [
      ['session', 0, 100],
      ['└ prompt 1', 0, 95],
      ['  ├ chat claude-opus-4-8', 10, 20],
      ['  ├ Bash', 30, 10],
      ['  └ Agent', 50, 40],
      ['    └ agent general-purpose', 51, 38],
      ['      └ chat claude-haiku-4-5', 52, 8],
    ],
  );
  const instant = layoutWaterfall(buildWaterfall([span('a', '', SPAN_SESSION, 0, 1000), span('b', 'a', 'execute_tool Read', 1000, 1000)]), 10);
  assert.deepEqual(
    instant.map((r) => [r.barStart, r.barLength]),
    [
      [0, 10],
      [9, 1],
    ],
    'a zero-length span at the very end still gets its cell',
  );
});

test('terminal rendering: plain without colour, the error on its own line; colour only when asked', () => {
  const tree = buildWaterfall(SPANS);
  const plain = renderTerminalWaterfall(tree, { width: 100, style: makeStyle(false) });
  assert.doesNotMatch(plain, /\u001b\[/);
  const lines = plain.split('\n');
  const bashLine = lines.findIndex((l) => l.includes('Bash make test'));
  assert.ok(bashLine > 0, plain);
  assert.match(lines[bashLine] ?? '', /100ms.*Bash make test\s+3\s/);
  assert.match(lines[bashLine + 1] ?? '', /✗ Exit code 3 · FAIL$/);
  assert.match(plain, /177\/40/, 'chat tokens: input (cache included, as on the span), then output');
  assert.ok(
    lines.every((l) => l.length <= 100),
    'fits the width',
  );
  const coloured = renderTerminalWaterfall(tree, { width: 100, style: makeStyle(true) });
  assert.match(coloured, /\u001b\[31m/);
  assert.equal(coloured.replace(/\u001b\[[0-9;]*m/g, ''), plain, 'colour changes nothing else');
});

test('stored OTLP JSON: int64 as strings or numbers, arrays, bad entries skipped', () => {
  const parsed = parseChunk({
    traces: {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: 'abc',
                  spanId: 's1',
                  name: 'chat m',
                  startTimeUnixNano: '1800000000000000000',
                  endTimeUnixNano: 1800000000250000000,
                  attributes: [
                    { key: ATTR_GEN_AI_USAGE_INPUT_TOKENS, value: { intValue: '12' } },
                    { key: ATTR_GEN_AI_RESPONSE_FINISH_REASONS, value: { arrayValue: { values: [{ stringValue: 'end_turn' }] } } },
                    { key: ATTR_CLAUDE_COST_USD, value: { doubleValue: 0.5 } },
                    { key: 'broken' },
                  ],
                  status: { code: 2, message: 'boom' },
                },
                { spanId: 'no-name' },
                'not a span',
              ],
            },
          ],
        },
      ],
    },
    logs: { resourceLogs: [{ scopeLogs: [{ logRecords: [{ attributes: [{ key: ATTR_SESSION_ID, value: { stringValue: 'sess-1' } }] }] }] }] },
  });
  assert.equal(parsed.spans.length, 1);
  const [s] = parsed.spans;
  assert.equal(s?.startMs, 1_800_000_000_000);
  assert.equal(s?.endMs, 1_800_000_000_250);
  assert.deepEqual(s?.attributes, { [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 12, [ATTR_GEN_AI_RESPONSE_FINISH_REASONS]: ['end_turn'], [ATTR_CLAUDE_COST_USD]: 0.5 });
  assert.equal(s?.statusCode, 2);
  assert.equal(s?.statusMessage, 'boom');
  assert.equal(s?.parentSpanId, '');
  assert.deepEqual(parsed.logSessionIds, ['sess-1']);
  assert.throws(() => parseChunk([1, 2]), /not an OTLP export request/);
});

test('a chain of thousands of spans is drawn without running out of stack, deeper levels at the cap saying their level', () => {
  const depth = 5_000;
  const chain = Array.from({ length: depth }, (_, i) => span(`s${i}`, i === 0 ? '' : `s${i - 1}`, `step ${i}`, i, i + 1));
  const roots = buildWaterfall(chain);
  assert.equal(waterfallExtentMs(roots), depth);
  const rows = layoutWaterfall(roots, 10);
  assert.equal(rows.length, depth);
  const last = rows.at(-1);
  assert.equal(last?.depth, MAX_DRAWN_DEPTH);
  assert.equal(last?.level, depth - 1);
  assert.equal(rows[MAX_DRAWN_DEPTH]?.level, undefined);
  assert.ok((last?.guide.length ?? 0) <= 2 * MAX_DRAWN_DEPTH);
  const text = renderTerminalWaterfall(roots, { width: 200, style: makeStyle(false) });
  assert.match(text, new RegExp(`\\[level ${depth - 1}\\] step ${depth - 1}`));
  assert.ok(!text.includes(`[level ${MAX_DRAWN_DEPTH}]`), 'spans within the cap say no level');
});

test('spans whose parents make a loop are still shown, each once', () => {
  const roots = buildWaterfall([span('a', 'b', 'one', 0, 10), span('b', 'a', 'two', 5, 10), span('c', '', SPAN_SESSION, 1, 10)]);
  assert.deepEqual(
    layoutWaterfall(roots, 10).map((r) => r.guide + r.node.label),
    ['one', '└ two', 'session'],
  );
});
