import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpanStatusCode } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { SessionEvent, SessionResult } from '../../../src/session/events.ts';
import {
  MODEL,
  SESSION_ID,
  captureSession,
  only,
  parentOf,
  num,
  close,
  points,
  sumWhere,
  okOutcome,
  sessionResult,
} from '../../support/session-telemetry-capture.ts';
import {
  ATTR_CLAUDE_API_ERROR_MAX_RETRIES,
  ATTR_CLAUDE_COST_CACHE_READ_USD,
  ATTR_CLAUDE_COST_CACHE_WRITE_USD,
  ATTR_CLAUDE_COST_COMPONENT,
  ATTR_CLAUDE_COST_INPUT_USD,
  ATTR_CLAUDE_COST_OUTPUT_USD,
  ATTR_CLAUDE_COST_USD,
  ATTR_CLAUDE_MODE,
  ATTR_CLAUDE_SOURCE,
  ATTR_CLAUDE_VERSION,
  ATTR_CLAUDE_PROMPT_COUNT,
  ATTR_CLAUDE_PROMPT_INDEX,
  ATTR_CLAUDE_PROMPT_PREVIEW,
  ATTR_CLAUDE_SESSION_ERROR,
  ATTR_CLAUDE_TOOL_COUNT,
  ATTR_CLAUDE_TOOL_DURATION_MS,
  ATTR_CLAUDE_TOOL_ERROR,
  ATTR_CLAUDE_TOOL_ERROR_COUNT,
  ATTR_ERROR_TYPE,
  ATTR_EVENT_NAME,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_TOOL_CALL_ID,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_PROCESS_EXIT_CODE,
  ATTR_SESSION_ID,
  ATTR_TOKEN_TYPE,
  EVENT_API_ERROR,
  EVENT_ASSISTANT_RESPONSE,
  EVENT_SESSION_END,
  EVENT_SESSION_START,
  EVENT_TOOL_END,
  EVENT_TOOL_ERROR,
  EVENT_TOOL_START,
  EVENT_USER_PROMPT,
  MAIN_AGENT_NAME,
  METRIC_CLAUDE_COST_USAGE,
  METRIC_CLAUDE_SESSION_COUNT,
  METRIC_CLAUDE_TOKEN_USAGE,
  METRIC_CLAUDE_TOOL_CALLS,
  OPERATION_CHAT,
  OPERATION_EXECUTE_TOOL,
  OPERATION_INVOKE_AGENT,
  SPAN_PROMPT,
  SPAN_SESSION,
  operationSpanName,
  ATTR_CLAUDE_TURN_USER_WAIT_MS,
  METRIC_CLAUDE_USER_WAIT,
  METRIC_GEN_AI_EXECUTE_TOOL_DURATION,
  METRIC_GEN_AI_INVOKE_AGENT_DURATION,
} from '../../../src/telemetry/names.ts';

// A print session's events through the real mapper: the trace tree, statuses, logs, metrics and
// money as a collector would receive them.

