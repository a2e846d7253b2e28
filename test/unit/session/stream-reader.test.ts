import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseStreamLine } from '../../../src/sources/stream-json/messages.ts';
import { StreamSessionReader } from '../../../src/session/from-stream.ts';
import type { SessionEvent } from '../../../src/session/events.ts';

// The stream reader over real recordings of the CLI, and over what a broken claude could print.

function readEvents(text: string, exitCode = 0): SessionEvent[] {
  const reader = new StreamSessionReader({ startTime: 1000, promptText: 'do it' });
  const events: SessionEvent[] = [];
  let t = 1000;
  for (const line of text.split('\n')) {
    const message = parseStreamLine(line);
    if (message) events.push(...reader.push(message, (t += 10)));
  }
  events.push(...reader.finish({ time: (t += 10), exitCode, interrupted: false }));
  return events;
}

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/streams/${name}`, import.meta.url), 'utf8');
const of = <K extends SessionEvent['kind']>(events: SessionEvent[], kind: K) => events.filter((e): e is Extract<SessionEvent, { kind: K }> => e.kind === kind);

test('three tools: one session, one prompt, a chat per API call, a tool start and end per tool', () => {
  const events = readEvents(fixture('three-tools.jsonl'));
  assert.equal(of(events, 'session_start').length, 1);
  assert.equal(of(events, 'session_start')[0]?.neverStarted, undefined, 'started by its init line');
  assert.equal(of(events, 'prompt_start').length, 1);
  assert.equal(of(events, 'prompt_end').length, 1);
  assert.equal(of(events, 'session_end').length, 1);
  assert.deepEqual(
    of(events, 'tool_start').map((e) => e.name),
    ['Bash', 'Write', 'Read'],
  );
  assert.equal(of(events, 'tool_end').length, 3);
  const chats = of(events, 'chat');
  assert.equal(chats.length, 3);
  // Exact per-call output from message_delta, never the first chunk's 1; they add up to the result's total.
  assert.deepEqual(
    chats.map((c) => c.usage.output),
    [40, 30, 12],
  );
  const result = JSON.parse(fixture('three-tools.jsonl').trim().split('\n').at(-1) ?? '{}') as { usage: { output_tokens: number } };
  assert.equal(
    chats.reduce((sum, c) => sum + c.usage.output, 0),
    result.usage.output_tokens,
  );
  assert.equal(chats[0]?.usage.input, 120);
  assert.equal(chats[0]?.usage.cacheRead, 50);
  assert.ok(chats.every((c) => c.ttftMs !== undefined && c.start <= c.end));
});

test('bash exit 7: exit code and error', () => {
  const end = of(readEvents(fixture('bash-exit7.jsonl')), 'tool_end')[0];
  assert.equal(end?.outcome.exitCode, 7);
  assert.equal(end?.outcome.isError, true);
});

test('seq 1 200000: full stdout size and truncation', () => {
  const end = of(readEvents(fixture('bash-large-output.jsonl')), 'tool_end')[0];
  assert.equal(end?.outcome.stdoutBytes, 1288895);
  assert.equal(end?.outcome.outputTruncated, true);
});

test('subagent: its calls and tools belong to the Agent tool call', () => {
  const events = readEvents(fixture('subagent.jsonl'));
  const start = of(events, 'subagent_start')[0];
  assert.equal(start?.agentType, 'general-purpose');
  const agentTool = of(events, 'tool_start').find((e) => e.name === 'Agent');
  assert.ok(agentTool);
  assert.equal(start?.toolUseId, agentTool.toolUseId);
  const subTools = of(events, 'tool_start').filter((e) => e.agent === agentTool.toolUseId);
  assert.deepEqual(
    subTools.map((e) => e.name),
    ['Bash'],
  );
  // Two subagent calls: the Bash one from its lines, the final answer from the Agent result's usage.
  const subChats = of(events, 'chat').filter((c) => c.agent === agentTool.toolUseId);
  assert.equal(subChats.length, 2);
  assert.equal(subChats[1]?.usage.output, 12);
  assert.equal(subChats[1]?.text, 'sub done');
  const end = of(events, 'subagent_end')[0];
  assert.equal(end?.totalTokens, 189);
  assert.equal(end?.toolUses, 1);
});

test("a subagent's calls and tools start no earlier than the subagent, though its prompt's own timestamp is earlier", () => {
  // The lines arrive as claude writes them, the subagent's prompt stamped 40 ms before its task_started arrived.
  const reader = new StreamSessionReader({ startTime: Date.parse('2026-11-21T09:31:26.700Z'), promptText: 'do it' });
  const events: SessionEvent[] = [];
  let t = Date.parse('2026-11-21T09:31:26.800Z');
  for (const line of fixture('subagent.jsonl').split('\n')) {
    const message = parseStreamLine(line);
    if (message) events.push(...reader.push(message, (t += 1)));
  }
  events.push(...reader.finish({ time: (t += 1), exitCode: 0, interrupted: false }));
  const [agent] = of(events, 'subagent_start');
  assert.ok(agent);
  const chats = of(events, 'chat').filter((c) => c.agent === agent.toolUseId);
  assert.equal(chats.length, 2);
  for (const chat of chats) assert.ok(chat.start >= agent.time && chat.end >= chat.start, `call ${chat.start}-${chat.end}, agent from ${agent.time}`);
  for (const tool of of(events, 'tool_start').filter((e) => e.agent === agent.toolUseId)) assert.ok(tool.time >= agent.time);
  // The main agent's calls start within the prompt.
  const [prompt] = of(events, 'prompt_start');
  for (const chat of of(events, 'chat').filter((c) => c.agent === null)) assert.ok(chat.start >= (prompt?.time ?? Infinity));
});

test('permission denied and API errors', () => {
  const denied = of(readEvents(fixture('webfetch-denied.jsonl')), 'tool_end')[0];
  assert.equal(denied?.outcome.permissionDenied, true);
  const apiError = readEvents(fixture('api-error-400.jsonl'), 1);
  const errors = of(apiError, 'api_error');
  assert.equal(errors.length, 1);
  assert.equal(errors[0]?.status, 400);
  assert.equal(errors[0]?.final, true);
  assert.equal(of(apiError, 'session_end')[0]?.result?.isError, true);
  const retried = of(readEvents(fixture('api-retry-529.jsonl')), 'api_error');
  assert.equal(retried[0]?.final, false);
  assert.equal(retried[0]?.status, 529);
});

test("claude's own placeholder message (model <synthetic>) is no model call; its error text stays on the prompt", () => {
  for (const name of ['api-error-400.jsonl', 'api-retry-529-exhausted.jsonl']) {
    const events = readEvents(fixture(name), 1);
    assert.deepEqual(of(events, 'chat'), [], name);
    const [end] = of(events, 'prompt_end');
    assert.match(end?.responseText ?? '', /^API Error: /, name);
    assert.equal(of(events, 'api_error').at(-1)?.final, true, name);
  }
  // Before a real call's answer too: only the real call is one.
  const real = fixture('three-tools.jsonl').trim().split('\n');
  const synthetic =
    '{"type":"assistant","message":{"id":"x","model":"<synthetic>","role":"assistant","content":[{"type":"text","text":"No response requested."}],"usage":{"input_tokens":0,"output_tokens":0}},"parent_tool_use_id":null}';
  const chats = of(readEvents([synthetic, ...real].join('\n')), 'chat');
  assert.ok(chats.length > 0);
  assert.ok(chats.every((c) => c.model !== '<synthetic>'));
});

test('junk, partial and unknown lines are skipped; the valid part is still read', () => {
  const good = fixture('bash-exit7.jsonl').trim().split('\n');
  const mixed = [
    'garbage before',
    good[0],
    '{"type":"assistant","message":',
    '{"type":"brand_new_kind","x":1}',
    '[1,2,3]',
    '{"type":"assistant","message":{"id":5}}',
    ...good.slice(1),
    '{"unterminated": "',
  ].join('\n');
  const events = readEvents(mixed);
  assert.equal(of(events, 'tool_end')[0]?.outcome.exitCode, 7);
  assert.equal(of(events, 'session_end').length, 1);
});

test('a claude that printed nothing still gives one closed session', () => {
  const events = readEvents('', 127);
  assert.deepEqual(
    events.map((e) => e.kind),
    ['session_start', 'prompt_start', 'prompt_end', 'session_end'],
  );
  assert.equal(of(events, 'session_start')[0]?.neverStarted, true, 'claude never started it');
});

test('a claude cut off mid-tool ends the open tool as interrupted', () => {
  const lines = fixture('three-tools.jsonl').trim().split('\n');
  const upToFirstTool = lines.slice(0, lines.findIndex((l) => l.includes('"tool_use"') && l.startsWith('{"type":"assistant"')) + 1).join('\n');
  const events = readEvents(upToFirstTool, 130);
  const end = of(events, 'tool_end')[0];
  assert.equal(end?.outcome.interrupted, true);
  assert.equal(of(events, 'session_end')[0]?.exitCode, 130);
});

test('a turn on a background agent’s notification, whose result claude writes after its own (2.1.337): each turn ends with its own result, in order', () => {
  const events = readEvents(fixture('background-agent-late-result-2.1.337.jsonl'));
  const prompts: { text: string | undefined; mainCalls: string[] }[] = [];
  let open: { mainCalls: string[] } | undefined;
  let firstEnd = 0;
  let secondStart = 0;
  for (const event of events) {
    if (event.kind === 'prompt_start') {
      assert.equal(open, undefined, 'a turn starts after the one before has ended');
      open = { mainCalls: [] };
      if (prompts.length === 1) secondStart = event.time;
    } else if (event.kind === 'chat' && event.agent === null) {
      assert.ok(open, 'every call of the main agent is in a turn');
      open.mainCalls.push(event.text);
    } else if (event.kind === 'prompt_end') {
      assert.ok(open);
      prompts.push({ text: event.result?.text, mainCalls: open.mainCalls });
      if (prompts.length === 1) firstEnd = event.time;
      open = undefined;
    }
  }
  assert.deepEqual(prompts, [
    { text: 'All done.', mainCalls: ['', 'All done.'] },
    { text: 'The agent finished.', mainCalls: ['The agent finished.'] },
  ]);
  // The first turn ends where the main agent stopped, before the agent's notification started the next.
  assert.ok(firstEnd < secondStart, `${firstEnd} < ${secondStart}`);
  assert.equal(of(events, 'subagent_end').length, 1);
});
