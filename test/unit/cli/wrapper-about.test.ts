import { test } from 'node:test';
import assert from 'node:assert/strict';
import { helpText } from '../../../src/cli/wrapper-about.ts';
import { WRAPPER_SETTINGS } from '../../../src/config/settings-list.ts';

/** The lines of --otel-help's settings table, by the name they start with. */
function settingRows(): Map<string, string[]> {
  const lines = helpText().split('\n');
  const table = lines.slice(lines.indexOf('Settings (environment variables):') + 1);
  const rows = new Map<string, string[]>();
  for (const line of table.slice(0, table.indexOf(''))) {
    const [name = '', ...rest] = line.trim().split(/\s{2,}/);
    rows.set(name, [...(rows.get(name) ?? []), rest.join(' ')]);
  }
  return rows;
}

test('--otel-help lists every setting once, with one line each, and nothing else', () => {
  const rows = settingRows();
  assert.deepEqual(
    [...rows.keys()],
    WRAPPER_SETTINGS.map((s) => s.name),
  );
  for (const [name, lines] of rows) assert.equal(lines.length, 1, name);
  assert.deepEqual(rows.get('CLAUDE_OTEL_DEPTH')?.length, 1);
});

test("--otel-help names the caller's trace context variables one by one", () => {
  const rows = settingRows();
  for (const name of ['TRACEPARENT', 'TRACESTATE', 'BAGGAGE']) assert.match(rows.get(name)?.[0] ?? '', /^the caller's W3C /, name);
});

test('--otel-help says where prompt text goes: a preview on spans, all of it on the log record only with full', () => {
  const [line = ''] = settingRows().get('CLAUDE_OTEL_LOG_PROMPTS') ?? [];
  assert.match(line, /preview \(120 characters, on spans\)/);
  assert.match(line, /full \(also all of it, on its log record\)/);
});
