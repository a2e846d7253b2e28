import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineSplitter } from '../../src/stream/line-splitter.ts';

function split(chunks: (string | Buffer)[]): [string, boolean][] {
  const out: [string, boolean][] = [];
  const splitter = new LineSplitter();
  for (const chunk of chunks) splitter.push(chunk, (line, nl) => out.push([line, nl]));
  splitter.end((line, nl) => out.push([line, nl]));
  return out;
}

test('lines split across chunks come back whole, with their newline flag', () => {
  assert.deepEqual(split(['ab', 'c\nde', 'f\n', 'tail']), [
    ['abc', true],
    ['def', true],
    ['tail', false],
  ]);
});

test('a multi-byte character cut between chunks is not mangled', () => {
  const bytes = Buffer.from('héllo\n', 'utf8');
  assert.deepEqual(split([bytes.subarray(0, 2), bytes.subarray(2)]), [['héllo', true]]);
});

test('empty lines are kept', () => {
  assert.deepEqual(split(['\n\nx\n']), [
    ['', true],
    ['', true],
    ['x', true],
  ]);
});
