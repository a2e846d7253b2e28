import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineSplitter } from '../../../../src/sources/stream-json/line-splitter.ts';

function split(chunks: (string | Buffer)[]): [string, boolean][] {
  const out: [string, boolean][] = [];
  const splitter = new LineSplitter();
  const onLine = (line: string, nl: boolean) => out.push([line, nl]);
  for (const chunk of chunks) splitter.push(Buffer.from(chunk), onLine, () => assert.fail('no line here is over the cap'));
  splitter.end(onLine);
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

test('bytes that are not UTF-8 come back exactly as they came', () => {
  const bytes = Buffer.from([0x61, 0xff, 0xfe, 0x0a, 0xc3, 0x28, 0x0a, 0x80]);
  const lines: Buffer[] = [];
  const texts: string[] = [];
  const splitter = new LineSplitter();
  const onLine = (text: string) => {
    texts.push(text);
    // Copied: the bytes are the chunk's, and only valid during the call.
    lines.push(Buffer.from(splitter.lineBytes()));
  };
  splitter.push(bytes.subarray(0, 2), onLine, () => assert.fail('no line here is over the cap'));
  splitter.push(bytes.subarray(2), onLine, () => assert.fail('no line here is over the cap'));
  splitter.end(onLine);
  assert.deepEqual(
    lines.map((l) => [...l]),
    [[0x61, 0xff, 0xfe], [0xc3, 0x28], [0x80]],
  );
  assert.deepEqual(texts, ['a\uFFFD\uFFFD', '\uFFFD(', '\uFFFD']);
  assert.equal(splitter.lineBytes().length, 0, 'no line is at hand outside the call');
});

test('the bytes at hand are those of the line being handed on, in one chunk or across several', () => {
  const splitter = new LineSplitter();
  const seen: [string, string][] = [];
  const onLine = (text: string) => seen.push([text, splitter.lineBytes().toString('hex')]);
  splitter.push(Buffer.from('one\ntw'), onLine, () => assert.fail('no line here is over the cap'));
  splitter.push(Buffer.from('o\nthree'), onLine, () => assert.fail('no line here is over the cap'));
  splitter.end(onLine);
  assert.deepEqual(seen, [
    ['one', Buffer.from('one').toString('hex')],
    ['two', Buffer.from('two').toString('hex')],
    ['three', Buffer.from('three').toString('hex')],
  ]);
});

test('a line over the cap is handed on in pieces, byte for byte, and the lines around it stay whole', () => {
  const splitter = new LineSplitter(10);
  const lines: string[] = [];
  const pieces: [string, boolean][] = [];
  const onLine = (l: string, nl: boolean) => lines.push(`${l}${nl ? '|' : ''}`);
  const onOversize = (p: Buffer, nl: boolean) => pieces.push([p.toString(), nl]);
  for (const chunk of ['short\n0123', '456789', 'abcdef', 'gh\nnext\n', 'tail']) splitter.push(Buffer.from(chunk), onLine, onOversize);
  splitter.end(onLine);
  assert.deepEqual(lines, ['short|', 'next|', 'tail']);
  assert.equal(pieces.map(([p]) => p).join(''), '0123456789abcdefgh');
  assert.deepEqual(pieces.at(-1), ['gh', true]);
  assert.ok(pieces.slice(0, -1).every(([, nl]) => !nl));
});

test('a line over the cap that ends the stream without a newline is not handed on twice', () => {
  const splitter = new LineSplitter(4);
  const pieces: string[] = [];
  splitter.push(
    Buffer.from('abcdefgh'),
    () => assert.fail('not a whole line'),
    (p) => pieces.push(p.toString()),
  );
  splitter.end(() => assert.fail('already handed on'));
  assert.equal(pieces.join(''), 'abcdefgh');
});