/** One prompt: a Bash call, a Task whose Explore subagent makes a call and fails a Read, a retried API error. */
function printSession(end: { result: SessionResult; exitCode: number; interrupted?: boolean; signal?: string }): SessionEvent[] {
  return [
    { kind: 'session_start', time: 1000, sessionId: SESSION_ID, model: MODEL, version: '2.1.332', cwd: '/repo', mode: 'print' },
    { kind: 'prompt_start', time: 1010, text: 'fix the bug, the key is sk-ant-secret', promptLength: 37 },
    {
      kind: 'chat',
      start: 1020,
      end: 1500,
      messageId: 'msg_1',
      model: MODEL,
      usage: { input: 100, output: 50, cacheRead: 0, cacheCreation: 2000 },
      finishReason: 'tool_use',
      agent: null,
      text: '',
    },
    { kind: 'tool_start', time: 1510, toolUseId: 'toolu_bash', name: 'Bash', input: { command: 'ls' }, agent: null },
    { kind: 'tool_end', time: 1600, toolUseId: 'toolu_bash', outcome: { ...okOutcome(12), exitCode: 0 } },
    { kind: 'tool_start', time: 1610, toolUseId: 'toolu_task', name: 'Task', input: { description: 'look around', prompt: 'find it' }, agent: null },
    { kind: 'subagent_start', time: 1611, toolUseId: 'toolu_task', agentType: 'Explore', description: 'look around' },
    {
      kind: 'chat',
      start: 1620,
      end: 1800,
      messageId: 'msg_2',
      model: MODEL,
      usage: { input: 300, output: 80, cacheRead: 1000, cacheCreation: 0 },
      agent: 'toolu_task',
      text: '',
    },
    { kind: 'tool_start', time: 1810, toolUseId: 'toolu_read', name: 'Read', input: { file_path: '/repo/missing.ts' }, agent: 'toolu_task' },
    {
      kind: 'tool_end',
      time: 1820,
      toolUseId: 'toolu_read',
      outcome: { ...okOutcome(0), isError: true, errorMessage: 'File does not exist.' },
    },
    { kind: 'subagent_end', time: 1900, toolUseId: 'toolu_task', totalTokens: 1380, toolUses: 1, status: 'completed' },
    { kind: 'tool_end', time: 1910, toolUseId: 'toolu_task', outcome: okOutcome(40) },
    { kind: 'api_error', time: 1915, status: 529, message: 'Overloaded', attempt: 1, maxRetries: 10, final: false },
    {
      kind: 'chat',
      start: 1920,
      end: 2100,
      messageId: 'msg_3',
      model: MODEL,
      usage: { input: 20, output: 200, cacheRead: 2100, cacheCreation: 0 },
      finishReason: 'end_turn',
      agent: null,
      text: 'done',
    },
    { kind: 'prompt_end', time: 2200, result: end.result, responseText: 'done' },
    {
      kind: 'session_end',
      time: 2300,
      result: end.result,
      exitCode: end.exitCode,
      interrupted: end.interrupted ?? false,
      ...(end.signal ? { signal: end.signal } : {}),
    },
  ];
}

