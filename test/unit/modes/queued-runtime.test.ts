import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { QueuedRuntime } from '../../../src/modes/queued-runtime.ts';
import type { SessionSink } from '../../../src/modes/queued-runtime.ts';
import type { SessionEvent } from '../../../src/session/events.ts';
import { FakeSink, recordingLog, settleable, settled } from './fakes.ts';

// The session's telemetry while it may still be loading: events wait for it, and nothing it
// does wrong reaches the caller.

const start: SessionEvent = { kind: 'prompt_end', time: 1 };
const end: SessionEvent = { kind: 'session_end', time: 2, exitCode: 0, interrupted: false };

test('events wait until the sink has loaded, then go in order; later ones go at once', async () => {
  const load = settleable<SessionSink>();
  const runtime = new QueuedRuntime(load.promise, recordingLog());
  const sink = new FakeSink();
  runtime.handle(start);
  runtime.handle(end);
  assert.deepEqual(sink.events, []);
  load.resolve(sink);
  await settled();
  assert.deepEqual(sink.kinds(), ['prompt_end', 'session_end']);
  runtime.handle({ kind: 'prompt_end', time: 3 });
  assert.equal(sink.events.length, 3, 'straight to the loaded sink');
});

test('a sink that throws on an event is logged, never passed on', async () => {
  const log = recordingLog();
  const sink = new FakeSink();
  sink.handle = () => {
    throw new Error('mapping broke');
  };
  const runtime = new QueuedRuntime(Promise.resolve(sink), log);
  runtime.handle(start);
  await settled();
  runtime.handle(end);
  const failures = log.records.filter((r) => r.message === 'telemetry failed on an event');
  assert.equal(failures.length, 2);
  assert.match(String(failures[0]?.fields?.error), /mapping broke/);
});

test('a failing load never throws at the caller: events are dropped, finish gives no trace id and the session counts as stored', async () => {
  const log = recordingLog();
  const runtime = new QueuedRuntime(Promise.reject(new Error('no exporter')), log);
  runtime.handle(start);
  await settled();
  runtime.handle(end);
  runtime.flushFinished(1000);
  await runtime.idle();
  let stored = 0;
  assert.equal(await runtime.finish(1000, 0, () => (stored += 1)), undefined);
  assert.ok(stored >= 1);
  const error = log.records.find((r) => r.level === 'error');
  assert.equal(error?.message, 'telemetry could not start');
  assert.match(String(error?.fields?.error), /no exporter/);
});

test('finish gives the sink the flush deadline and returns its trace id', async () => {
  const sink = new FakeSink('0af7651916cd43dd8448eb211c80319c');
  const runtime = new QueuedRuntime(Promise.resolve(sink), recordingLog());
  runtime.handle(end);
  let stored = false;
  assert.equal(await runtime.finish(5000, 0, () => (stored = true)), '0af7651916cd43dd8448eb211c80319c');
  assert.equal(stored, true);
  assert.equal(sink.finishDeadlines.length, 1);
  const left = sink.finishDeadlines[0]?.msLeft() ?? 0;
  assert.ok(left > 0 && left <= 5000);
});

test("a sink whose finish throws still gives its trace id, and the session's store wait is released", async () => {
  const log = recordingLog();
  const sink = new FakeSink();
  sink.finish = async () => {
    throw new Error('disk full');
  };
  const runtime = new QueuedRuntime(Promise.resolve(sink), log);
  let stored = false;
  assert.equal(await runtime.finish(1000, 0, () => (stored = true)), sink.traceId);
  assert.equal(stored, true);
  assert.ok(log.records.some((r) => r.message === 'flush failed' && String(r.fields?.error).includes('disk full')));
});

test('finish ends within the budget and its grace when the load hangs', async (t) => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 });
  t.after(() => mock.timers.reset());
  const runtime = new QueuedRuntime(new Promise<SessionSink>(() => {}), recordingLog());
  let stored = false;
  let outcome: string | undefined | 'pending' = 'pending';
  void runtime.finish(1000, 500, () => (stored = true)).then((traceId) => (outcome = traceId));
  mock.timers.tick(1499);
  await settled();
  assert.equal(outcome, 'pending', 'the grace is allowed for the load');
  assert.equal(stored, false);
  mock.timers.tick(1);
  await settled();
  assert.equal(outcome, undefined);
  assert.equal(stored, true);
});

test('a load that finishes within the grace still stores the session', async (t) => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 });
  t.after(() => mock.timers.reset());
  const load = settleable<SessionSink>();
  const sink = new FakeSink();
  const runtime = new QueuedRuntime(load.promise, recordingLog());
  runtime.handle(end);
  const finishing = runtime.finish(1000, 3000);
  mock.timers.tick(2000);
  load.resolve(sink);
  assert.equal(await finishing, sink.traceId);
  assert.deepEqual(sink.kinds(), ['session_end']);
  assert.equal(sink.finishDeadlines.length, 1);
  // The budget was spent on loading: nothing is left for the export.
  assert.equal(sink.finishDeadlines[0]?.msLeft(), 0);
  assert.equal(sink.finishDeadlines[0]?.signal.aborted, true);
});

test('the time the load took comes out of the flush budget', async (t) => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 });
  t.after(() => mock.timers.reset());
  const load = settleable<SessionSink>();
  const sink = new FakeSink();
  const runtime = new QueuedRuntime(load.promise, recordingLog());
  const finishing = runtime.finish(1000, 3000);
  mock.timers.tick(300);
  load.resolve(sink);
  await finishing;
  assert.equal(sink.finishDeadlines[0]?.msLeft(), 700);
  assert.equal(sink.finishDeadlines[0]?.signal.aborted, false);
});

test('background flushes: one under way is followed by exactly one more, however many were asked for meanwhile', async () => {
  const sink = new FakeSink();
  const gates: (() => void)[] = [];
  sink.flushGate = () => new Promise<void>((resolve) => gates.push(resolve));
  const log = recordingLog();
  const runtime = new QueuedRuntime(Promise.resolve(sink), log);
  runtime.flushFinished(10_000);
  await settled();
  assert.equal(sink.flushDeadlines.length, 1);
  runtime.flushFinished(10_000);
  runtime.flushFinished(10_000);
  gates[0]?.();
  await settled();
  assert.equal(sink.flushDeadlines.length, 2);
  gates[1]?.();
  await runtime.idle();
  assert.equal(sink.flushDeadlines.length, 2);
  assert.equal(log.records.filter((r) => r.message === 'flushed finished spans').length, 2);
  // Idle again: the next request starts a flush of its own.
  sink.flushGate = undefined;
  runtime.flushFinished(10_000);
  await runtime.idle();
  assert.equal(sink.flushDeadlines.length, 3);
});

test('a flush that fails is logged, and a sink without background flushes is left alone', async () => {
  const log = recordingLog();
  const sink = new FakeSink();
  sink.flushGate = async () => {
    throw new Error('collector down');
  };
  const runtime = new QueuedRuntime(Promise.resolve(sink), log);
  runtime.flushFinished(1000);
  await runtime.idle();
  assert.ok(log.records.some((r) => r.message === 'flush failed' && String(r.fields?.error).includes('collector down')));

  const plain: SessionSink = { traceId: undefined, handle: () => {}, finish: async () => {} };
  const quietLog = recordingLog();
  const other = new QueuedRuntime(Promise.resolve(plain), quietLog);
  other.flushFinished(1000);
  await other.idle();
  assert.deepEqual(quietLog.records, []);
});
