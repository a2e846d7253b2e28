import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withStart } from '../../../../src/ctl/views/session-from-start.ts';
import type { SessionFigures } from '../../../../src/ctl/views/session-record.ts';

// A running session: what started.json knows fills in what its spans cannot say yet.

const start = {
  runId: 'r',
  traceId: 'a'.repeat(32),
  sessionId: 's-1',
  mode: 'sdk',
  model: 'claude-opus-4-8',
  version: '2.1.197',
  startTime: 1000,
  git: { repositoryName: 'widgets', branch: 'main', worktree: false },
};

test('no span yet: the start alone, zero counts, not ended', () => {
  const f = withStart(undefined, start);
  assert.deepEqual(
    [f.sessionId, f.traceId, f.mode, f.model, f.version, f.startTime, f.ended, f.endTime, f.toolCalls, f.git?.repositoryName],
    ['s-1', 'a'.repeat(32), 'sdk', 'claude-opus-4-8', '2.1.197', 1000, false, 0, 0, 'widgets'],
  );
});

test('spans so far keep their figures; the start fills in what they leave unknown', () => {
  const fromSpans: SessionFigures = {
    ...withStart(undefined, { ...start, mode: 'unknown', model: 'unknown', version: 'unknown', sessionId: '', traceId: '' }),
    model: 'claude-haiku-4-5',
    toolCalls: 3,
    startTime: 900,
  };
  const f = withStart(fromSpans, start);
  assert.deepEqual([f.model, f.mode, f.version, f.sessionId, f.toolCalls, f.startTime], ['claude-haiku-4-5', 'sdk', '2.1.197', 's-1', 3, 900]);
});
