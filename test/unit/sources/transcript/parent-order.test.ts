import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParentOrder, type LinkedLine } from '../../../../src/sources/transcript/parent-order.ts';

// Lines named by a letter: `b<a` is line b whose parent is a; a bare letter is a line outside the chain.
function line(spec: string): LinkedLine<string> {
  const [name = spec, parentUuid] = spec.split('<');
  if (name === name.toUpperCase()) return { value: name };
  return { value: name, uuid: name, ...(parentUuid ? { parentUuid } : {}) };
}

function order(specs: string[]): string[] {
  const out: string[] = [];
  const reader = new ParentOrder<string>((value) => out.push(value));
  for (const spec of specs) reader.push(line(spec));
  reader.finish();
  return out;
}

test('lines in the chain’s order pass as they are', () => {
  assert.deepEqual(order(['a', 'M', 'b<a', 'c<b', 'N', 'd<c']), ['a', 'M', 'b', 'c', 'N', 'd']);
});

test('a prompt written after the answer to it goes back before it; lines outside the chain keep their place after the waiting ones', () => {
  assert.deepEqual(order(['M', 'b<p', 'c<b', 'F', 'p<z', 'z', 'd<c']), ['M', 'z', 'p', 'b', 'c', 'F', 'd']);
  assert.deepEqual(order(['b<a', 'a', 'c<b']), ['a', 'b', 'c']);
});

test('a parent that never comes: the file’s order, once the file ends', () => {
  assert.deepEqual(order(['b<gone', 'c<b', 'M', 'd<c']), ['b', 'c', 'M', 'd']);
});

test('a parent that never comes: its line and those after it wait for at most 500 lines, then go in the file’s order', () => {
  const specs = ['b<gone', ...Array.from({ length: 600 }, (_, i) => `x${i}<${i === 0 ? 'b' : `x${i - 1}`}`)];
  const out: string[] = [];
  const reader = new ParentOrder<string>((value) => out.push(value));
  for (const spec of specs.slice(0, 400)) reader.push(line(spec));
  assert.deepEqual(out, [], 'waiting for the parent');
  for (const spec of specs.slice(400)) reader.push(line(spec));
  assert.deepEqual(
    out,
    specs.map((spec) => spec.split('<')[0]),
    'released before the file ends, in its order',
  );
});

test('a line that starts a chain of its own (no parent) does not wait behind lines that do', () => {
  assert.deepEqual(order(['b<a', 'M', 'a', 'N']), ['a', 'b', 'M', 'N']);
});

test('a file whose parents are all missing comes out whole, in its order', () => {
  const specs = Array.from({ length: 2000 }, (_, i) => (i % 3 === 2 ? `M${i}` : `x${i}<gone${i}`));
  assert.deepEqual(
    order(specs),
    specs.map((spec) => spec.split('<')[0]),
  );
});
