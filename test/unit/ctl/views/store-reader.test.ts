import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreReader } from '../../../../src/ctl/views/store-reader.ts';
import { findSession } from '../../../../src/ctl/views/session-lookup.ts';
import { CtlFailure, EXIT_NOT_FOUND, EXIT_USAGE } from '../../../../src/ctl/ctl-failure.ts';
import { sessionJson, sessionTokens } from '../../../../src/ctl/views/session-record.ts';
import type { SessionRecord } from '../../../../src/ctl/views/session-record.ts';

// The reader against files on disk, damaged ones included.

const T0 = 1_800_000_000_000;
const ns = (ms: number): string => `${BigInt(ms) * 1_000_000n}`;
const attr = (key: string, value: string | number | boolean) => ({
  key,
  value:
    typeof value === 'string'
      ? { stringValue: value }
      : typeof value === 'boolean'
        ? { boolValue: value }
        : Number.isInteger(value)
          ? { intValue: value }
          : { doubleValue: value },
});

function chunk(spans: object[], sessionId?: string): string {
  const logs = sessionId ? { resourceLogs: [{ scopeLogs: [{ logRecords: [{ attributes: [attr('session.id', sessionId)] }] }] }] } : undefined;
  return JSON.stringify({
    traces: { resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 'claude-otel' }, spans }] }] },
    ...(logs ? { logs } : {}),
  });
}

function sessionSpan(sessionId: string, start: number): object {
  return {
    traceId: 'trace',
    spanId: `root-${sessionId}`,
    name: 'claude.session',
    kind: 1,
    startTimeUnixNano: ns(start),
    endTimeUnixNano: ns(start + 3000),
    attributes: [
      attr('session.id', sessionId),
      attr('claude.mode', 'print'),
      attr('gen_ai.request.model', 'claude-opus-4-8'),
      attr('claude.tool_count', 2),
      attr('claude.tool_error_count', 1),
      attr('gen_ai.usage.input_tokens', 177),
      attr('gen_ai.usage.output_tokens', 40),
      attr('gen_ai.usage.cache_read.input_tokens', 50),
      attr('gen_ai.usage.cache_creation.input_tokens', 7),
      attr('claude.cost_usd', 0.25),
      attr('process.exit.code', 0),
    ],
    status: { code: 0 },
  };
}

function toolSpan(id: string, start: number): object {
  return {
    traceId: 'trace',
    spanId: id,
    parentSpanId: 'p',
    name: 'execute_tool Bash',
    kind: 1,
    startTimeUnixNano: ns(start),
    endTimeUnixNano: ns(start + 10),
    attributes: [attr('gen_ai.tool.name', 'Bash')],
    status: { code: 0 },
  };
}

function meta(sessionId: string, start: number): string {
  return JSON.stringify({
    runId: 'x',
    sessionId,
    mode: 'print',
    model: 'claude-opus-4-8',
    version: '2.1.197',
    startTime: start,
    endTime: start + 2000,
    exitCode: 0,
    prompts: 1,
    toolCalls: 3,
    toolErrors: 0,
    inputTokens: 100,
    outputTokens: 20,
    cacheReadTokens: 5,
    cacheCreationTokens: 1,
    costUsd: 0.01,
    isError: false,
    interrupted: false,
  });
}

function withStore(files: Record<string, string>, body: (stateDir: string) => void): void {
  const stateDir = mkdtempSync(join(tmpdir(), 'claude-otel-ctl-store-'));
  try {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(join(stateDir, 'sessions', path, '..'), { recursive: true });
      writeFileSync(join(stateDir, 'sessions', path), content);
    }
    body(stateDir);
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}