test('a print session becomes one trace: session → prompt → chats and tools → subagent → its calls', async () => {
  const captured = await captureSession(printSession({ result: sessionResult(), exitCode: 0 }));
  assert.deepEqual(captured.errors, []);
  const { spans } = captured;
  assert.equal(spans.length, 9);
  assert.equal(new Set(spans.map((s) => s.spanContext().traceId)).size, 1);

  const session = only(spans, SPAN_SESSION);
  const prompt = only(spans, SPAN_PROMPT);
  const bash = only(spans, operationSpanName(OPERATION_EXECUTE_TOOL, 'Bash'));
  const task = only(spans, operationSpanName(OPERATION_EXECUTE_TOOL, 'Task'));
  const explore = only(spans, operationSpanName(OPERATION_INVOKE_AGENT, 'Explore'));
  const read = only(spans, operationSpanName(OPERATION_EXECUTE_TOOL, 'Read'));
  const chats = spans.filter((s) => s.name === operationSpanName(OPERATION_CHAT, MODEL));
  assert.equal(chats.length, 3);
  const chatById = (id: string) => chats.find((c) => c.attributes['gen_ai.response.id'] === id) as ReadableSpan;

  assert.equal(parentOf(session), undefined);
  assert.equal(parentOf(prompt), session.spanContext().spanId);
  for (const child of [bash, task, chatById('msg_1'), chatById('msg_3')]) assert.equal(parentOf(child), prompt.spanContext().spanId, child.name);
  assert.equal(parentOf(explore), task.spanContext().spanId);
  assert.equal(parentOf(chatById('msg_2')), explore.spanContext().spanId);
  assert.equal(parentOf(read), explore.spanContext().spanId);

  assert.equal(prompt.attributes[ATTR_GEN_AI_OPERATION_NAME], OPERATION_INVOKE_AGENT);
  assert.equal(prompt.attributes[ATTR_GEN_AI_AGENT_NAME], MAIN_AGENT_NAME);
  assert.equal(prompt.attributes[ATTR_CLAUDE_PROMPT_INDEX], 1);
  // The preview passes through redaction before it becomes an attribute.
  assert.equal(prompt.attributes[ATTR_CLAUDE_PROMPT_PREVIEW], 'fix the bug, the key is [REDACTED]');
  assert.equal(session.attributes[ATTR_CLAUDE_PROMPT_PREVIEW], 'fix the bug, the key is [REDACTED]');
  assert.equal(bash.attributes[ATTR_GEN_AI_TOOL_CALL_ID], 'toolu_bash');

  assert.equal(read.status.code, SpanStatusCode.ERROR);
  assert.match(read.status.message ?? '', /File does not exist/);
  for (const span of [session, prompt, bash, task, explore, ...chats]) assert.notEqual(span.status.code, SpanStatusCode.ERROR, span.name);

  assert.equal(session.attributes[ATTR_SESSION_ID], SESSION_ID);
  assert.equal(session.attributes[ATTR_CLAUDE_TOOL_COUNT], 3);
  assert.equal(session.attributes[ATTR_CLAUDE_TOOL_ERROR_COUNT], 1);
  assert.equal(session.attributes[ATTR_CLAUDE_PROMPT_COUNT], 1);
  assert.equal(session.attributes[ATTR_PROCESS_EXIT_CODE], 0);
  assert.equal(session.attributes[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS], 50 + 80 + 200);
  assert.equal(session.attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS], 2100 + 1300 + 2120);

  const apiError = prompt.events.find((e) => e.name === EVENT_API_ERROR);
  assert.ok(apiError, 'the API error is an event on the prompt span');
  assert.equal(apiError.attributes?.[ATTR_HTTP_RESPONSE_STATUS_CODE], 529);
  assert.equal(captured.telemetry.sessionFailed, true, 'a failed tool call marks the session failed, so errors keep it');
  assert.equal(captured.telemetry.sessionEnded, true);
});

test("the calls' costs add up to claude's total on the prompt, the subagent and the session, part by part", async () => {
  const { spans } = await captureSession(printSession({ result: sessionResult(), exitCode: 0 }));
  const chats = spans.filter((s) => s.name === operationSpanName(OPERATION_CHAT, MODEL));
  const costs = chats.map((c) => num(c.attributes, ATTR_CLAUDE_COST_USD));
  assert.ok(costs.every((c) => c > 0));
  assert.ok(
    close(
      costs.reduce((a, b) => a + b, 0),
      0.05,
    ),
    `chat costs ${costs} add up to 0.05`,
  );
  const parts = [ATTR_CLAUDE_COST_INPUT_USD, ATTR_CLAUDE_COST_OUTPUT_USD, ATTR_CLAUDE_COST_CACHE_READ_USD, ATTR_CLAUDE_COST_CACHE_WRITE_USD];
  for (const chat of chats) {
    const sum = parts.reduce((total, key) => total + num(chat.attributes, key), 0);
    assert.ok(close(sum, num(chat.attributes, ATTR_CLAUDE_COST_USD)), `${chat.attributes['gen_ai.response.id']} parts add up`);
  }
  const prompt = only(spans, SPAN_PROMPT);
  const session = only(spans, SPAN_SESSION);
  assert.ok(close(num(prompt.attributes, ATTR_CLAUDE_COST_USD), 0.05));
  assert.equal(session.attributes[ATTR_CLAUDE_COST_USD], 0.05);
  assert.ok(
    close(
      parts.reduce((total, key) => total + num(session.attributes, key), 0),
      0.05,
    ),
  );
  const explore = only(spans, operationSpanName(OPERATION_INVOKE_AGENT, 'Explore'));
  const subagentChat = chats.find((c) => c.attributes['gen_ai.response.id'] === 'msg_2') as ReadableSpan;
  assert.ok(close(num(explore.attributes, ATTR_CLAUDE_COST_USD), num(subagentChat.attributes, ATTR_CLAUDE_COST_USD)));
});

