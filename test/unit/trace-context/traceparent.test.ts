import { test } from 'node:test';
import assert from 'node:assert/strict';
import { claudeEnvironment, formatTraceParent, newSpanId, newTraceId, parseTraceParent, planSessionIds } from '../../../src/trace-context/traceparent.ts';

// TRACEPARENT read before claude starts, and the one claude gets in its place.

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

test('a traceparent read and written again is the same string', () => {
  for (const value of [`00-${TRACE}-${SPAN}-01`, `00-${TRACE}-${SPAN}-00`]) {
    const parsed = parseTraceParent(value);
    assert.ok(parsed);
    assert.equal(formatTraceParent(parsed), value);
  }
  assert.deepEqual(parseTraceParent(`00-${TRACE}-${SPAN}-01`), { traceId: TRACE, spanId: SPAN, sampled: true });
  assert.equal(parseTraceParent(`00-${TRACE}-${SPAN}-00`)?.sampled, false);
});

test('the sampled flag is bit 0 of the flags, whatever the other bits', () => {
  assert.equal(parseTraceParent(`00-${TRACE}-${SPAN}-03`)?.sampled, true);
  assert.equal(parseTraceParent(`00-${TRACE}-${SPAN}-02`)?.sampled, false);
});

test('surrounding whitespace is ignored', () => {
  assert.equal(parseTraceParent(`  00-${TRACE}-${SPAN}-01\n`)?.traceId, TRACE);
});

test('a later version may carry more fields; version 00 may not', () => {
  assert.equal(parseTraceParent(`01-${TRACE}-${SPAN}-01-extra`)?.spanId, SPAN);
  assert.equal(parseTraceParent(`00-${TRACE}-${SPAN}-01-extra`), undefined);
});

test('malformed values are refused', () => {
  const refused = [
    undefined,
    '',
    'garbage',
    `00-${TRACE.toUpperCase()}-${SPAN}-01`,
    `00-${TRACE.slice(1)}-${SPAN}-01`,
    `00-${TRACE}-${SPAN.slice(1)}-01`,
    `00-${TRACE}-${SPAN}-1`,
    `ff-${TRACE}-${SPAN}-01`,
    `00_${TRACE}_${SPAN}_01`,
  ];
  for (const value of refused) assert.equal(parseTraceParent(value), undefined, String(value));
});

test('all-zero trace and span ids are invalid', () => {
  assert.equal(parseTraceParent(`00-${'0'.repeat(32)}-${SPAN}-01`), undefined);
  assert.equal(parseTraceParent(`00-${TRACE}-${'0'.repeat(16)}-01`), undefined);
});

test('new ids have the W3C lengths, are lowercase hex and never all zeros', () => {
  for (let i = 0; i < 50; i++) {
    const trace = newTraceId();
    const span = newSpanId();
    assert.match(trace, /^[0-9a-f]{32}$/);
    assert.match(span, /^[0-9a-f]{16}$/);
    assert.doesNotMatch(trace, /^0+$/);
    assert.doesNotMatch(span, /^0+$/);
  }
});

test('planSessionIds keeps the inbound trace id and gives the session span a new id', () => {
  const ids = planSessionIds({ TRACEPARENT: `00-${TRACE}-${SPAN}-01` });
  assert.equal(ids.traceId, TRACE);
  assert.notEqual(ids.sessionSpanId, SPAN);
  assert.match(ids.sessionSpanId, /^[0-9a-f]{16}$/);
  assert.deepEqual(ids.inbound, { traceId: TRACE, spanId: SPAN, sampled: true });
  assert.equal(ids.malformed, undefined);
});

test('without TRACEPARENT the session starts a new trace', () => {
  const ids = planSessionIds({});
  assert.match(ids.traceId, /^[0-9a-f]{32}$/);
  assert.equal(ids.inbound, undefined);
  assert.equal(ids.malformed, undefined);
});

test('an unreadable TRACEPARENT starts a new trace and is kept, trimmed and cut to 80 characters, for the log', () => {
  const ids = planSessionIds({ TRACEPARENT: '  not-a-traceparent  ' });
  assert.equal(ids.inbound, undefined);
  assert.equal(ids.malformed, 'not-a-traceparent');
  assert.notEqual(ids.traceId, undefined);
  assert.equal(planSessionIds({ TRACEPARENT: 'x'.repeat(200) }).malformed, 'x'.repeat(80));
  assert.equal(planSessionIds({ TRACEPARENT: '   ' }).malformed, undefined);
});

test("claude's TRACEPARENT names the session span, sampled as the inbound one was", () => {
  const env = { PATH: '/bin', TRACEPARENT: `00-${TRACE}-${SPAN}-00`, TRACESTATE: 'vendor=1', BAGGAGE: 'k=v' };
  const ids = planSessionIds(env);
  const out = claudeEnvironment(env, ids);
  assert.equal(out.TRACEPARENT, `00-${TRACE}-${ids.sessionSpanId}-00`);
  assert.equal(out.TRACESTATE, 'vendor=1');
  assert.equal(out.BAGGAGE, 'k=v');
  assert.equal(out.PATH, '/bin');
  // The caller's environment itself is left as it was.
  assert.equal(env.TRACEPARENT, `00-${TRACE}-${SPAN}-00`);
});

test('without an inbound trace, TRACESTATE is dropped and the new trace is sampled', () => {
  const env = { TRACEPARENT: 'broken', TRACESTATE: 'vendor=1', BAGGAGE: 'k=v' };
  const ids = planSessionIds(env);
  const out = claudeEnvironment(env, ids);
  assert.equal(out.TRACEPARENT, `00-${ids.traceId}-${ids.sessionSpanId}-01`);
  assert.equal('TRACESTATE' in out, false);
  assert.equal(out.BAGGAGE, 'k=v');
});