test('damaged files are skipped with one warning each; every session that can be read is listed', () => {
  const good = chunk([sessionSpan('aaaa-good', T0)]);
  withStore(
    {
      'run-a/meta.json': meta('aaaa-good', T0),
      'run-a/chunk-0001.json': good,
      'run-a/chunk-0001.delivered': 'x',
      'run-b/meta.json': meta('bbbb-meta-cut', T0 + 1000).slice(0, 40),
      'run-b/chunk-0001.json': chunk([sessionSpan('bbbb-meta-cut', T0 + 1000)]),
      'run-c/meta.json': meta('cccc-chunk-cut', T0 + 2000),
      'run-c/chunk-0001.json': good.slice(0, good.length / 2),
      'run-d/meta.json': '[1,2]',
      'run-e/chunk-0001.json': chunk([toolSpan('t1', T0 + 4000)], 'eeee-running'),
      'run-f/chunk-0001.json': '',
      'stray-file': 'not a run',
    },
    (stateDir) => {
      mkdirSync(join(stateDir, 'sessions', 'run-empty'));
      const warnings: string[] = [];
      const reader = new StoreReader(stateDir, (m) => warnings.push(m));
      const sessions = reader.sessions();
      assert.deepEqual(
        sessions.map((s) => [s.sessionId, s.figuresFrom]),
        [
          ['eeee-running', 'spans'],
          ['cccc-chunk-cut', 'meta'],
          ['bbbb-meta-cut', 'spans'],
          ['aaaa-good', 'meta'],
        ],
      );
      assert.equal(warnings.length, 3, warnings.join('\n'));
      assert.match(warnings[0] ?? '', /run-b.meta\.json: it is not valid JSON \(truncated or corrupt\)$/);
      assert.match(warnings[1] ?? '', /run-d.meta\.json: it is not a session summary \(/);
      assert.match(warnings[2] ?? '', /run-f.chunk-0001\.json: it is empty$/);

      const [running, chunkCut, metaCut, good2] = sessions as [SessionRecord, SessionRecord, SessionRecord, SessionRecord];
      assert.equal(good2.delivered, true);
      assert.equal(chunkCut.delivered, false);
      assert.equal(running.endTime, 0, 'no root span yet: unfinished');
      assert.equal(running.toolCalls, 1);
      // From the root span: input on the span includes the cache; the record keeps it apart.
      assert.deepEqual(sessionTokens(metaCut), { input: 120, output: 40, cacheRead: 50, cacheCreation: 7 });
      assert.equal(metaCut.costUsd, 0.25);
      assert.equal(metaCut.toolErrors, 1);
      assert.equal(metaCut.endTime, T0 + 1000 + 3000);

      assert.deepEqual(reader.spans(chunkCut), []);
      assert.equal(warnings.length, 4);
      assert.match(warnings[3] ?? '', /run-c.chunk-0001\.json: it is not valid JSON/);
      reader.spans(chunkCut);
      assert.equal(warnings.length, 4, 'a file is reported once');
      assert.equal(reader.spans(good2).length, 1);
    },
  );
});

test('a missing store is an empty list, without warnings', () => {
  const warnings: string[] = [];
  assert.deepEqual(new StoreReader(join(tmpdir(), 'claude-otel-ctl-does-not-exist'), (m) => warnings.push(m)).sessions(), []);
  assert.deepEqual(warnings, []);
});

test('finding a session: last, full id, prefix, run id; ambiguity and absence are distinct failures', () => {
  withStore(
    {
      'run-1/meta.json': meta('abcd1111-0000', T0),
      'run-2/meta.json': meta('abcd2222-0000', T0 + 1000),
      'run-3/meta.json': meta('ffff0000-0000', T0 + 2000),
    },
    (stateDir) => {
      const sessions = new StoreReader(stateDir, () => undefined).sessions();
      assert.equal(findSession(sessions, 'last').sessionId, 'ffff0000-0000');
      assert.equal(findSession(sessions, 'LAST').sessionId, 'ffff0000-0000');
      assert.equal(findSession(sessions, 'abcd1111-0000').runId, 'run-1');
      assert.equal(findSession(sessions, 'abcd2').runId, 'run-2');
      assert.equal(findSession(sessions, 'run-3').sessionId, 'ffff0000-0000');
      assert.throws(
        () => findSession(sessions, 'abcd'),
        (e: unknown) =>
          e instanceof CtlFailure &&
          e.exitCode === EXIT_USAGE &&
          /"abcd" matches 2 sessions: abcd2222-0000 \(run run-2\), abcd1111-0000 \(run run-1\)$/.test(e.message),
      );
      assert.throws(
        () => findSession(sessions, '9999'),
        (e: unknown) => e instanceof CtlFailure && e.exitCode === EXIT_NOT_FOUND,
      );
    },
  );
});

test('a session resumed several times: its id, or a prefix of it alone, is its newest run; a prefix of several sessions counts sessions, not runs', () => {
  withStore(
    {
      'run-1/meta.json': meta('ace0578e-0000', T0),
      'run-2/meta.json': meta('ace0578e-0000', T0 + 1000),
      'run-3/meta.json': meta('ace0578e-0000', T0 + 2000),
      'run-4/meta.json': meta('ace1111f-0000', T0 + 500),
    },
    (stateDir) => {
      const sessions = new StoreReader(stateDir, () => undefined).sessions();
      assert.equal(findSession(sessions, 'ace0578e-0000').runId, 'run-3');
      assert.equal(findSession(sessions, 'ACE0578E').runId, 'run-3');
      assert.equal(findSession(sessions, 'run-2').runId, 'run-2', 'a run id still names its run');
      assert.throws(
        () => findSession(sessions, 'ace'),
        (e: unknown) =>
          e instanceof CtlFailure &&
          e.exitCode === EXIT_USAGE &&
          /^"ace" matches 2 sessions: ace0578e-0000 \(3 runs, the newest run-3\), ace1111f-0000 \(run run-4\)$/.test(e.message),
      );
    },
  );
});

test("a session whose start claude never reported is placed at its run id's time", () => {
  withStore({ '20260131T080509Z-42-abcdef/meta.json': JSON.stringify({ sessionId: '', startTime: 0, endTime: 0, exitCode: 1, isError: true }) }, (stateDir) => {
    const [only] = new StoreReader(stateDir, () => undefined).sessions();
    assert.equal(only?.startTime, Date.UTC(2026, 0, 31, 8, 5, 9));
    assert.equal(only?.endTime, 0, 'no end time');
    assert.equal(only?.ended, true, 'meta.json is written when a session ends');
  });
});

test('a meta.json without an exit code shows none, not 0; one with a wrong type falls back to the spans with a warning', () => {
  const noExit = JSON.stringify({ sessionId: 'nnnn-no-exit', startTime: T0, endTime: T0 + 500, isError: false });
  const wrongType = JSON.stringify({ sessionId: 'wwww-wrong', startTime: T0 + 100, exitCode: 'zero' });
  withStore({ 'run-n/meta.json': noExit, 'run-w/meta.json': wrongType, 'run-w/chunk-0001.json': chunk([sessionSpan('wwww-wrong', T0 + 100)]) }, (stateDir) => {
    const warnings: string[] = [];
    const sessions = new StoreReader(stateDir, (m) => warnings.push(m)).sessions();
    const noExitRecord = sessions.find((s) => s.sessionId === 'nnnn-no-exit');
    assert.equal(noExitRecord?.exitCode, undefined);
    assert.equal(noExitRecord?.figuresFrom, 'meta');
    assert.equal(noExitRecord && sessionJson(noExitRecord, 'nnnn').exitCode, null);
    assert.equal(noExitRecord && sessionJson(noExitRecord, 'nnnn').durationMs, 500);
    const wrong = sessions.find((s) => s.sessionId === 'wwww-wrong');
    assert.equal(wrong?.figuresFrom, 'spans');
    assert.equal(wrong?.exitCode, 0, 'from the root span');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /run-w.meta\.json: it is not a session summary \(exitCode: /);
  });
});
