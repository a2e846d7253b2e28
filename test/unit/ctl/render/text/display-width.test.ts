import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clipToWidth, displayWidth, padToWidth, wrapToWidth } from '../../../../../src/ctl/render/text/display-width.ts';

test('display width: ASCII one column each, CJK and fullwidth two, emoji two, combining marks and joiners none', () => {
  assert.equal(displayWidth('hello'), 5);
  assert.equal(displayWidth('テストを直して'), 14);
  assert.equal(displayWidth('한국어'), 6);
  assert.equal(displayWidth('ＡＢ'), 4);
  assert.equal(displayWidth('ok 🎉'), 5);
  assert.equal(displayWidth('👨‍👩‍👧'), 2, 'a ZWJ family is one emoji');
  assert.equal(displayWidth('👍🏽'), 2, 'a skin tone modifier joins its emoji');
  assert.equal(displayWidth('🇯🇵'), 2, 'a flag');
  assert.equal(displayWidth('❤️'), 2, 'text symbol with emoji presentation selector');
  assert.equal(displayWidth('e\u0301'), 1, 'a combining accent takes no column');
  assert.equal(displayWidth('a\u200bb'), 2);
  assert.equal(displayWidth('\u001b[31mテスト\u001b[39m'), 6, 'colour codes take no room');
  assert.equal(displayWidth('├ └ │ █ · … ✗ ◆'), 15);
});

test('clipping cuts between characters by width and ends with an ellipsis', () => {
  assert.equal(clipToWidth('short', 10), 'short');
  assert.equal(clipToWidth('テストを直して', 8), 'テスト…');
  assert.equal(displayWidth(clipToWidth('テストを直して', 8)), 7, 'a wide character that does not fit is left out, not halved');
  assert.equal(clipToWidth('go 🎉🎉🎉', 6), 'go 🎉…');
  assert.equal(clipToWidth('👨‍👩‍👧👨‍👩‍👧', 3), '👨‍👩‍👧…', 'a ZWJ sequence is never split');
  assert.equal(clipToWidth('cafe\u0301 au lait', 5), 'cafe\u0301…', 'the accent stays on its letter');
  assert.equal(clipToWidth('two\nlines', 20), 'two lines');
  assert.equal(clipToWidth('abc', 0), '');
  for (let width = 1; width <= 14; width += 1) assert.ok(displayWidth(clipToWidth('日本語のプロンプト🎉です', width)) <= width, `width ${width}`);
});

test('padding by display width', () => {
  assert.equal(padToWidth('日本', 6), '日本  ');
  assert.equal(padToWidth('日本', 6, true), '  日本');
  assert.equal(padToWidth('toolong', 3), 'toolong');
});

test('wrapping breaks at spaces, never inside a word that fits a line', () => {
  assert.deepEqual(wrapToWidth('started 2026-11-21 09:45:54 · print · claude-opus-4-8', 30), ['started 2026-11-21 09:45:54 ·', 'print · claude-opus-4-8']);
  assert.deepEqual(wrapToWidth('fits', 10), ['fits']);
  for (const line of wrapToWidth('prompt: 日本語 の プロンプト', 12)) assert.ok(displayWidth(line) <= 12, line);
  assert.deepEqual(wrapToWidth('prompt: 日本語 の プロンプト', 14), ['prompt: 日本語', 'の プロンプト']);
  assert.deepEqual(wrapToWidth('see https://example.com/a/very/long/path ok', 12), ['see', 'https://exam', 'ple.com/a/ve', 'ry/long/path', 'ok']);
  assert.deepEqual(wrapToWidth('\u001b[2mprompt: one two\u001b[22m', 10), ['\u001b[2mprompt:', 'one two\u001b[22m']);
});
