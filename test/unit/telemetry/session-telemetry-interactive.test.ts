import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SessionEvent } from '../../../src/session/events.ts';
import { MODEL, SESSION_ID, captureSession, only, num, close, points, sessionResult } from '../../support/session-telemetry-capture.ts';
import {
  ATTR_CLAUDE_COMPACTION_TRIGGER,
  ATTR_CLAUDE_COMPACTIONS,
  ATTR_CLAUDE_COST_USD,
  ATTR_CLAUDE_PROMPT_COUNT,
  ATTR_CLAUDE_PROMPT_INDEX,
  ATTR_CLAUDE_SESSION_USER_WAIT_MS,
  ATTR_CLAUDE_TURN_USER_WAIT_MS,
  ATTR_CLAUDE_WAIT_KIND,
  ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS,
  EVENT_COMPACTION,
  METRIC_CLAUDE_USER_WAIT,
  OPERATION_CHAT,
  SPAN_PROMPT,
  SPAN_SESSION,
  operationSpanName,
} from '../../../src/telemetry/names.ts';

// An interactive session's waits on the person and per-prompt costs, and the GenAI naming switch.

/** Two prompts typed by a person: 3 s before the first, 5 s between the first's end and the second. */
function interactiveSession(): SessionEvent[] {
  const chat = (messageId: string, start: number, output: number): SessionEvent => ({
    kind: 'chat',
    start,
    end: start + 100,
    messageId,
    model: MODEL,
    usage: { input: 10, output, cacheRead: 0, cacheCreation: 500 },
    agent: null,
    text: '',
  });
  return [
    { kind: 'session_start', time: 10_000, sessionId: SESSION_ID, model: MODEL, version: '2.1.332', cwd: '/repo', mode: 'interactive' },
    { kind: 'prompt_start', time: 13_000, text: 'first' },
    chat('m1', 13_100, 10),
    { kind: 'prompt_end', time: 14_000, result: sessionResult({ costUsd: 0.01, costByModel: { [MODEL]: 0.01 } }) },
    { kind: 'prompt_start', time: 19_000, text: 'second' },
    chat('m2', 19_100, 90),
    { kind: 'prompt_end', time: 20_000, result: sessionResult({ costUsd: 0.03, costByModel: { [MODEL]: 0.03 } }) },
    { kind: 'session_end', time: 21_000, exitCode: 0, interrupted: false },
  ];
}

test('interactive mode: each prompt carries the wait before it, its own cost, and the session the sums', async () => {
  const captured = await captureSession(interactiveSession());
  const prompts = captured.spans
    .filter((s) => s.name === SPAN_PROMPT)
    .sort((a, b) => num(a.attributes, ATTR_CLAUDE_PROMPT_INDEX) - num(b.attributes, ATTR_CLAUDE_PROMPT_INDEX));
  assert.deepEqual(
    prompts.map((p) => p.attributes[ATTR_CLAUDE_PROMPT_INDEX]),
    [1, 2],
  );
  assert.deepEqual(
    prompts.map((p) => p.attributes[ATTR_CLAUDE_TURN_USER_WAIT_MS]),
    [3000, 5000],
  );
  // Each prompt's cost is its own calls', apportioned from claude's per-prompt totals.
  assert.ok(close(num(prompts[0]?.attributes ?? {}, ATTR_CLAUDE_COST_USD), 0.01));
  assert.ok(close(num(prompts[1]?.attributes ?? {}, ATTR_CLAUDE_COST_USD), 0.03));
  const session = only(captured.spans, SPAN_SESSION);
  assert.ok(close(num(session.attributes, ATTR_CLAUDE_COST_USD), 0.04));
  assert.equal(session.attributes[ATTR_CLAUDE_SESSION_USER_WAIT_MS], 8000);
  assert.equal(session.attributes[ATTR_CLAUDE_PROMPT_COUNT], 2);
  const waits = points(captured, METRIC_CLAUDE_USER_WAIT).filter((p) => p.attributes[ATTR_CLAUDE_WAIT_KIND] === 'prompt');
  assert.equal(waits.length, 1);
  const histogram = waits[0]?.value as { count: number; sum: number };
  assert.equal(histogram.count, 2);
  assert.ok(close(histogram.sum, 8));
});

test("the cache write count takes today's GenAI name only when the latest conventions are opted into", async () => {
  const legacy = await captureSession(interactiveSession());
  const latest = await captureSession(interactiveSession(), { latestSemconv: true, logContent: false });
  for (const [captured, present, absent] of [
    [legacy, ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS, ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS],
    [latest, ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS, ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS],
  ] as const) {
    const chat = captured.spans.find((s) => s.name === operationSpanName(OPERATION_CHAT, MODEL));
    assert.equal(chat?.attributes[present], 500);
    assert.equal(chat?.attributes[absent], undefined);
    assert.equal(only(captured.spans, SPAN_SESSION).attributes[present], 1000);
  }
});

test('a compaction during a turn is on its span; one from before the open turn began (read late from the transcript) is on the session', async () => {
  const events = interactiveSession();
  const at = (kind: SessionEvent['kind'], n: number) =>
    events.findIndex((e, i) => e.kind === kind && events.slice(0, i).filter((x) => x.kind === kind).length === n);
  // Auto-compaction in the first turn, then a /compact between the turns that arrives after the second prompt began.
  events.splice(at('prompt_end', 0), 0, { kind: 'compaction', time: 13_500, trigger: 'auto', preTokens: 900, postTokens: 100 });
  events.splice(at('prompt_start', 1) + 1, 0, { kind: 'compaction', time: 16_000, trigger: 'manual' });
  const captured = await captureSession(events);
  const session = only(captured.spans, SPAN_SESSION);
  const [first, second] = captured.spans
    .filter((s) => s.name === SPAN_PROMPT)
    .sort((a, b) => num(a.attributes, ATTR_CLAUDE_PROMPT_INDEX) - num(b.attributes, ATTR_CLAUDE_PROMPT_INDEX));
  assert.ok(first && second);
  const triggers = (span: typeof session) => span.events.filter((e) => e.name === EVENT_COMPACTION).map((e) => e.attributes?.[ATTR_CLAUDE_COMPACTION_TRIGGER]);
  assert.deepEqual(triggers(first), ['auto']);
  assert.deepEqual(triggers(second), []);
  assert.deepEqual(triggers(session), ['manual']);
  const logSpans = captured.logs.filter((l) => l.eventName === EVENT_COMPACTION).map((l) => l.spanContext?.spanId);
  assert.deepEqual(logSpans, [first.spanContext().spanId, session.spanContext().spanId]);
  assert.equal(session.attributes[ATTR_CLAUDE_COMPACTIONS], 2);
});
