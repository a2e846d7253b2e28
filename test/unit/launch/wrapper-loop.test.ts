import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LOOP_MARKER, MAX_DEPTH, withLoopMarker, wrapperLoop } from '../../../src/launch/wrapper-loop.ts';

test('the marker for claude holds the depth and the pid of the wrapper that starts it', () => {
  assert.equal(withLoopMarker({ PATH: '/bin' }, 100)[LOOP_MARKER], '1:100');
  assert.equal(withLoopMarker({ [LOOP_MARKER]: '2:50' }, 100)[LOOP_MARKER], '3:100');
  assert.equal(withLoopMarker({ [LOOP_MARKER]: 'garbage' }, 100)[LOOP_MARKER], '1:100');
  assert.equal(withLoopMarker({ PATH: '/bin' }, 100).PATH, '/bin');
});

test('a wrapper whose parent is the wrapper that set the marker is a loop', () => {
  assert.match(wrapperLoop({ [LOOP_MARKER]: '1:100' }, 100) ?? '', /claude-otel again/);
});

test('a wrapper under claude (nested session), or without a marker, is not', () => {
  assert.equal(wrapperLoop({ [LOOP_MARKER]: '1:100' }, 101), undefined);
  assert.equal(wrapperLoop({}, 100), undefined);
  assert.equal(wrapperLoop({ [LOOP_MARKER]: '100' }, 100), undefined);
});

test('too many wrappers inside each other is a loop, whatever the parent', () => {
  assert.equal(wrapperLoop({ [LOOP_MARKER]: `${MAX_DEPTH - 1}:100` }, 7), undefined);
  assert.match(wrapperLoop({ [LOOP_MARKER]: `${MAX_DEPTH}:100` }, 7) ?? '', /inside each other/);
});