test('the prompt span carries the thinking tokens of its result; a subagent span names its provider', async () => {
  const { spans } = await captureSession(printSession({ result: sessionResult({ thinkingTokens: 77 }), exitCode: 0 }));
  assert.equal(only(spans, SPAN_PROMPT).attributes[ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS], 77);
  assert.equal(only(spans, operationSpanName(OPERATION_INVOKE_AGENT, 'Explore')).attributes[ATTR_GEN_AI_PROVIDER_NAME], 'anthropic');
});

test('log records follow the session in order, each tied to its span, errors at ERROR severity', async () => {
  const { logs, spans } = await captureSession(printSession({ result: sessionResult(), exitCode: 0 }));
  const names = logs.map((l) => l.attributes[ATTR_EVENT_NAME]);
  assert.deepEqual(names, [
    EVENT_SESSION_START,
    EVENT_USER_PROMPT,
    EVENT_TOOL_START,
    EVENT_TOOL_END,
    EVENT_TOOL_START,
    EVENT_TOOL_START,
    EVENT_TOOL_ERROR,
    EVENT_TOOL_END,
    EVENT_API_ERROR,
    EVENT_ASSISTANT_RESPONSE,
    EVENT_SESSION_END,
  ]);
  for (const log of logs) assert.equal(log.attributes[ATTR_SESSION_ID], SESSION_ID);
  const spanId = (name: string) => only(spans, name).spanContext().spanId;
  const byName = (name: string) => logs.filter((l) => l.attributes[ATTR_EVENT_NAME] === name);
  assert.equal(byName(EVENT_SESSION_START)[0]?.spanContext?.spanId, spanId(SPAN_SESSION));
  assert.equal(byName(EVENT_USER_PROMPT)[0]?.spanContext?.spanId, spanId(SPAN_PROMPT));
  const toolError = byName(EVENT_TOOL_ERROR)[0];
  assert.equal(toolError?.spanContext?.spanId, spanId(operationSpanName(OPERATION_EXECUTE_TOOL, 'Read')));
  assert.equal(toolError?.attributes[ATTR_GEN_AI_TOOL_NAME], 'Read');
  assert.equal(toolError?.severityNumber, SeverityNumber.ERROR);
  assert.equal(byName(EVENT_TOOL_END)[0]?.spanContext?.spanId, spanId(operationSpanName(OPERATION_EXECUTE_TOOL, 'Bash')));
  assert.equal(byName(EVENT_TOOL_END)[0]?.severityNumber, SeverityNumber.INFO);
  assert.equal(byName(EVENT_API_ERROR)[0]?.severityNumber, SeverityNumber.ERROR);
  // The span event of the same name has the same attributes as the record.
  const apiErrorEvent = only(spans, SPAN_PROMPT).events.find((e) => e.name === EVENT_API_ERROR);
  const { [ATTR_EVENT_NAME]: _name, [ATTR_SESSION_ID]: _id, ...recordAttributes } = byName(EVENT_API_ERROR)[0]?.attributes ?? {};
  assert.deepEqual(apiErrorEvent?.attributes, recordAttributes);
  assert.equal(apiErrorEvent?.attributes?.[ATTR_CLAUDE_API_ERROR_MAX_RETRIES], 10);
  // The prompt text is not in the record at the preview level (it lives on the span).
  assert.equal(byName(EVENT_USER_PROMPT)[0]?.body, undefined);
});

