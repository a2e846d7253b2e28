import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseStreamLine } from '../../../src/sources/stream-json/messages.ts';
import { parseSdkInputLine, SdkInputReader } from '../../../src/sources/stream-json/sdk-input.ts';
import { StreamSessionReader } from '../../../src/session/from-stream.ts';
import { TurnResults } from '../../../src/session/turn-results.ts';
import { CallerInput } from '../../../src/session/caller-input.ts';
import type { SessionEvent } from '../../../src/session/events.ts';
import type { ResultMessage } from '../../../src/sources/stream-json/messages.ts';

// SDK mode over a real recording of the CLI driven by the Agent SDK (stdin and stdout of one
// process): the two directions are replayed in the order they happened.

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/streams/sdk/${name}`, import.meta.url), 'utf8')
    .trimEnd()
    .split('\n');
const of = <K extends SessionEvent['kind']>(events: SessionEvent[], kind: K) => events.filter((e): e is Extract<SessionEvent, { kind: K }> => e.kind === kind);

/** Replays the recording: the permission answer 250 ms after the question, the second message after the first result. */
function replay(options: { denyAnswer?: boolean } = {}): SessionEvent[] {
  const stdin = fixture('sdk-2.1.332-stdin.jsonl');
  const stdout = fixture('sdk-2.1.332-stdout.jsonl');
  const reader = new StreamSessionReader({ startTime: 1000, mode: 'sdk' });
  const events: SessionEvent[] = [];
  let t = 1000;
  const input = (line: string, time: number) => {
    const parsed = parseSdkInputLine(options.denyAnswer ? line.replace('"behavior":"allow"', '"behavior":"deny"') : line);
    if (parsed.type === 'user') reader.caller.userMessage(parsed.text, time);
    if (parsed.type === 'permission_answer') reader.caller.permissionAnswered(parsed.requestId, time, parsed.denied);
  };
  input(stdin[0] ?? '', (t += 10));
  input(stdin[1] ?? '', (t += 10));
  let results = 0;
  for (const line of stdout) {
    const message = parseStreamLine(line);
    if (message) events.push(...reader.push(message, (t += 10)));
    if (message?.type === 'permission_request') input(stdin[2] ?? '', (t += 250));
    if (message?.type === 'result' && ++results === 1) input(stdin[3] ?? '', (t += 500));
  }
  events.push(...reader.finish({ time: (t += 10), exitCode: 0, interrupted: false }));
  return events;
}

test('one session in SDK mode, one prompt per user message with its own text, ending at its own result', () => {
  const events = replay();
  const [start] = of(events, 'session_start');
  assert.equal(start?.mode, 'sdk');
  assert.equal(start?.sessionId, 'd3f83d78-58f1-491c-9e02-818a42d7ba35');
  assert.equal(of(events, 'session_start').length, 1);
  assert.deepEqual(
    of(events, 'prompt_start').map((p) => p.text),
    ['write a file', 'and again'],
  );
  const ends = of(events, 'prompt_end');
  assert.deepEqual(
    ends.map((e) => e.result?.text),
    ['first answer', 'second answer'],
  );
  // A prompt starts when the caller sent it, not when claude's first line about it came.
  const [first, second] = of(events, 'prompt_start');
  assert.equal(first?.time, 1020);
  assert.ok(second !== undefined && ends[0] !== undefined && second.time > ends[0].time);
  const order = events.map((e) => e.kind).filter((k) => k === 'prompt_start' || k === 'prompt_end');
  assert.deepEqual(order, ['prompt_start', 'prompt_end', 'prompt_start', 'prompt_end']);
});

test('control requests, state changes and other unknown lines make no events and break nothing', () => {
  const events = replay();
  assert.deepEqual(
    of(events, 'tool_start').map((e) => e.name),
    ['Bash'],
  );
  assert.equal(of(events, 'chat').length, 3);
  assert.equal(of(events, 'session_end').length, 1);
});

test('the permission round-trip times the tool call; an allowed call is not denied', () => {
  const [end] = of(replay(), 'tool_end');
  assert.equal(end?.outcome.permissionWaitMs, 250);
  assert.equal(end?.outcome.permissionDenied, false);
  assert.equal(end?.outcome.isError, false);
});

test('a call the caller denied is a denied, failed tool call', () => {
  const [end] = of(replay({ denyAnswer: true }), 'tool_end');
  assert.equal(end?.outcome.permissionDenied, true);
  assert.equal(end?.outcome.isError, true);
  assert.equal(end?.outcome.permissionWaitMs, 250);
});

test("each turn costs what it added to claude's running total; the session costs the total", () => {
  const events = replay();
  const costs = of(events, 'prompt_end').map((e) => e.result?.costUsd ?? NaN);
  assert.ok(Math.abs((costs[0] ?? 0) - 0.001866) < 1e-9);
  assert.ok(Math.abs((costs[1] ?? 0) - (0.002799 - 0.001866)) < 1e-9);
  const [end] = of(events, 'session_end');
  assert.ok(Math.abs((end?.result?.costUsd ?? 0) - 0.002799) < 1e-9);
  assert.ok(Math.abs((end?.result?.costByModel['claude-opus-5-5'] ?? 0) - 0.002799) < 1e-9);
  assert.equal(end?.result?.numTurns, 3);
  assert.equal(end?.result?.text, 'second answer');
  // duration_api_ms is a running total too (65, then 75), unlike duration_ms and num_turns.
  assert.deepEqual(
    of(events, 'prompt_end').map((e) => e.result?.durationApiMs),
    [65, 10],
  );
  assert.equal(end?.result?.durationApiMs, 75);
});

test("a total lower than the last (a failed turn reports 0) is that turn's own figure", () => {
  const results = new TurnResults();
  const message = (total: number): ResultMessage => ({
    type: 'result',
    subtype: 'success',
    isError: false,
    result: undefined,
    sessionId: 's',
    durationMs: 1,
    durationApiMs: 1,
    ttftMs: undefined,
    numTurns: 1,
    totalCostUsd: total,
    usage: undefined,
    modelUsage: { m: { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, costUSD: total } },
    permissionDenials: 0,
    apiErrorStatus: undefined,
    stopReason: undefined,
  });
  assert.equal(results.next(message(2)).costUsd, 2);
  assert.equal(results.next(message(0)).costUsd, 0);
  assert.equal(results.next(message(5)).costUsd, 3);
  assert.equal(results.sessionTotal?.costUsd, 5);
});

test("the session's result is the last turn's outcome with every turn's figures added up", () => {
  const results = new TurnResults();
  const base: ResultMessage = {
    type: 'result',
    subtype: 'success',
    isError: false,
    result: 'first',
    sessionId: 's',
    durationMs: 10,
    durationApiMs: 4,
    ttftMs: undefined,
    numTurns: 1,
    totalCostUsd: 1,
    usage: { input_tokens: 1, output_tokens: 4, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, thinking_tokens: 3 },
    modelUsage: { a: { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, costUSD: 1 } },
    permissionDenials: 1,
    apiErrorStatus: undefined,
    stopReason: undefined,
  };
  results.next(base);
  results.next({
    ...base,
    subtype: 'error_during_execution',
    isError: true,
    result: 'second',
    durationMs: 20,
    durationApiMs: 9,
    totalCostUsd: 3,
    usage: { input_tokens: 1, output_tokens: 2, cache_read_input_tokens: 0, cache_creation_input_tokens: 0, thinking_tokens: 7 },
    modelUsage: {
      a: { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, costUSD: 1.5 },
      b: { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, costUSD: 1.5, contextWindow: 200000 },
    },
    apiErrorStatus: 529,
  });
  assert.deepEqual(results.sessionTotal, {
    subtype: 'error_during_execution',
    isError: true,
    text: 'second',
    permissionDenials: 2,
    apiErrorStatus: 529,
    thinkingTokens: 10,
    contextWindow: 200000,
    costByModel: { a: 1.5, b: 1.5 },
    costUsd: 3,
    durationMs: 30,
    durationApiMs: 9,
    numTurns: 2,
  });
});

test('a resumed run costs what it added to the totals claude carried over from the earlier runs', () => {
  const earlier = '91b6ce7b-f43e-4ada-b094-b01f86501b5c';
  const fork = 'd1a65036-f369-455b-9bae-aeec97057251';
  for (const [resume, expected] of [
    // The forked run names the session it resumed, not its own new id.
    [{ resumeId: earlier, continued: false, fork: true }, { sessionId: earlier }],
    // --continue --fork-session names none: the directory's latest session, the new one left out.
    [
      { continued: true, fork: true },
      { latestIn: '/w', except: fork },
    ],
  ] as const) {
    const asked: unknown[] = [];
    const reader = new StreamSessionReader({
      startTime: 0,
      resume,
      carriedTotals: (resumed, version) => {
        asked.push(resumed, version);
        return { costUsd: 0.000765, durationApiMs: 60, costByModel: { 'claude-opus-5-5': 0.000765 } };
      },
    });
    const init = { type: 'system', subtype: 'init', session_id: fork, model: 'claude-opus-5-5', cwd: '/w', claude_code_version: '2.1.337', tools: [] };
    const result = {
      type: 'result',
      subtype: 'success',
      is_error: false,
      result: 'two',
      session_id: fork,
      duration_ms: 287,
      duration_api_ms: 101,
      num_turns: 1,
      total_cost_usd: 0.00153,
      usage: { input_tokens: 120, output_tokens: 12 },
      modelUsage: { 'claude-opus-5-5': { inputTokens: 240, outputTokens: 24, cacheReadInputTokens: 0, cacheCreationInputTokens: 0, costUSD: 0.00153 } },
      permission_denials: [],
    };
    const events: SessionEvent[] = [];
    for (const line of [init, result]) {
      const parsed = parseStreamLine(JSON.stringify(line));
      assert.ok(parsed);
      events.push(...reader.push(parsed, 1));
    }
    events.push(...reader.finish({ time: 2, exitCode: 0, interrupted: false }));
    assert.deepEqual(asked, [expected, '2.1.337']);
    const [end] = of(events, 'session_end');
    assert.ok(Math.abs((end?.result?.costUsd ?? 0) - 0.000765) < 1e-9);
    assert.ok(Math.abs((end?.result?.costByModel['claude-opus-5-5'] ?? 0) - 0.000765) < 1e-9);
    assert.equal(end?.result?.durationApiMs, 41);
  }
});

test('a message that finds claude idle is a turn of its own; the ones sent meanwhile are the next turn, together', () => {
  const reader = new StreamSessionReader({ startTime: 0, mode: 'sdk' });
  reader.caller.userMessage('one', 5);
  reader.caller.userMessage('two', 6);
  reader.caller.userMessage('three', 7);
  const stdout = fixture('sdk-2.1.332-stdout.jsonl');
  const init = parseStreamLine(stdout.find((l) => l.includes('"subtype":"init"')) ?? '');
  const assistant = parseStreamLine(stdout.find((l) => l.includes('"second answer"')) ?? '');
  const result = parseStreamLine(stdout.find((l) => l.includes('"type":"result"')) ?? '');
  assert.ok(init && assistant && result);
  const events = [
    ...reader.push(init, 10),
    ...reader.push(assistant, 20),
    ...reader.push(result, 30),
    ...reader.push(assistant, 40),
    ...reader.push(result, 50),
  ];
  const prompts = of(events, 'prompt_start');
  assert.deepEqual(
    prompts.map((p) => [p.text, p.time]),
    [
      ['one', 5],
      // Claude started on them when the first turn's result was out.
      ['two\nthree', 30],
    ],
  );
});

test('after a turn with nothing waiting, the next message is a turn of its own again', () => {
  const caller = new CallerInput();
  caller.userMessage('one', 1);
  assert.deepEqual(caller.nextPrompt(), { text: 'one', time: 1 });
  caller.turnEnded(2);
  caller.userMessage('two', 3);
  caller.userMessage('three', 4);
  assert.deepEqual(caller.nextPrompt(), { text: 'two', time: 3 });
  assert.equal(caller.nextPrompt(), undefined);
  caller.turnEnded(5);
  assert.deepEqual(caller.nextPrompt(), { text: 'three', time: 5 });
  caller.turnEnded(6);
  assert.equal(caller.nextPrompt(), undefined);
});

test('stdin: prompts, permission answers, and nothing else', () => {
  assert.deepEqual(
    parseSdkInputLine(
      '{"type":"user","message":{"role":"user","content":[{"type":"text","text":"a"},{"type":"image","source":{}},{"type":"text","text":"b"}]},"parent_tool_use_id":null}',
    ),
    { type: 'user', text: 'a\nb' },
  );
  assert.deepEqual(parseSdkInputLine('{"type":"user","message":{"role":"user","content":"x"},"parent_tool_use_id":"toolu_9"}'), { type: 'other' });
  assert.deepEqual(parseSdkInputLine('{"type":"control_response","response":{"subtype":"error","request_id":"r1","error":"boom"}}'), {
    type: 'permission_answer',
    requestId: 'r1',
    denied: true,
  });
  assert.deepEqual(parseSdkInputLine('{"type":"control_request","request_id":"i","request":{"subtype":"interrupt"}}'), { type: 'other' });
  assert.deepEqual(parseSdkInputLine('{"type":"user","message":'), { type: 'other' });
  assert.deepEqual(parseSdkInputLine('not json'), { type: 'other' });
  assert.deepEqual(parseSdkInputLine('[1,2]'), { type: 'other' });
});

test('stdin is read whatever its chunks, a message split anywhere', () => {
  const seen: string[] = [];
  const input = new SdkInputReader((message) => {
    if (message.type === 'user') seen.push(message.text);
  });
  const bytes = Buffer.from(
    '{"type":"user","message":{"role":"user","content":"h\u00e9llo"},"parent_tool_use_id":null}\n{"type":"user","message":{"role":"user","content":"last"}}',
  );
  for (let i = 0; i < bytes.length; i += 7) input.push(bytes.subarray(i, i + 7));
  input.end();
  assert.deepEqual(seen, ['h\u00e9llo', 'last']);
});
