import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PermissionWaits } from '../../../src/session/permission-waits.ts';

test('a permission request belongs to the open call of that tool with that input; its wait ends when the tool starts running', () => {
  const waits = new PermissionWaits();
  const open = new Map([
    ['toolu_1', { name: 'Bash', input: { command: 'ls' } }],
    ['toolu_2', { name: 'Bash', input: { command: 'printf x > f' } }],
  ]);
  waits.ask('Bash', { command: 'printf x > f' }, 1000, open);
  assert.equal(waits.waitOf('toolu_1', 5000, 10), undefined, 'the other call was not asked about');
  // Ended at 5000 after running 300 ms: it started at 4700, 3700 ms after the question.
  assert.equal(waits.waitOf('toolu_2', 5000, 300), 3700);
  assert.equal(waits.waitOf('toolu_2', 6000, 0), undefined, 'counted once');
  waits.ask('Read', { file_path: '/x' }, 1000, open);
  assert.equal(waits.waitOf('toolu_1', 2000), undefined, 'no open call matches');
});