test('the session start record says what the session span says: mode, version, model and source', async () => {
  const wrapped = await captureSession(printSession({ result: sessionResult(), exitCode: 0 }));
  const [start] = wrapped.logs.filter((l) => l.attributes[ATTR_EVENT_NAME] === EVENT_SESSION_START);
  const session = only(wrapped.spans, SPAN_SESSION);
  for (const key of [ATTR_CLAUDE_MODE, ATTR_CLAUDE_VERSION, ATTR_GEN_AI_REQUEST_MODEL, ATTR_CLAUDE_SOURCE])
    assert.equal(start?.attributes[key], session.attributes[key], key);
  assert.equal(start?.attributes[ATTR_CLAUDE_SOURCE], 'wrapper');

  const imported = await captureSession([
    { kind: 'session_start', time: 0, sessionId: SESSION_ID, model: MODEL, version: '2.1.337', cwd: '/repo', mode: 'print', source: 'transcript' },
    { kind: 'session_end', time: 1, interrupted: false },
  ]);
  const importedStart = imported.logs.find((l) => l.attributes[ATTR_EVENT_NAME] === EVENT_SESSION_START);
  assert.equal(importedStart?.attributes[ATTR_CLAUDE_SOURCE], 'transcript');
  assert.equal(only(imported.spans, SPAN_SESSION).attributes[ATTR_CLAUDE_SOURCE], 'transcript');
});

test("tool records carry their span's duration: claude's own figure when it gives one, else the span's length", async () => {
  const { logs, spans } = await captureSession(printSession({ result: sessionResult(), exitCode: 0 }));
  const record = (id: string) => logs.find((l) => l.attributes[ATTR_GEN_AI_TOOL_CALL_ID] === id && l.attributes[ATTR_EVENT_NAME] !== EVENT_TOOL_START);
  const span = (id: string) => spans.find((x) => x.attributes[ATTR_GEN_AI_TOOL_CALL_ID] === id);
  for (const [id, ms] of [
    ['toolu_bash', 90],
    ['toolu_read', 10],
  ] as const) {
    assert.equal(record(id)?.attributes[ATTR_CLAUDE_TOOL_DURATION_MS], ms, id);
    assert.equal(span(id)?.attributes[ATTR_CLAUDE_TOOL_DURATION_MS], ms, id);
  }

  const hooked = await captureSession([
    { kind: 'session_start', time: 0, sessionId: SESSION_ID, model: MODEL, version: '2.1.337', cwd: '/repo', mode: 'interactive' },
    { kind: 'prompt_start', time: 1 },
    { kind: 'tool_start', time: 10, toolUseId: 'toolu_1', name: 'Bash', input: { command: 'ls' }, agent: null },
    { kind: 'tool_end', time: 100, toolUseId: 'toolu_1', outcome: { ...okOutcome(1), durationMs: 42 } },
    { kind: 'tool_end', time: 110, toolUseId: 'toolu_unseen', outcome: okOutcome(1) },
  ]);
  const ends = hooked.logs.filter((l) => l.attributes[ATTR_EVENT_NAME] === EVENT_TOOL_END);
  assert.equal(ends[0]?.attributes[ATTR_CLAUDE_TOOL_DURATION_MS], 42);
  assert.equal(only(hooked.spans, operationSpanName(OPERATION_EXECUTE_TOOL, 'Bash')).attributes[ATTR_CLAUDE_TOOL_DURATION_MS], 42);
  // A result whose call was never seen has no span and no length to fall back on.
  assert.equal(ends[1]?.attributes[ATTR_CLAUDE_TOOL_DURATION_MS], undefined);
});

