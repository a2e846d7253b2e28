import { test, mock, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExportResult } from '@opentelemetry/core';
import { resolveWrapperConfig } from '../../../src/config/wrapper-config.ts';
import type { WrapperConfig } from '../../../src/config/wrapper-config.ts';
import type { Signal } from '../../../src/config/otlp-config.ts';
import { deadlineIn } from '../../../src/deadline.ts';
import type { Deadline } from '../../../src/deadline.ts';
import { RunStore, newRunId } from '../../../src/store/local-store.ts';
import { DELIVERY_FAILURE_FILE, IMPORTED_RUN_FILE, UNDELIVERED_MARK_FILE, flushSession, hasUndeliveredMark } from '../../../src/store/flush-protocol.ts';
import type { FlushReport, FlushSteps } from '../../../src/store/flush-protocol.ts';
import { sendRequests } from '../../../src/export/send-requests.ts';
import type { SignalRequests } from '../../../src/export/send-requests.ts';
import type { EncodedRequest, RequestExporter, RequestExporters } from '../../../src/export/request-exporters.ts';
import type { ExportAttempt } from '../../../src/export/send-signal.ts';
import { retryUndelivered } from '../../../src/export/retry.ts';
import type { DebugLog } from '../../../src/debug-log.ts';
import { sessionMeta } from '../../support/session-meta.ts';

// The store's protocol (chunk, meta, mark, send, delivered, prune, send what was missed) with
// the real send path and exporters at the request-exporter seam that succeed, fail, or hang
// until the deadline or a signal gives up on them, on a fake clock: nothing here waits for time.

const ENDPOINT = 'http://collector.invalid:4318';
const quiet: DebugLog = { log: () => {}, close: async () => {} };

/** An exporter that answers at once: accepted, or refused the way a closed port refuses. */
function answering(ok: boolean, sent: EncodedRequest[] = []): RequestExporter {
  return {
    export: (request: EncodedRequest, done: (result: ExportResult) => void) => {
      sent.push(request);
      const refused = Object.assign(new Error(`connect ECONNREFUSED ${ENDPOINT}`), { code: 'ECONNREFUSED' });
      done(ok ? { code: 0 } : { code: 1, error: refused });
    },
    shutdown: async () => {},
  };
}

/** An exporter that never answers; `reached` resolves once a request was handed to it. */
function hanging(): RequestExporter & { reached: Promise<void> } {
  let reach = () => {};
  const reached = new Promise<void>((resolve) => (reach = resolve));
  return { export: () => reach(), shutdown: async () => {}, reached };
}

const request = (text: string): EncodedRequest => ({ body: Buffer.from(text), items: 1 });
const SPANS = {
  resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', name: 'claude.session' }] }] }],
};
const LOGS = { resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: 'prompt' } }] }] }] };

let stateDir: string;
let config: WrapperConfig;

beforeEach(() => {
  stateDir = mkdtempSync(join(tmpdir(), 'claude-otel-flush-'));
  config = resolveWrapperConfig({ CLAUDE_OTEL_STATE_DIR: stateDir, OTEL_EXPORTER_OTLP_ENDPOINT: ENDPOINT, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' });
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: Date.now() });
});

afterEach(() => {
  mock.timers.reset();
  rmSync(stateDir, { recursive: true, force: true });
});

interface Session {
  store: RunStore;
  steps: FlushSteps<ExportAttempt>;
  /** Each step as it was taken, in order. */
  taken: string[];
}

/** One session's last flush: a chunk of traces and logs, its meta.json, sent with `exporters`. */
function session(exporters: RequestExporters, extra: Partial<FlushSteps<ExportAttempt>> = {}): Session {
  const store = new RunStore(stateDir, newRunId(Date.now()));
  const taken: string[] = [];
  const requests: SignalRequests = { traces: request(JSON.stringify(SPANS)), logs: request(JSON.stringify(LOGS)) };
  const steps: FlushSteps<ExportAttempt> = {
    stateDir,
    runDir: store.dir,
    writeChunk: async () => {
      taken.push('chunk');
      return store.writeChunk({ traces: SPANS, logs: LOGS });
    },
    writeMeta: () => {
      taken.push('meta');
      store.writeMeta({ runId: store.runId, traceId: '', sessionId: 's', mode: 'print' } as never);
    },
    stored: () => taken.push(`stored (mark ${hasUndeliveredMark(stateDir) ? 'set' : 'not set'})`),
    send: (signal) => {
      taken.push('send');
      return sendRequests(exporters, requests, config.export, signal);
    },
    endpoint: () => ENDPOINT,
    prune: () => taken.push('prune'),
    ...extra,
  };
  return { store, steps, taken };
}

const file = (dir: string, name: string) => existsSync(join(dir, name));

/** Settles the flush's pending microtasks without moving the clock. */
async function settle<T>(flush: Promise<T>): Promise<{ done: boolean; value?: T }> {
  let result: { done: boolean; value?: T } = { done: false };
  void flush.then((value) => (result = { done: true, value }));
  for (let i = 0; i < 20; i++) await Promise.resolve();
  return result;
}

