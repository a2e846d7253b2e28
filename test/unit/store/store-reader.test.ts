import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readChunk, readChunkSpans, readMeta, readStart, undeliveredChunks } from '../../../src/store/reader.ts';
import { readDeliveryFailure } from '../../../src/store/flush-protocol.ts';
import { MAX_SMALL_FILE_BYTES } from '../../../src/store/store-file.ts';
import type { SessionMeta } from '../../../src/store/session-meta.ts';

// The store's one reader against damaged and partial runs: meta.json checked against the schema
// the writer's type is bound to, chunks checked for the shape of an OTLP JSON request.

function withRun(files: Record<string, string>, body: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'claude-otel-store-reader-'));
  try {
    mkdirSync(dir, { recursive: true });
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const written: SessionMeta = {
  runId: 'r',
  traceId: 't',
  sessionId: 's',
  mode: 'print',
  model: 'm',
  version: '2.1.197',
  startTime: 1000,
  endTime: 2000,
  exitCode: 3,
  prompts: 1,
  toolCalls: 2,
  toolErrors: 0,
  inputTokens: 10,
  outputTokens: 5,
  cacheReadTokens: 1,
  cacheCreationTokens: 2,
  costUsd: 0.5,
  isError: false,
  interrupted: false,
  git: { repositoryName: 'repo', worktree: true, commits: 2 },
};

test('what the wrapper writes reads back unchanged', () => {
  withRun({ 'meta.json': JSON.stringify(written) }, (dir) => {
    const read = readMeta(dir);
    assert.deepEqual(read, { ok: true, value: written });
  });
});

test('a meta.json without an exit code reads as none, not 0; missing labels and counts take their defaults', () => {
  withRun({ 'meta.json': JSON.stringify({ sessionId: 's', startTime: 5 }) }, (dir) => {
    const read = readMeta(dir);
    assert.ok(read?.ok);
    assert.equal(read.value.exitCode, undefined);
    assert.equal(read.value.mode, 'unknown');
    assert.equal(read.value.toolCalls, 0);
    assert.equal(read.value.endTime, 0);
  });
});

test('damaged or foreign meta.json says why; no meta.json is no read', () => {
  withRun({}, (dir) => assert.equal(readMeta(dir), undefined));
  withRun({ 'meta.json': '' }, (dir) => assert.deepEqual(readMeta(dir), { ok: false, reason: 'it is empty' }));
  withRun({ 'meta.json': '{"sessionId":"s","sta' }, (dir) => {
    assert.deepEqual(readMeta(dir), { ok: false, reason: 'it is not valid JSON (truncated or corrupt)' });
  });
  withRun({ 'meta.json': JSON.stringify({ sessionId: 's', startTime: 1, exitCode: 'zero' }) }, (dir) => {
    const read = readMeta(dir);
    assert.equal(read?.ok, false);
    assert.match(read && !read.ok ? read.reason : '', /^it is not a session summary \(exitCode: /);
  });
  withRun({ 'meta.json': '[1,2]' }, (dir) => {
    const read = readMeta(dir);
    assert.match(read && !read.ok ? read.reason : 'read', /^it is not a session summary \(/);
  });
});

test('chunks: the requests with their item counts; a wrong shape or a cut file is a reason, not a throw', () => {
  const span = (spanId: string) => ({ traceId: 't', spanId, name: 'n', startTimeUnixNano: '1', endTimeUnixNano: 2 });
  const traces = { resourceSpans: [{ scopeSpans: [{ spans: [span('a'), span('b')] }] }] };
  withRun(
    {
      'chunk-0001.json': JSON.stringify({ traces }),
      'chunk-0002.json': JSON.stringify({ logs: { resourceLogs: [{ scopeLogs: 'no' }] } }),
      'chunk-0003.json': '{"traces":',
      'chunk-0003.delivered': '',
    },
    (dir) => {
      const good = readChunk(dir, 'chunk-0001');
      assert.ok(good.ok);
      assert.equal(good.value.traces?.items, 2);
      assert.equal(good.value.traces?.json, JSON.stringify(traces));
      assert.equal(good.value.logs, undefined);
      assert.deepEqual(readChunk(dir, 'chunk-0002'), { ok: false, reason: 'logs.resourceLogs[0].scopeLogs: expected an array' });
      assert.deepEqual(readChunk(dir, 'chunk-0003'), { ok: false, reason: 'it is not valid JSON (truncated or corrupt)' });
      assert.deepEqual(readChunk(dir, 'chunk-0009'), { ok: false, reason: 'cannot read it (ENOENT)' });
      assert.deepEqual(undeliveredChunks(dir), ['chunk-0001', 'chunk-0002']);
    },
  );
});

test('a FIFO, a link to a device, a directory or an oversized file is a reason, never a wait or an endless read', () => {
  withRun({ 'meta.json': `{"sessionId":"s","startTime":1,"model":"${'x'.repeat(MAX_SMALL_FILE_BYTES)}"}` }, (dir) => {
    const read = readMeta(dir);
    assert.match(read?.ok === false ? read.reason : 'read', /^it is larger than 1 MiB/);
  });
  withRun({}, (dir) => {
    execFileSync('mkfifo', [join(dir, 'meta.json')]);
    execFileSync('mkfifo', [join(dir, 'delivery-failure')]);
    symlinkSync('/dev/zero', join(dir, 'chunk-0001.json'));
    mkdirSync(join(dir, 'chunk-0002.json'));
    assert.deepEqual(readMeta(dir), { ok: false, reason: 'it is a FIFO, not a regular file' });
    assert.deepEqual(readChunk(dir, 'chunk-0001'), { ok: false, reason: 'it is a device, not a regular file' });
    assert.equal(readChunk(dir, 'chunk-0002').ok, false);
    assert.equal(readDeliveryFailure(dir), undefined);
  });
});

test('times a Date cannot hold and amounts that cannot be shown make meta.json and started.json unreadable', () => {
  for (const bad of [{ startTime: 1e300 }, { startTime: -1 }, { endTime: 8.64e15 + 1 }, { toolCalls: -3 }, { costUsd: 1e300 }, { exitCode: 1.5 }]) {
    withRun({ 'meta.json': JSON.stringify({ ...written, ...bad }), 'started.json': JSON.stringify({ startTime: 1e300 }) }, (dir) => {
      const read = readMeta(dir);
      assert.match(read?.ok === false ? read.reason : 'read', /^it is not a session summary \(/, JSON.stringify(bad));
      const start = readStart(dir);
      assert.match(start?.ok === false ? start.reason : 'read', /^it is not a session start \(startTime: /);
    });
  }
  withRun({ 'meta.json': JSON.stringify({ ...written, startTime: 8.64e15, endTime: 8.64e15 }) }, (dir) => assert.equal(readMeta(dir)?.ok, true));
});

test('a span whose time a Date cannot hold is passed over', () => {
  const span = (spanId: string, start: string | number) => ({ traceId: 't', spanId, name: 'n', startTimeUnixNano: start, endTimeUnixNano: start });
  const spans = [span('a', '1000000000'), span('b', 1e300)];
  withRun({ 'chunk-0001.json': JSON.stringify({ traces: { resourceSpans: [{ scopeSpans: [{ spans }] }] } }) }, (dir) => {
    const read = readChunkSpans(dir, 'chunk-0001');
    assert.deepEqual(read.ok ? read.value.spans.map((s) => s.spanId) : 'unread', ['a']);
  });
});

test('a chunk whose spans, log records or metrics are not of their OTLP types is a reason, not sent on', () => {
  const span = { traceId: 't', spanId: 's', name: 'n', startTimeUnixNano: '1', endTimeUnixNano: '2' };
  const traces = (spans: unknown[]) => JSON.stringify({ traces: { resourceSpans: [{ scopeSpans: [{ spans }] }] } });
  withRun(
    {
      'chunk-0001.json': traces([{ ...span, traceId: 5 }]),
      'chunk-0002.json': traces([{ ...span, name: [] }]),
      'chunk-0003.json': traces([{ ...span, startTimeUnixNano: 'soon' }]),
      'chunk-0004.json': traces([{ ...span, attributes: [{ key: 1 }] }]),
      'chunk-0005.json': JSON.stringify({ logs: { resourceLogs: [{ scopeLogs: [{ logRecords: ['text'] }] }] } }),
      'chunk-0006.json': JSON.stringify({ metrics: { resourceMetrics: [{ scopeMetrics: [{ metrics: [{ name: 7 }] }] }] } }),
      'chunk-0007.json': traces([{ ...span, unknownField: { kept: true } }]),
    },
    (dir) => {
      assert.deepEqual(readChunk(dir, 'chunk-0001'), { ok: false, reason: 'traces.resourceSpans[0].scopeSpans[0].spans[0].traceId: expected string' });
      assert.deepEqual(readChunk(dir, 'chunk-0002'), { ok: false, reason: 'traces.resourceSpans[0].scopeSpans[0].spans[0].name: expected string' });
      for (const chunk of ['chunk-0003', 'chunk-0004', 'chunk-0005', 'chunk-0006']) assert.equal(readChunk(dir, chunk).ok, false, chunk);
      const kept = readChunk(dir, 'chunk-0007');
      assert.match(kept.ok ? (kept.value.traces?.json ?? '') : '', /"unknownField":\{"kept":true\}/);
    },
  );
});