test('metrics: one session, tool calls by tool and outcome, tokens by type and cost by component', async () => {
  const captured = await captureSession(printSession({ result: sessionResult(), exitCode: 0 }));
  assert.equal(sumWhere(captured, METRIC_CLAUDE_SESSION_COUNT, { [ATTR_CLAUDE_MODE]: 'print', [ATTR_CLAUDE_SESSION_ERROR]: false }), 1);
  assert.equal(sumWhere(captured, METRIC_CLAUDE_TOOL_CALLS), 3);
  assert.equal(sumWhere(captured, METRIC_CLAUDE_TOOL_CALLS, { [ATTR_GEN_AI_TOOL_NAME]: 'Read', [ATTR_CLAUDE_TOOL_ERROR]: true }), 1);
  assert.equal(sumWhere(captured, METRIC_CLAUDE_TOOL_CALLS, { [ATTR_GEN_AI_TOOL_NAME]: 'Bash', [ATTR_CLAUDE_TOOL_ERROR]: false }), 1);
  assert.equal(sumWhere(captured, METRIC_CLAUDE_TOKEN_USAGE, { [ATTR_TOKEN_TYPE]: 'output', [ATTR_GEN_AI_REQUEST_MODEL]: MODEL }), 330);
  assert.equal(sumWhere(captured, METRIC_CLAUDE_TOKEN_USAGE, { [ATTR_TOKEN_TYPE]: 'cache_read' }), 3100);
  assert.equal(sumWhere(captured, METRIC_CLAUDE_TOKEN_USAGE, { [ATTR_TOKEN_TYPE]: 'cache_creation' }), 2000);
  assert.ok(close(sumWhere(captured, METRIC_CLAUDE_COST_USAGE), 0.05));
  const components = new Set(points(captured, METRIC_CLAUDE_COST_USAGE).map((p) => p.attributes[ATTR_CLAUDE_COST_COMPONENT]));
  assert.deepEqual([...components].sort(), ['cache_read', 'cache_write', 'input', 'output']);
  // No session ids on metrics: they stay low-cardinality.
  for (const [, dataPoints] of captured.metrics) for (const p of dataPoints) assert.equal(p.attributes[ATTR_SESSION_ID], undefined);
});

test('an error result fails the prompt and the session span, with its type and text', async () => {
  const failed = sessionResult({ subtype: 'error_max_turns', isError: true, text: 'Reached maximum number of turns (3)' });
  const captured = await captureSession(printSession({ result: failed, exitCode: 1 }));
  const prompt = only(captured.spans, SPAN_PROMPT);
  const session = only(captured.spans, SPAN_SESSION);
  for (const span of [prompt, session]) {
    assert.equal(span.status.code, SpanStatusCode.ERROR, span.name);
    assert.equal(span.status.message, 'Reached maximum number of turns (3)');
    assert.equal(span.attributes[ATTR_ERROR_TYPE], 'error_max_turns');
  }
  assert.equal(session.attributes[ATTR_PROCESS_EXIT_CODE], 1);
  assert.equal(sumWhere(captured, METRIC_CLAUDE_SESSION_COUNT, { [ATTR_CLAUDE_SESSION_ERROR]: true }), 1);
  const end = captured.logs.find((l) => l.attributes[ATTR_EVENT_NAME] === EVENT_SESSION_END);
  assert.equal(end?.severityNumber, SeverityNumber.ERROR);
  const response = captured.logs.find((l) => l.attributes[ATTR_EVENT_NAME] === EVENT_ASSISTANT_RESPONSE);
  assert.equal(response?.severityNumber, SeverityNumber.ERROR);
});

