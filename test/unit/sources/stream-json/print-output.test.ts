import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { PrintOutput } from '../../../../src/sources/stream-json/print-output.ts';
import type { PrintOutputOptions } from '../../../../src/sources/stream-json/print-output.ts';
import { parseStreamLineValue } from '../../../../src/sources/stream-json/messages.ts';
import { normalizeOutput } from '../../../support/normalize-output.ts';

// Each format fixture is bare claude's stdout for one script; the stream-json fixture of the
// same script (another run) must rebuild it, ids and timings aside.

const dir = new URL('../../../fixtures/streams/formats/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, dir), 'utf8');

function rebuild(streamJson: string, options: PrintOutputOptions): string {
  const output = new PrintOutput(options);
  let out = '';
  const lines = streamJson.split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (const line of lines) out += output.line(line, true, parseStreamLineValue(line));
  return out + output.end();
}

// newest-*: Claude Code 2.1.332 (newest-two-results: a background agent's notification started a second turn).
const scripts = [
  'three-tools',
  'api-error-400',
  'subagent',
  'api-retry-529',
  'max-turns',
  'multiline',
  'unicode-separators',
  'newest-unicode',
  'newest-two-results',
];

for (const script of scripts) {
  const source = existsSync(new URL(`${script}.stream-json-verbose-partial.jsonl`, dir))
    ? read(`${script}.stream-json-verbose-partial.jsonl`)
    : read(`${script}.stream-json-verbose.jsonl`);
  const extra: Partial<PrintOutputOptions> = script === 'max-turns' ? { maxTurns: '1' } : {};

  test(`${script}: text output is rebuilt byte for byte`, () => {
    assert.equal(rebuild(source, { format: 'text', verbose: false, userPartialMessages: false, ...extra }), read(`${script}.text.txt`));
  });
  test(`${script}: json output is rebuilt byte for byte (ids and timings aside)`, () => {
    assert.equal(
      normalizeOutput(rebuild(source, { format: 'json', verbose: false, userPartialMessages: false, ...extra })),
      normalizeOutput(read(`${script}.json.json`)),
    );
  });
  test(`${script}: json --verbose output is rebuilt byte for byte (ids and timings aside)`, () => {
    assert.equal(
      normalizeOutput(rebuild(source, { format: 'json', verbose: true, userPartialMessages: false, ...extra })),
      normalizeOutput(read(`${script}.json-verbose.json`)),
    );
  });
  test(`${script}: stream-json --verbose drops only the lines the wrapper added`, () => {
    assert.equal(
      normalizeOutput(rebuild(source, { format: 'stream-json', verbose: true, userPartialMessages: false, ...extra })),
      normalizeOutput(read(`${script}.stream-json-verbose.jsonl`)),
    );
  });
}

test('junk lines pass through untouched in every format', () => {
  for (const format of ['text', 'json', 'stream-json'] as const) {
    const output = new PrintOutput({ format, verbose: false, userPartialMessages: false });
    assert.equal(output.line('not json {', true, parseStreamLineValue('not json {')), 'not json {\n');
    assert.equal(output.line('tail', false, undefined), 'tail');
  }
});

test('status lines: the `requesting` ones the wrapper’s partial messages add are dropped; a compaction’s are claude’s own and pass', () => {
  const lines = [
    '{"type":"system","subtype":"status","status":"requesting","session_id":"s","uuid":"u1"}',
    '{"type":"system","subtype":"status","status":"compacting","session_id":"s","uuid":"u2"}',
    '{"type":"system","subtype":"status","status":null,"compact_result":"success","session_id":"s","uuid":"u3"}',
  ];
  const options: PrintOutputOptions = { format: 'stream-json', verbose: true, userPartialMessages: false };
  assert.equal(rebuild(`${lines.join('\n')}\n`, options), `${lines.slice(1).join('\n')}\n`);
  assert.equal(rebuild(`${lines.join('\n')}\n`, { ...options, userPartialMessages: true }), `${lines.join('\n')}\n`);
});
