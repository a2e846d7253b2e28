import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiFailure, filterSessions, sessionByKey, statsPeriod } from '../../../../src/ctl/serve/trace-queries.ts';
import type { SessionRecord } from '../../../../src/ctl/views/session-record.ts';

// Which sessions the API's filters keep and which one a trace key names, over records as the
// store reader lists them (newest first).

function record(n: number, extra: Partial<SessionRecord> = {}): SessionRecord {
  return {
    runId: `20260101T00000${n}Z-99999999-00000${n}`,
    traceId: `${String(n).repeat(32)}`.slice(0, 32),
    sessionId: `session-${n}`,
    mode: 'print',
    model: 'claude-opus-4-8',
    version: '2.1.197',
    startTime: Date.UTC(2026, 0, 1, 0, 0, n),
    endTime: Date.UTC(2026, 0, 1, 0, 1, n),
    exitCode: 0,
    prompts: 1,
    toolCalls: 0,
    toolErrors: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheCreationTokens: 0,
    costUsd: 0,
    isError: false,
    interrupted: false,
    ended: true,
    dir: `/store/${n}`,
    chunks: 1,
    delivered: true,
    figuresFrom: 'meta',
    ...extra,
  };
}

const now = Date.UTC(2026, 0, 2);
const sessions = [
  record(3, {
    mode: 'sdk',
    promptPreview: 'Refactor the PARSER',
    git: { repositoryName: 'widgets', repositoryUrl: 'https://github.com/acme/widgets', branch: 'main', worktree: false },
  }),
  record(2, { toolErrors: 1, delivered: false, model: 'claude-haiku-4-5' }),
  record(1, { ended: false, endTime: 0, interrupted: false }),
];
const keep = (q: Parameters<typeof filterSessions>[1]) => filterSessions(sessions, q, now).map((s) => s.sessionId);

test('filters: each keeps what it names, together they all hold', () => {
  assert.deepEqual(keep({}), ['session-3', 'session-2', 'session-1']);
  assert.deepEqual(keep({ mode: 'sdk' }), ['session-3']);
  assert.deepEqual(keep({ status: 'error' }), ['session-2']);
  assert.deepEqual(keep({ status: 'ok' }), ['session-3'], 'an unfinished session is not ok');
  assert.deepEqual(keep({ status: 'running' }), [], 'its wrapper (pid 99999999) is gone');
  assert.deepEqual(keep({ delivered: false }), ['session-2']);
  assert.deepEqual(keep({ model: 'CLAUDE-HAIKU-4-5' }), ['session-2']);
  assert.deepEqual(keep({ q: 'parser' }), ['session-3']);
  assert.deepEqual(keep({ repo: 'acme/widgets', branch: 'main' }), ['session-3']);
  assert.deepEqual(keep({ since: '2026-01-01T00:00:02Z' }), ['session-3', 'session-2']);
  assert.deepEqual(keep({ until: '2026-01-01T00:00:02Z' }), ['session-1']);
  assert.deepEqual(keep({ mode: 'sdk', status: 'error' }), []);
});

test('a date that does not exist is a 400 naming the parameter', () => {
  assert.throws(
    () => keep({ since: '2026-02-31' }),
    (e: unknown) => e instanceof ApiFailure && e.status === 400 && e.message.startsWith('since: '),
  );
});

test('a period past the range a Date holds is a 400 naming the parameter, not a 500', () => {
  for (const [name, value] of [
    ['since', '99999999999d'],
    ['until', '99999999999d'],
    ['until', '999999-01-01'],
  ] as const) {
    const refused = (e: unknown) => e instanceof ApiFailure && e.status === 400 && e.message.startsWith(`${name}: expected`);
    assert.throws(() => keep({ [name]: value }), refused, `${name}=${value}`);
    assert.throws(() => statsPeriod({ since: '7d', [name]: value }, Date.now()), refused, `stats ${name}=${value}`);
  }
});

test('a trace key: trace id, run id, session id, prefix or last; unknown 404, ambiguous 400', () => {
  assert.equal(sessionByKey(sessions, '2'.repeat(32)).sessionId, 'session-2');
  assert.equal(sessionByKey(sessions, sessions[2]?.runId ?? '').sessionId, 'session-1');
  assert.equal(sessionByKey(sessions, 'SESSION-3').sessionId, 'session-3');
  assert.equal(sessionByKey(sessions, 'last').sessionId, 'session-3');
  assert.throws(
    () => sessionByKey(sessions, 'nothing'),
    (e: unknown) => e instanceof ApiFailure && e.status === 404,
  );
  assert.throws(
    () => sessionByKey(sessions, 'session'),
    (e: unknown) => e instanceof ApiFailure && e.status === 400 && /matches 3 sessions/.test(e.message),
  );
});

test('a resumed session: its id and a prefix of it alone name its newest run', () => {
  const resumed = [record(6, { sessionId: 'session-5' }), record(5), record(4, { sessionId: 'session-5' })];
  assert.equal(sessionByKey(resumed, 'session-5').runId, resumed[0]?.runId);
  assert.equal(sessionByKey(resumed, 'session-').runId, resumed[0]?.runId);
  assert.equal(sessionByKey(resumed, resumed[2]?.runId ?? '').runId, resumed[2]?.runId);
});