test("the GenAI duration metrics carry their span's error.type; a result subtype claude adds later is _OTHER there", async () => {
  const latest = { latestSemconv: true, logContent: false };
  const failed = sessionResult({ subtype: 'error_max_turns', isError: true });
  const captured = await captureSession(printSession({ result: failed, exitCode: 1 }), latest);
  const errorTypes = (metric: string) => points(captured, metric).map((p) => p.attributes[ATTR_ERROR_TYPE]);
  assert.equal(only(captured.spans, SPAN_PROMPT).attributes[ATTR_ERROR_TYPE], 'error_max_turns');
  assert.deepEqual(errorTypes(METRIC_GEN_AI_INVOKE_AGENT_DURATION), ['error_max_turns']);
  const read = only(captured.spans, operationSpanName(OPERATION_EXECUTE_TOOL, 'Read'));
  assert.equal(read.attributes[ATTR_ERROR_TYPE], 'tool_error');
  assert.deepEqual(
    points(captured, METRIC_GEN_AI_EXECUTE_TOOL_DURATION)
      .filter((p) => p.attributes[ATTR_GEN_AI_TOOL_NAME] === 'Read')
      .map((p) => p.attributes[ATTR_ERROR_TYPE]),
    ['tool_error'],
  );
  assert.ok(
    points(captured, METRIC_GEN_AI_EXECUTE_TOOL_DURATION)
      .filter((p) => p.attributes[ATTR_GEN_AI_TOOL_NAME] !== 'Read')
      .every((p) => p.attributes[ATTR_ERROR_TYPE] === undefined),
    'a call that succeeded has no error.type',
  );

  const unknown = await captureSession(printSession({ result: sessionResult({ subtype: 'error_something_new', isError: true }), exitCode: 1 }), latest);
  assert.equal(only(unknown.spans, SPAN_PROMPT).attributes[ATTR_ERROR_TYPE], 'error_something_new');
  assert.deepEqual(
    points(unknown, METRIC_GEN_AI_INVOKE_AGENT_DURATION).map((p) => p.attributes[ATTR_ERROR_TYPE]),
    ['_OTHER'],
  );
});

test('an interrupted session is an error of type "interrupted" naming the signal', async () => {
  const captured = await captureSession(printSession({ result: sessionResult(), exitCode: 130, interrupted: true, signal: 'SIGINT' }));
  const session = only(captured.spans, SPAN_SESSION);
  assert.equal(session.status.code, SpanStatusCode.ERROR);
  assert.equal(session.status.message, 'interrupted by SIGINT');
  assert.equal(session.attributes[ATTR_ERROR_TYPE], 'interrupted');
});

test('a session with no tool error and exit 0 is not failed; a non-zero exit alone fails it', async () => {
  const clean: SessionEvent[] = [
    { kind: 'session_start', time: 0, sessionId: SESSION_ID, model: MODEL, version: '2.1.332', cwd: '/repo', mode: 'sdk' },
    { kind: 'prompt_start', time: 1 },
    { kind: 'chat', start: 2, end: 3, messageId: 'm', model: MODEL, usage: { input: 1, output: 1, cacheRead: 0, cacheCreation: 0 }, agent: null, text: '' },
    { kind: 'prompt_end', time: 4 },
  ];
  const ok = await captureSession([...clean, { kind: 'session_end', time: 5, exitCode: 0, interrupted: false }]);
  assert.equal(ok.telemetry.sessionFailed, false);
  assert.equal(only(ok.spans, SPAN_SESSION).status.code, SpanStatusCode.UNSET);
  // Without claude's totals the call is priced at list price, and the session's cost is that sum.
  const chat = only(ok.spans, operationSpanName(OPERATION_CHAT, MODEL));
  assert.ok(num(chat.attributes, ATTR_CLAUDE_COST_USD) > 0);
  assert.ok(close(num(only(ok.spans, SPAN_SESSION).attributes, ATTR_CLAUDE_COST_USD), num(chat.attributes, ATTR_CLAUDE_COST_USD)));

  const exit = await captureSession([...clean, { kind: 'session_end', time: 5, exitCode: 2, interrupted: false }]);
  assert.equal(exit.telemetry.sessionFailed, true);
  const session = only(exit.spans, SPAN_SESSION);
  assert.equal(session.status.code, SpanStatusCode.ERROR);
  assert.equal(session.status.message, 'claude exited with code 2');
  assert.equal(session.attributes[ATTR_ERROR_TYPE], 'exit_code');
});

test('print mode records no wait on the person', async () => {
  const captured = await captureSession(printSession({ result: sessionResult(), exitCode: 0 }));
  assert.equal(only(captured.spans, SPAN_PROMPT).attributes[ATTR_CLAUDE_TURN_USER_WAIT_MS], undefined);
  assert.equal(captured.metrics.get(METRIC_CLAUDE_USER_WAIT)?.length ?? 0, 0);
});
