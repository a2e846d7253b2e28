import { test } from 'node:test';
import assert from 'node:assert/strict';
import { oneLine, withoutControlChars, withoutControlCharsDeep } from '../../../../src/ctl/views/terminal-text.ts';
import { renderTable } from '../../../../src/ctl/render/text/text-table.ts';
import { wrapToWidth } from '../../../../src/ctl/render/text/display-width.ts';
import { buildWaterfall } from '../../../../src/ctl/views/waterfall.ts';
import { renderTerminalWaterfall } from '../../../../src/ctl/render/text/terminal-waterfall.ts';
import { makeStyle } from '../../../../src/ctl/render/text/terminal-style.ts';
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

test('line breaks and tabs in stored text never reach a table cell, a header line or a waterfall label', () => {
  const hostile = 'main\nfake row\r\n\u2028x\u2029y\u0085z\tq\v\f';
  assert.equal(oneLine(hostile), 'main fake row x y z q ');
  const table = renderTable([{ header: 'id\nx' }, { header: 'branch' }], [['abc', hostile]]);
  assert.equal(table.split('\n').length, 3, table);
  assert.doesNotMatch(table, /[\t\r\u0085\u2028\u2029]/);
  for (const line of wrapToWidth(`branch ${hostile} and more words`, 12)) assert.doesNotMatch(line, /[\t\n\r\u0085\u2028\u2029]/);
  const span = { traceId: 't', spanId: 's', parentSpanId: '', name: 'execute_tool Bash', kind: 1, startMs: 0, endMs: 1, statusCode: 0 };
  const tree = buildWaterfall([{ ...span, attributes: { 'gen_ai.tool.name': 'Ba\nsh', 'claude.tool.input_summary': 'make\ntest' } }]);
  const text = renderTerminalWaterfall(tree, { width: 100, style: makeStyle(false) });
  assert.equal(text.split('\n').length, 3, text);
});