test('delivered: the steps go in order, the chunk is marked delivered and the mark this run set is gone', async () => {
  const { store, steps, taken } = session({ traces: answering(true), logs: answering(true) });
  const report = await flushSession(steps, deadlineIn(2000));
  assert.equal(report.delivered, true);
  assert.deepEqual(taken, ['chunk', 'meta', 'stored (mark set)', 'send', 'prune']);
  assert.ok(file(store.dir, 'chunk-0001.delivered'));
  assert.equal(hasUndeliveredMark(stateDir), false);
  assert.ok(!file(store.dir, DELIVERY_FAILURE_FILE));
});

test('a collector that hangs: the deadline ends the send, nothing waits longer, the session stays stored and marked', async () => {
  const traces = hanging();
  const missed = mock.fn(async () => ({ nothingLeft: true }));
  const { store, steps } = session({ traces, logs: answering(true) }, { sendMissed: missed });
  const flush = flushSession(steps, deadlineIn(2000));
  await traces.reached;
  mock.timers.tick(1999);
  assert.equal((await settle(flush)).done, false, 'still waiting before the deadline');
  mock.timers.tick(1);
  const { done, value: report } = await settle(flush);
  assert.ok(done && report, 'the flush ends at the deadline');
  assert.equal(report.delivered, false);
  assert.equal(report.timedOut, true);
  assert.equal(report.outcomes.traces?.ok, false);
  assert.ok(!file(store.dir, 'chunk-0001.delivered'));
  assert.ok(file(store.dir, 'chunk-0001.logs.delivered'), 'the signal that was accepted is not sent again');
  assert.ok(hasUndeliveredMark(stateDir));
  assert.equal(readFileSync(join(store.dir, DELIVERY_FAILURE_FILE), 'utf8'), `traces to ${ENDPOINT}: no answer within the flush budget (2000 ms)\n`);
  assert.equal(missed.mock.callCount(), 0, 'nothing earlier is sent when this session was not delivered');
});

test('a collector that fails: the session stays marked undelivered, with the failure recorded', async () => {
  const { store, steps } = session({ traces: answering(false), logs: answering(false) });
  const report = await flushSession(steps, deadlineIn(2000));
  assert.equal(report.delivered, false);
  assert.equal(report.timedOut, false);
  assert.ok(!file(store.dir, 'chunk-0001.delivered'));
  assert.ok(!file(store.dir, 'chunk-0001.traces.delivered'));
  assert.ok(hasUndeliveredMark(stateDir));
  assert.match(readFileSync(join(store.dir, DELIVERY_FAILURE_FILE), 'utf8'), new RegExp(`^traces to ${ENDPOINT}: connection refused`));
});

test('SIGTERM mid-send: the store is complete and marked before the send, and the send is abandoned', async () => {
  const traces = hanging();
  const sigterm = new AbortController();
  const { store, steps, taken } = session({ traces, logs: hanging() });
  const flush = flushSession(steps, deadlineIn(60_000, sigterm.signal));
  await traces.reached;
  // What a process ended here leaves behind: the whole session, and the mark that makes a later run look.
  assert.deepEqual(taken, ['chunk', 'meta', 'stored (mark set)', 'send']);
  assert.ok(file(store.dir, 'chunk-0001.json') && file(store.dir, 'meta.json'));
  assert.ok(file(stateDir, UNDELIVERED_MARK_FILE));
  sigterm.abort(new Error('SIGTERM'));
  const { done, value: report } = await settle(flush);
  assert.ok(done && report, 'the send is given up at once, without the clock moving');
  assert.equal(report.delivered, false);
  assert.equal(report.outcomes.traces?.ok === false && report.outcomes.traces.failure.reason, 'abandoned: SIGTERM');
  assert.ok(!file(store.dir, 'chunk-0001.delivered'));
  assert.ok(hasUndeliveredMark(stateDir));
});

test('a second run finds the mark, sends what the first missed, once, and clears the mark', async () => {
  const first = session({ traces: answering(false), logs: answering(false) });
  await flushSession(first.steps, deadlineIn(2000));
  assert.ok(hasUndeliveredMark(stateDir));

  const resent: EncodedRequest[] = [];
  const replayed: RequestExporters = { traces: answering(true, resent), logs: answering(true, resent) };
  const sendMissed = (left: Deadline) =>
    retryUndelivered({ config, debugLog: quiet, excludeRunIds: [second.store.runId], deadline: left, openExporters: async () => replayed });
  const second = session({ traces: answering(true), logs: answering(true) }, { sendMissed });
  const report: FlushReport<ExportAttempt> = await flushSession(second.steps, deadlineIn(2000));
  assert.equal(report.delivered, true);
  assert.equal(report.missed, 'all-sent');
  assert.ok(file(first.store.dir, 'chunk-0001.delivered'), "the first run's session was delivered");
  assert.deepEqual(
    resent.map((r) => Buffer.from(r.body).toString()),
    [JSON.stringify(SPANS), JSON.stringify(LOGS)],
    'what the first run stored, sent as it is over http/json',
  );
  assert.equal(hasUndeliveredMark(stateDir), false, 'nothing is left: the mark goes');

  const third = session({ traces: answering(true), logs: answering(true) }, { sendMissed });
  await flushSession(third.steps, deadlineIn(2000));
  assert.equal(resent.length, 2, 'never sent twice');
});

