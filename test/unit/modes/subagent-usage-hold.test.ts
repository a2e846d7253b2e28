import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SubagentUsageHold, withoutTranscript } from '../../../src/modes/subagent-usage-hold.ts';
import type { SessionEvent } from '../../../src/session/events.ts';
import type { SubagentCall } from '../../../src/sources/transcript/subagent-usage.ts';

// A subagent's calls take their exact usage and stop reason from a transcript claude may not have written yet.

function chat(messageId: string, agent: string | null, output: number, finishReason?: string): SessionEvent {
  const usage = { input: 1, output, cacheRead: 0, cacheCreation: 0 };
  const event: SessionEvent = { kind: 'chat', start: 0, end: 1, messageId, model: 'm', usage, agent, text: '' };
  if (finishReason !== undefined) event.finishReason = finishReason;
  return event;
}

const promptEnd: SessionEvent = { kind: 'prompt_end', time: 5 };
const sessionEnd: SessionEvent = { kind: 'session_end', time: 6, exitCode: 0, interrupted: false };

function exact(output: number, stopReason?: string): SubagentCall {
  const usage = { input: 9, output, cacheRead: 0, cacheCreation: 0 };
  return stopReason !== undefined ? { usage, stopReason } : { usage };
}

function describe(event: SessionEvent): string {
  return event.kind === 'chat' ? `chat ${event.messageId || 'final'} ${event.usage.output}` : event.kind;
}

function harness() {
  const transcript = new Map<string, SubagentCall>();
  const delivered: string[] = [];
  const events: SessionEvent[] = [];
  let clock = 0;
  const hold = new SubagentUsageHold(
    (e) => {
      events.push(e);
      delivered.push(describe(e));
    },
    () => new Map(transcript),
    () => clock,
    100,
  );
  return { transcript, delivered, events, hold, tick: (ms: number) => (clock += ms) };
}

test("the main agent's events go straight through; a subagent's calls wait for the prompt's end", () => {
  const h = harness();
  h.transcript.set('sub1', exact(30));
  h.hold.push(chat('main1', null, 5));
  h.hold.push(chat('sub1', 'toolu_1', 1));
  assert.deepEqual(h.delivered, ['chat main1 5']);
  h.hold.push(promptEnd);
  assert.deepEqual(h.delivered, ['chat main1 5', 'chat sub1 30', 'prompt_end']);
});

test("a transcript that lags behind: the prompt's end and what follows wait until it has every call", () => {
  const h = harness();
  h.hold.push(chat('sub1', 'toolu_1', 1));
  h.hold.push(chat('', 'toolu_1', 12));
  h.hold.push(promptEnd);
  h.hold.push(chat('main2', null, 4));
  assert.deepEqual(h.delivered, []);
  h.transcript.set('sub1', exact(30));
  h.tick(50);
  h.hold.push(chat('main3', null, 4));
  assert.deepEqual(h.delivered, [], 'the transcript is read again only after the re-read interval');
  h.tick(60);
  h.hold.push(chat('main4', null, 4));
  assert.deepEqual(h.delivered, ['chat sub1 30', 'chat final 12', 'prompt_end', 'chat main2 4', 'chat main3 4', 'chat main4 4']);
});

test('when claude exits, everything held goes out, with whatever usage the transcript has', () => {
  const h = harness();
  h.transcript.set('sub1', exact(30));
  h.hold.push(chat('sub1', 'toolu_1', 1));
  h.hold.push(chat('sub2', 'toolu_1', 1));
  h.hold.push(promptEnd);
  h.hold.push(sessionEnd);
  assert.deepEqual(h.delivered, []);
  h.hold.finish();
  assert.deepEqual(h.delivered, ['chat sub1 30', 'chat sub2 1', 'prompt_end', 'session_end']);
  h.hold.finish();
  assert.equal(h.delivered.length, 4, 'nothing goes out twice');
});

test("a session that ends without a prompt's end still gets its subagent calls", () => {
  const h = harness();
  h.hold.push(chat('sub1', 'toolu_1', 1));
  h.transcript.set('sub1', exact(30));
  h.hold.push(sessionEnd);
  assert.deepEqual(h.delivered, ['chat sub1 30', 'session_end']);
});

test("a subagent's call takes its stop reason from the transcript (the stream's has none); a call that has one keeps it", () => {
  const h = harness();
  h.transcript.set('sub1', exact(30, 'tool_use'));
  h.transcript.set('sub2', exact(8, 'end_turn'));
  h.transcript.set('sub3', exact(5));
  h.hold.push(chat('sub1', 'toolu_1', 1));
  h.hold.push(chat('sub2', 'toolu_1', 1, 'max_tokens'));
  h.hold.push(chat('sub3', 'toolu_1', 1));
  h.hold.push(chat('', 'toolu_1', 12, 'end_turn'));
  h.hold.push(promptEnd);
  const reasons = h.events.flatMap((e) => (e.kind === 'chat' ? [e.finishReason] : []));
  assert.deepEqual(reasons, ['tool_use', 'max_tokens', undefined, 'end_turn']);
});

test('without a transcript: a subagent call streamed with its first chunk’s count has no output count; others are unchanged', () => {
  const streamed = withoutTranscript(chat('msg_1', 'toolu_1', 1));
  assert.ok(streamed.kind === 'chat');
  assert.equal(streamed.usage.outputUnknown, true);
  assert.equal(streamed.usage.output, 0);
  assert.equal(streamed.usage.input, 1);
  const final = chat('', 'toolu_1', 12);
  assert.equal(withoutTranscript(final), final, 'the final answer’s usage came from the Task result: exact');
  const main = chat('msg_2', null, 30);
  assert.equal(withoutTranscript(main), main);
  assert.equal(withoutTranscript(promptEnd), promptEnd);
});
