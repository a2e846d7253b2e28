import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { SDK_LOAD_GRACE_MS, sdkMode } from '../../../src/modes/sdk-run.ts';
import { QueuedRuntime } from '../../../src/modes/queued-runtime.ts';
import type { SdkRun } from '../../../src/launch/session-kind.ts';
import { StreamSessionReader } from '../../../src/session/from-stream.ts';
import { FakeSink, fakeClaude, recordingLog, settled, streamRunOptions } from './fakes.ts';

// SDK mode: the caller's messages pass to claude and are read on the way; each finished
// prompt leaves in the background while claude waits for the next.

const run: SdkRun = { kind: 'sdk', outputFormat: 'stream-json', verbose: true, includePartialMessages: false };

const userLine = (text: string) =>
  `${JSON.stringify({ type: 'user', message: { role: 'user', content: [{ type: 'text', text }] }, parent_tool_use_id: null })}\n`;

test("the caller's messages given as data reach claude unchanged and the reader's caller as prompts", async () => {
  const claude = fakeClaude();
  const reader = new StreamSessionReader({ startTime: 1000, mode: 'sdk' });
  const data = userLine('first question') + userLine('second question');
  sdkMode(streamRunOptions(run, { kind: 'data', data }), claude, () => reader);
  await settled();
  assert.equal(claude.received(), data);
  assert.equal(claude.stdin.writableEnded, true);
  // The first message found claude idle; the second waits for the first turn's end.
  assert.equal(reader.caller.nextPrompt()?.text, 'first question');
  assert.equal(reader.caller.nextPrompt(), undefined);
  reader.caller.turnEnded(2000);
  assert.equal(reader.caller.nextPrompt()?.text, 'second question');
});

test('piped messages are read as they pass to claude, until claude has exited', async () => {
  const claude = fakeClaude();
  const from = new PassThrough();
  const reader = new StreamSessionReader({ startTime: 1000, mode: 'sdk' });
  const mode = sdkMode(streamRunOptions(run, { kind: 'tee', from: from as unknown as NodeJS.ReadStream }), claude, () => reader);
  from.write(userLine('hello'));
  await settled();
  assert.equal(claude.received(), userLine('hello'));
  assert.equal(reader.caller.nextPrompt()?.text, 'hello');
  mode.claudeExited();
  from.write(userLine('too late'));
  await settled();
  assert.equal(claude.received(), userLine('hello'));
});

test("a finished prompt is flushed in the background while claude runs; none after claude's exit", async () => {
  const sink = new FakeSink();
  const telemetry = new QueuedRuntime(Promise.resolve(sink), recordingLog());
  const reader = new StreamSessionReader({ startTime: 1000, mode: 'sdk' });
  const mode = sdkMode(streamRunOptions(run, { kind: 'terminal' }), fakeClaude(), () => reader);
  mode.delivered?.({ kind: 'prompt_start', time: 1 }, telemetry);
  await telemetry.idle();
  assert.equal(sink.flushDeadlines.length, 0, 'only a prompt end starts a flush');
  mode.delivered?.({ kind: 'prompt_end', time: 2 }, telemetry);
  await settled();
  await telemetry.idle();
  assert.equal(sink.flushDeadlines.length, 1);
  mode.claudeExited();
  mode.delivered?.({ kind: 'prompt_end', time: 3 }, telemetry);
  await settled();
  await telemetry.idle();
  assert.equal(sink.flushDeadlines.length, 1, "the final flush takes what ends after claude's exit");
});

test('the reader runs in SDK mode with the resume arguments and content capture; the load grace is the SDK one', () => {
  const id = '18d2b661-71ac-49d2-8ce5-ee2a816ebbcf';
  const options = { ...streamRunOptions(run, { kind: 'terminal' }, ['--input-format', 'stream-json', '--resume', id]), captureContent: true };
  const mode = sdkMode(options, fakeClaude(), () => new StreamSessionReader({ startTime: 0 }));
  assert.deepEqual(mode.readerOptions(), { startTime: 1000, mode: 'sdk', captureContent: true, resume: { resumeId: id, continued: false, fork: false } });
  assert.equal(mode.loadGraceMs, SDK_LOAD_GRACE_MS);
});