test('a session imported without --export is not sent by a later run: only what a wrapper run missed, and then the mark goes', async () => {
  const first = session({ traces: answering(false), logs: answering(false) });
  await flushSession(first.steps, deadlineIn(2000));
  // As `claude-otel-ctl import` stores a session: a chunk and meta.json, nothing sent.
  const imported = new RunStore(stateDir, newRunId(Date.now() - 60_000));
  imported.writeChunk({ traces: SPANS });
  imported.writeMeta(sessionMeta({ runId: imported.runId, sessionId: 'from-a-transcript', source: 'transcript' }));

  const resent: EncodedRequest[] = [];
  const replayed: RequestExporters = { traces: answering(true, resent), logs: answering(true, resent) };
  const sendMissed = (left: Deadline) =>
    retryUndelivered({ config, debugLog: quiet, excludeRunIds: [second.store.runId], deadline: left, openExporters: async () => replayed });
  const second = session({ traces: answering(true), logs: answering(true) }, { sendMissed });
  const report = await flushSession(second.steps, deadlineIn(2000));
  assert.equal(report.missed, 'all-sent');
  assert.ok(file(first.store.dir, 'chunk-0001.delivered'), "the first run's session was delivered");
  assert.equal(resent.length, 2, "the first run's traces and logs, nothing of the imported session");
  assert.ok(!file(imported.dir, 'chunk-0001.delivered'), 'the imported session waits for replay or import --export');
  assert.ok(!file(imported.dir, DELIVERY_FAILURE_FILE), 'and no send of it was tried');
  assert.equal(hasUndeliveredMark(stateDir), false, 'nothing a wrapper run missed is left: the mark goes');
});

test('an import killed before its meta.json is still not sent by a later run: the run is marked as imported from its start', async () => {
  const first = session({ traces: answering(false), logs: answering(false) });
  await flushSession(first.steps, deadlineIn(2000));
  // As `claude-otel-ctl import` leaves a session when it is killed between its chunk and its meta.json.
  const imported = new RunStore(stateDir, newRunId(Date.now() - 60_000), 'transcript');
  const chunk = imported.writeChunk({ traces: SPANS });
  assert.ok(file(imported.dir, IMPORTED_RUN_FILE), 'marked with its first file');
  // Killed an hour ago: not a run that may still be writing.
  const anHourAgo = new Date(Date.now() - 3_600_000);
  utimesSync(join(imported.dir, `${chunk}.json`), anHourAgo, anHourAgo);

  const resent: EncodedRequest[] = [];
  const replayed: RequestExporters = { traces: answering(true, resent), logs: answering(true, resent) };
  const sendMissed = (left: Deadline) =>
    retryUndelivered({ config, debugLog: quiet, excludeRunIds: [second.store.runId], deadline: left, openExporters: async () => replayed });
  const second = session({ traces: answering(true), logs: answering(true) }, { sendMissed });
  await flushSession(second.steps, deadlineIn(2000));
  assert.equal(resent.length, 2, "the first run's traces and logs, nothing of the imported session");
  assert.ok(!file(imported.dir, 'chunk-0001.delivered'), 'the imported session waits for replay or import --export');
});

test('a mark another run writes while the missed sessions go out stays', async () => {
  const first = session({ traces: answering(false), logs: answering(false) });
  await flushSession(first.steps, deadlineIn(2000));
  const other = session({ traces: answering(false), logs: answering(false) });
  const sendMissed = async () => {
    // Another wrapper fails to deliver meanwhile.
    await flushSession(other.steps, deadlineIn(2000));
    return { nothingLeft: true };
  };
  const { steps } = session({ traces: answering(true), logs: answering(true) }, { sendMissed });
  const report = await flushSession(steps, deadlineIn(2000));
  assert.equal(report.missed, 'all-sent');
  assert.ok(hasUndeliveredMark(stateDir), "the other run's session still waits");
});

test('past the deadline before sending: the session is still stored and marked, nothing is sent', async () => {
  const sent: EncodedRequest[] = [];
  const { store, steps, taken } = session({ traces: answering(true, sent), logs: answering(true, sent) });
  const deadline = deadlineIn(10);
  mock.timers.tick(10);
  const report = await flushSession(steps, deadline);
  assert.deepEqual(taken, ['chunk', 'meta', 'stored (mark set)', 'send', 'prune']);
  assert.equal(sent.length, 0);
  assert.equal(report.delivered, false);
  assert.ok(file(store.dir, 'chunk-0001.json') && file(store.dir, 'meta.json'));
  assert.ok(hasUndeliveredMark(stateDir));
  const signals: Signal[] = ['traces', 'logs'];
  for (const signal of signals) assert.equal(report.outcomes[signal]?.ok, false);
});
