import { test } from 'node:test';
import assert from 'node:assert/strict';
import { placedItems, requestOf } from '../../../src/export/otlp-json-split.ts';

// A stored OTLP JSON request's items with the resource and scope around each, and requests made again from some of them.

const resourceA = { resource: { attributes: [{ key: 'service.name', value: { stringValue: 'a' } }] } };
const resourceB = { resource: { attributes: [{ key: 'service.name', value: { stringValue: 'b' } }] }, schemaUrl: 'https://schema.example' };

const traces = {
  resourceSpans: [
    {
      ...resourceA,
      scopeSpans: [
        { scope: { name: 'one' }, spans: [{ name: 's1' }, { name: 's2' }] },
        { scope: { name: 'two' }, spans: [{ name: 's3' }] },
      ],
    },
    { ...resourceB, scopeSpans: [{ scope: { name: 'one' }, spans: [{ name: 's4' }] }] },
  ],
};

test('every item, in order, with the resource and scope entries it sits in', () => {
  const placed = placedItems('traces', traces);
  assert.deepEqual(
    placed.map((p) => p.item),
    [{ name: 's1' }, { name: 's2' }, { name: 's3' }, { name: 's4' }],
  );
  assert.equal(placed[0]?.scope, traces.resourceSpans[0]?.scopeSpans[0]);
  assert.equal(placed[2]?.scope, traces.resourceSpans[0]?.scopeSpans[1]);
  assert.equal(placed[3]?.resource, traces.resourceSpans[1]);
});

test('the whole request made again from all its items is the request', () => {
  assert.deepEqual(requestOf('traces', placedItems('traces', traces)), traces);
});

test('a request of some items keeps their resource and scope entries as they were, with only those items', () => {
  const placed = placedItems('traces', traces);
  assert.deepEqual(
    requestOf(
      'traces',
      [placed[1], placed[3]].filter((p) => p !== undefined),
    ),
    {
      resourceSpans: [
        { ...resourceA, scopeSpans: [{ scope: { name: 'one' }, spans: [{ name: 's2' }] }] },
        { ...resourceB, scopeSpans: [{ scope: { name: 'one' }, spans: [{ name: 's4' }] }] },
      ],
    },
  );
  assert.deepEqual(requestOf('traces', []), { resourceSpans: [] });
});

test('logs and metrics use their own levels', () => {
  const logs = {
    resourceLogs: [{ ...resourceA, scopeLogs: [{ scope: { name: 'l' }, logRecords: [{ body: { stringValue: 'x' } }, { body: { stringValue: 'y' } }] }] }],
  };
  const placedLogs = placedItems('logs', logs);
  assert.equal(placedLogs.length, 2);
  assert.deepEqual(requestOf('logs', placedLogs.slice(1)), {
    resourceLogs: [{ ...resourceA, scopeLogs: [{ scope: { name: 'l' }, logRecords: [{ body: { stringValue: 'y' } }] }] }],
  });
  const metrics = { resourceMetrics: [{ ...resourceA, scopeMetrics: [{ scope: { name: 'm' }, metrics: [{ name: 'claude.session.count' }] }] }] };
  assert.deepEqual(requestOf('metrics', placedItems('metrics', metrics)), metrics);
  // One signal's levels find nothing in another's request.
  assert.deepEqual(placedItems('traces', logs), []);
});

test('entries that are not objects or lists are passed over, not thrown on', () => {
  const odd = {
    resourceSpans: [null, 7, 'x', [], { scopeSpans: 'no' }, { scopeSpans: [null, { spans: 'no' }, { scope: {}, spans: [{ name: 'kept' }] }] }],
  };
  assert.deepEqual(
    placedItems('traces', odd).map((p) => p.item),
    [{ name: 'kept' }],
  );
  assert.deepEqual(placedItems('traces', null), []);
  assert.deepEqual(placedItems('traces', { resourceSpans: {} }), []);
});
