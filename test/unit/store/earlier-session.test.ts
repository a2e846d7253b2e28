import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { earlierSessionSpan } from '../../../src/store/earlier-session.ts';
import type { SessionMeta } from '../../../src/store/session-meta.ts';
import { sessionMeta } from '../../support/session-meta.ts';

// What a resumed session links to: the latest earlier run of the same session whose meta.json the
// store's reader accepts. Newer runs that are damaged, foreign or of another session are passed over.

const SESSION = '5c3a1c9e-8a0d-4b8e-9d6f-2f1a7e0b4c11';

function meta(runId: string, traceByte: string, fields: Partial<SessionMeta> = {}): SessionMeta {
  return sessionMeta({
    runId,
    traceId: traceByte.repeat(32),
    spanId: traceByte.repeat(16),
    sessionId: SESSION,
    version: '2.1.197',
    startTime: 1000,
    endTime: 2000,
    prompts: 1,
    inputTokens: 1,
    outputTokens: 1,
    ...fields,
  });
}

function withStore(runs: Record<string, string | undefined>, body: (stateDir: string) => void): void {
  const stateDir = mkdtempSync(join(tmpdir(), 'claude-otel-earlier-'));
  try {
    for (const [runId, metaText] of Object.entries(runs)) {
      const dir = join(stateDir, 'sessions', runId);
      mkdirSync(dir, { recursive: true });
      if (metaText !== undefined) writeFileSync(join(dir, 'meta.json'), metaText);
    }
    body(stateDir);
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}

test('the newest earlier run of the session that the reader accepts; this run, damaged, foreign and unfinished runs are passed over', () => {
  withStore(
    {
      '20260101T000000Z-1-aa': JSON.stringify(meta('20260101T000000Z-1-aa', 'a')),
      '20260102T000000Z-1-bb': JSON.stringify(meta('20260102T000000Z-1-bb', 'b')),
      // Newer, but none of them usable:
      '20260103T000000Z-1-cc': JSON.stringify(meta('20260103T000000Z-1-cc', 'c', { sessionId: 'another' })),
      '20260104T000000Z-1-dd': '{"sessionId": "5c3a1c9e-8a0d-4b8e',
      '20260105T000000Z-1-ee': JSON.stringify({ ...meta('20260105T000000Z-1-ee', 'e'), startTime: 'yesterday' }),
      '20260106T000000Z-1-ff': JSON.stringify(meta('20260106T000000Z-1-ff', 'f', { spanId: 'not-hex' })),
      '20260107T000000Z-1-gg': undefined,
      '20260108T000000Z-1-hh': JSON.stringify(meta('20260108T000000Z-1-hh', '1')),
    },
    (stateDir) => {
      const found = earlierSessionSpan(stateDir, SESSION, '20260108T000000Z-1-hh');
      assert.deepEqual(found, { traceId: 'b'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1, isRemote: true });
    },
  );
});

test('nothing for a session the store has no earlier run of, or without a store', () => {
  withStore({ '20260101T000000Z-1-aa': JSON.stringify(meta('20260101T000000Z-1-aa', 'a', { sessionId: 'another' })) }, (stateDir) => {
    assert.equal(earlierSessionSpan(stateDir, SESSION, undefined), undefined);
    assert.equal(earlierSessionSpan(join(stateDir, 'missing'), SESSION, undefined), undefined);
  });
});
