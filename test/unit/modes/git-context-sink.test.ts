import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import type { Attributes } from '@opentelemetry/api';
import { GitContextSink } from '../../../src/modes/git-context-sink.ts';
import type { GitSession } from '../../../src/workspace/git-session.ts';
import type { Deadline } from '../../../src/deadline.ts';
import type { GitContext, SessionEvent } from '../../../src/session/events.ts';
import { FakeSink, recordingLog } from './fakes.ts';

// The git context joins the session at its end, within a share of the flush budget.

interface FakeGit {
  begun: string[];
  asked: { deadline: number; ci: Attributes }[];
  answer: () => Promise<GitContext | undefined>;
  /** How often the session's git runs were ended, and how many contexts had been asked for each time. */
  ended: number[];
  begin(cwd: string): void;
  context(deadline: number, ci: Attributes): Promise<GitContext | undefined>;
  end(): void;
}

function fakeGit(answer: () => Promise<GitContext | undefined>): FakeGit {
  return {
    begun: [],
    asked: [],
    ended: [],
    answer,
    begin(cwd) {
      this.begun.push(cwd);
    },
    context(deadline, ci) {
      this.asked.push({ deadline, ci });
      return this.answer();
    },
    end() {
      this.ended.push(this.asked.length);
    },
  };
}

const start = (cwd: string): SessionEvent => ({ kind: 'session_start', time: 1, sessionId: 's', model: 'm', version: 'v', cwd, mode: 'print' });
const end: SessionEvent = { kind: 'session_end', time: 9, exitCode: 0, interrupted: false };
const deadline = (msLeft: number): Deadline => ({ signal: new AbortController().signal, msLeft: () => msLeft });

function harness(git: FakeGit, fallbackCwd?: string) {
  const inner = new FakeSink();
  const log = recordingLog();
  const sink = new GitContextSink(inner, {
    git: git as unknown as GitSession,
    ciResource: { 'ci.provider': 'github' },
    redact: (text) => text.replace('token@', '[REDACTED]@'),
    debugLog: log,
    ...(fallbackCwd !== undefined ? { fallbackCwd } : {}),
  });
  return { inner, log, sink };
}

test("the work tree is read from where claude's session starts, else from the fallback directory", () => {
  const git = fakeGit(async () => undefined);
  const h = harness(git, '/wrapper/cwd');
  h.sink.handle(start('/project'));
  h.sink.handle(start(''));
  assert.deepEqual(git.begun, ['/project', '/wrapper/cwd']);
  const noFallback = fakeGit(async () => undefined);
  harness(noFallback).sink.handle(start(''));
  assert.deepEqual(noFallback.begun, []);
});

test('a claude that ended without starting its session has no work tree read, not even at its end', () => {
  const git = fakeGit(async () => undefined);
  const h = harness(git, '/wrapper/cwd');
  h.sink.handle({ kind: 'session_start', time: 1, sessionId: '', model: 'unknown', version: 'unknown', cwd: '', mode: 'print', neverStarted: true });
  assert.deepEqual(git.begun, []);
  assert.deepEqual(h.inner.kinds(), ['session_start'], 'the session itself is still recorded');
});

test('the session end waits for the flush and goes on with the git context, its URL redacted', async () => {
  const git = fakeGit(async () => ({ repositoryUrl: 'https://token@github.example/o/r', branch: 'main', worktree: false, vcsOnResource: false }));
  const h = harness(git);
  h.sink.handle(start('/project'));
  h.sink.handle(end);
  assert.deepEqual(h.inner.kinds(), ['session_start'], 'held');
  let stored = false;
  await h.sink.finish(deadline(5000), () => (stored = true));
  assert.deepEqual(h.inner.kinds(), ['session_start', 'session_end']);
  assert.deepEqual(git.ended, [1], "the session's git runs end once its context is read");
  const delivered = h.inner.events[1];
  assert.equal(delivered?.kind === 'session_end' ? delivered.git?.repositoryUrl : undefined, 'https://[REDACTED]@github.example/o/r');
  assert.equal(delivered?.kind === 'session_end' ? delivered.git?.branch : undefined, 'main');
  assert.equal(stored, true, 'onStored reaches the inner sink');
  assert.equal(h.inner.finishDeadlines.length, 1);
  assert.deepEqual(git.asked[0]?.ci, { 'ci.provider': 'github' });
});

test('the git context may take 40% of what is left of the budget, at most 2 s', async (t) => {
  mock.timers.enable({ apis: ['Date'], now: 1_000_000 });
  t.after(() => mock.timers.reset());
  const git = fakeGit(async () => undefined);
  const h = harness(git);
  h.sink.handle(end);
  await h.sink.finish(deadline(1000));
  h.sink.handle(end);
  await h.sink.finish(deadline(60_000));
  assert.deepEqual(
    git.asked.map((a) => a.deadline),
    [1_000_400, 1_002_000],
  );
});

test('outside a work tree, or when reading it fails, the session end goes on as it was', async () => {
  const none = harness(fakeGit(async () => undefined));
  none.sink.handle(end);
  await none.sink.finish(deadline(1000));
  assert.deepEqual(none.inner.events, [end]);

  const failing = harness(
    fakeGit(async () => {
      throw new Error('git crashed');
    }),
  );
  failing.sink.handle(end);
  await failing.sink.finish(deadline(1000));
  assert.deepEqual(failing.inner.events, [end]);
  const warning = failing.log.records.find((r) => r.level === 'warn');
  assert.equal(warning?.message, 'could not read the git context');
  assert.match(String(warning?.fields?.error), /git crashed/);
});

test('without a session end, finish only finishes the inner sink; the trace id and background flushes are the inner ones', async () => {
  const git = fakeGit(async () => undefined);
  const h = harness(git);
  await h.sink.finish(deadline(1000));
  assert.deepEqual(git.asked, []);
  assert.deepEqual(git.ended, [0], 'git runs begun at the start end with the session all the same');
  assert.equal(h.inner.finishDeadlines.length, 1);
  assert.equal(h.sink.traceId, h.inner.traceId);
  assert.deepEqual(await h.sink.flushFinished(deadline(1000)), { delivered: true, timedOut: false });
  assert.equal(h.inner.flushDeadlines.length, 1);
  const plain = new GitContextSink(
    { traceId: undefined, handle: () => {}, finish: async () => {} },
    { git: git as unknown as GitSession, ciResource: {}, redact: (x) => x, debugLog: recordingLog() },
  );
  assert.deepEqual(await plain.flushFinished(deadline(1000)), { delivered: false, timedOut: false });
});
