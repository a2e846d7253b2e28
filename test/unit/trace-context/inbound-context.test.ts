import { test } from 'node:test';
import assert from 'node:assert/strict';
import { propagation, trace, TraceFlags } from '@opentelemetry/api';
import { baggageEntries, inboundContext } from '../../../src/trace-context/inbound-context.ts';
import { planSessionIds } from '../../../src/trace-context/traceparent.ts';

// The context the session span starts in, from TRACEPARENT, TRACESTATE and BAGGAGE.

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

test('the inbound span is the remote parent, with its flags and trace state', () => {
  const ids = planSessionIds({ TRACEPARENT: `00-${TRACE}-${SPAN}-01` });
  const context = inboundContext({ tracestate: 'vendor=abc,other=1' }, ids);
  const parent = trace.getSpanContext(context);
  assert.equal(parent?.traceId, TRACE);
  assert.equal(parent?.spanId, SPAN);
  assert.equal(parent?.isRemote, true);
  assert.equal(parent?.traceFlags, TraceFlags.SAMPLED);
  assert.equal(parent?.traceState?.get('vendor'), 'abc');
  assert.equal(parent?.traceState?.serialize(), 'vendor=abc,other=1');
});

test('an unsampled inbound span stays unsampled, and no trace state is made up', () => {
  const ids = planSessionIds({ TRACEPARENT: `00-${TRACE}-${SPAN}-00` });
  const parent = trace.getSpanContext(inboundContext({}, ids));
  assert.equal(parent?.traceFlags, TraceFlags.NONE);
  assert.equal(parent?.traceState, undefined);
});

test('without an inbound span there is no parent, and TRACESTATE alone is ignored', () => {
  const ids = planSessionIds({});
  const context = inboundContext({ tracestate: 'vendor=abc' }, ids);
  assert.equal(trace.getSpanContext(context), undefined);
});

test('baggage is read with or without an inbound span, and listed as plain entries', () => {
  const withParent = inboundContext({ baggage: 'team=infra, run=42;meta=x' }, planSessionIds({ TRACEPARENT: `00-${TRACE}-${SPAN}-01` }));
  assert.deepEqual(baggageEntries(withParent), { team: 'infra', run: '42' });
  const alone = inboundContext({ baggage: 'team=infra' }, planSessionIds({}));
  assert.equal(trace.getSpanContext(alone), undefined);
  assert.equal(propagation.getBaggage(alone)?.getEntry('team')?.value, 'infra');
  assert.deepEqual(baggageEntries(alone), { team: 'infra' });
});

test('percent-encoded baggage values are decoded', () => {
  const context = inboundContext({ baggage: 'note=a%20b%2Cc' }, planSessionIds({}));
  assert.deepEqual(baggageEntries(context), { note: 'a b,c' });
});

test('no baggage gives no entries', () => {
  assert.deepEqual(baggageEntries(inboundContext({}, planSessionIds({}))), {});
});
