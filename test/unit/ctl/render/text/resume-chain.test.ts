import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resumeChain, resumeChainLine } from '../../../../../src/ctl/render/text/resume-chain.ts';
import type { SessionRecord } from '../../../../../src/ctl/views/session-record.ts';
import { sessionMeta } from '../../../../support/session-meta.ts';

// The chain `claude-otel-ctl show` prints for a resumed run: the earlier runs it continues.

const A = 'aaaaaaaa-0000-0000-0000-000000000000';
const B = 'bbbbbbbb-0000-0000-0000-000000000000';

function run(runId: string, sessionId: string, startTime: number, resumedFrom?: string): SessionRecord {
  const meta = sessionMeta({ runId, sessionId, startTime, endTime: startTime + 1, prompts: 1, ...(resumedFrom !== undefined ? { resumedFrom } : {}) });
  return { ...meta, dir: '/nowhere', ended: true, chunks: 1, delivered: true, figuresFrom: 'meta' };
}

test('a plain resume keeps the id: the earlier run is the latest one of that id that started before', () => {
  const r1 = run('r1', A, 1_000);
  const r2 = run('r2', A, 2_000, A);
  const r3 = run('r3', A, 3_000, A);
  const fork = run('r4', B, 4_000, A);
  const all = [fork, r3, r2, r1];
  assert.deepEqual(
    resumeChain(r3, all).map((s) => s.runId),
    ['r2', 'r1'],
  );
  assert.deepEqual(
    resumeChain(fork, all).map((s) => s.runId),
    ['r3', 'r2', 'r1'],
  );
  assert.deepEqual(resumeChain(r1, all), []);
  assert.equal(resumeChainLine(r1, all), undefined);
  assert.match(resumeChainLine(r2, all) ?? '', /^resumed from aaaaaaaa \(run r1, started [^)]+\)$/);
});

test('a chain whose start the store no longer has ends with "not in the local store"', () => {
  const r2 = run('r2', A, 2_000, A);
  const fork = run('r3', B, 3_000, A);
  assert.match(resumeChainLine(fork, [fork, r2]) ?? '', /^resumed from aaaaaaaa \(run r2, started [^)]+\) ← aaaaaaaa \(not in the local store\)$/);
  assert.equal(resumeChainLine(run('r9', B, 9_000, B), []), 'resumed from bbbbbbbb (not in the local store)');
});
