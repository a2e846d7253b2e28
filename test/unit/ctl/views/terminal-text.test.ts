import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withoutControlChars, withoutControlCharsDeep } from '../../../../src/ctl/views/terminal-text.ts';
import { escapeHtml } from '../../../../src/ctl/render/html/html-escape.ts';

test('C0 and C1 controls and DEL go; tab, newline and ordinary text stay', () => {
  assert.equal(withoutControlChars('a\u001b[2Jb\u001b]0;title\u0007c\u009b31md\u007fe\r\n\tf'), 'a[2Jb]0;titlec31mde\n\tf');
  assert.equal(withoutControlChars('plain ünïcode → ok'), 'plain ünïcode → ok');
  assert.equal(withoutControlChars('\u0000\u0008\u000b\u000c\u001f\u0080\u009f'), '');
});

test('every string of a stored value, keys included, is cleaned; other values are left as they are', () => {
  assert.deepEqual(withoutControlCharsDeep({ 'k\u001b': ['x\u0007', 1, true, null, { y: 'z\u009b' }] }), { k: ['x', 1, true, null, { y: 'z' }] });
});

test('the HTML report escapes as before and drops control characters', () => {
  assert.equal(escapeHtml('<b title="x">\u001b]52;c;Zm9v\u0007&\'</b>'), '&lt;b title=&quot;x&quot;&gt;]52;c;Zm9v&amp;&#39;&lt;/b&gt;');
});

test('bidi overrides, isolates and marks and zero-width characters go; a joiner inside an emoji sequence stays', () => {
  const bidi = 'a\u202ab\u202bc\u202cd\u202de\u202ef\u2066g\u2067h\u2068i\u2069j\u200ek\u200fl';
  assert.equal(withoutControlChars(bidi), 'abcdefghijkl');
  assert.equal(withoutControlChars('ad\u200bmin\u200c \ufeffroot\u2060 x\u200dy'), 'admin root xy');
  assert.equal(withoutControlChars('family 👨\u200d👩\u200d👧 ok'), 'family 👨\u200d👩\u200d👧 ok');
  assert.equal(withoutControlChars('👍🏽\u200d🔥'), '👍🏽\u200d🔥');
  assert.equal(withoutControlChars('\u200d👨'), '👨');
  assert.equal(withoutControlChars('👨\u200d'), '👨');
  assert.equal(escapeHtml('<i>\u202eevil</i>'), '&lt;i&gt;evil&lt;/i&gt;');
});
