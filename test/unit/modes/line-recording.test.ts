import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { LineRecording } from '../../../src/modes/line-recording.ts';
import type { QueuedRuntime } from '../../../src/modes/queued-runtime.ts';
import { parseStreamLineValue } from '../../../src/sources/stream-json/messages.ts';
import type { SessionEvent } from '../../../src/session/events.ts';
import { FakeSink, recordingLog, settled } from './fakes.ts';
import { scratchDir } from '../../support/scratch-dir.ts';

// What claude's stream-json lines become for the session's telemetry.

const fixture = (path: string) =>
  readFileSync(new URL(`../../fixtures/streams/${path}`, import.meta.url), 'utf8')
    .trimEnd()
    .split('\n');

function harness(claudeConfigDir: string | undefined) {
  const sink = new FakeSink();
  const log = recordingLog();
  const delivered: { event: SessionEvent; telemetry: QueuedRuntime }[] = [];
  const recording = new LineRecording({
    debugLog: log,
    loadSink: async () => sink,
    readerOptions: () => ({ startTime: 1000, promptText: 'write two lines' }),
    claudeConfigDir,
    delivered: (event, telemetry) => delivered.push({ event, telemetry }),
  });
  let time = 1000;
  const record = (lines: string[]) => {
    for (const line of lines) recording.record(parseStreamLineValue(line), line, (time += 10));
  };
  const close = () => recording.close({ time: (time += 10), exitCode: 0, interrupted: false });
  return { sink, log, delivered, recording, record, close };
}

test("the lines' events reach the sink, and the session id and claude's result are kept", async () => {
  const h = harness(undefined);
  h.record(fixture('formats/multiline.stream-json-verbose.jsonl'));
  h.close();
  assert.equal(h.recording.sessionId, '79e93cc9-0cea-4e73-b593-179f669213c8');
  assert.equal(h.recording.result?.type, 'result');
  assert.equal(h.recording.result?.result, 'line one\nline two\n');
  await h.recording.telemetry.finish(1000);
  const kinds = h.sink.kinds();
  assert.equal(kinds[0], 'session_start');
  assert.equal(kinds.at(-1), 'session_end');
  assert.ok(kinds.includes('chat'));
  const prompt = h.sink.events.find((e) => e.kind === 'prompt_start');
  assert.equal(prompt?.kind === 'prompt_start' ? prompt.text : undefined, 'write two lines');
  // Each event is announced once it has gone to the telemetry.
  assert.deepEqual(
    h.delivered.map((d) => d.event),
    h.sink.events,
  );
  assert.ok(h.delivered.every((d) => d.telemetry === h.recording.telemetry));
});

test('the reader is made once, when the first line arrives, with the options asked for then', () => {
  let asked = 0;
  const recording = new LineRecording({
    debugLog: recordingLog(),
    loadSink: async () => new FakeSink(),
    readerOptions: () => {
      asked += 1;
      return { startTime: 1000 };
    },
    claudeConfigDir: undefined,
  });
  assert.equal(asked, 0);
  const [init] = fixture('formats/multiline.stream-json-verbose.jsonl');
  recording.record(parseStreamLineValue(init ?? ''), init ?? '', 1010);
  recording.record(parseStreamLineValue(init ?? ''), init ?? '', 1020);
  assert.equal(asked, 1);
  assert.equal(recording.sessionReader, recording.sessionReader);
});

test('a line that is not stream-json is skipped and logged with its length, not its text; an empty one is not logged', async () => {
  const h = harness(undefined);
  h.recording.record(undefined, 'Error: héllo', 1000);
  h.recording.record(undefined, '', 1001);
  assert.deepEqual(
    h.log.records.map((r) => [r.level, r.message, r.fields]),
    [['debug', 'skipped a line that is not stream-json', { length: Buffer.byteLength('Error: héllo') }]],
  );
  await settled();
  assert.deepEqual(h.sink.events, []);
  assert.equal(h.recording.sessionId, undefined);
});

test("without transcripts (--no-session-persistence) a subagent's calls go at once, their output count marked unknown", async () => {
  const h = harness(undefined);
  const lines = fixture('subagent.jsonl');
  h.record(lines.slice(0, -1));
  await settled();
  const subagentChats = h.sink.events.filter((e) => e.kind === 'chat' && e.agent !== null);
  const calls = subagentChats.filter((e) => e.kind === 'chat' && e.messageId !== '');
  assert.ok(calls.length > 0, 'delivered before claude exits');
  for (const chat of calls) if (chat.kind === 'chat') assert.equal(chat.usage.outputUnknown, true);
});

test("with a transcript folder a subagent's calls wait for it until claude exits, and keep the stream's usage when none is there", async () => {
  const h = harness(scratchDir('claude-otel-config-'));
  const lines = fixture('subagent.jsonl');
  h.record(lines);
  await settled();
  const subagentCalls = (events: SessionEvent[]) => events.filter((e) => e.kind === 'chat' && e.agent !== null && e.messageId !== '');
  assert.deepEqual(subagentCalls(h.sink.events), [], 'held for the transcript');
  assert.equal(h.sink.kinds().includes('prompt_end'), false, 'the prompt end waits with them');
  h.close();
  await settled();
  const calls = subagentCalls(h.sink.events);
  assert.ok(calls.length > 0);
  for (const chat of calls) if (chat.kind === 'chat') assert.equal(chat.usage.outputUnknown, undefined);
  assert.equal(h.sink.kinds().at(-1), 'session_end');
});
