import assert from 'node:assert/strict';

// claude's stream-json output as the tests read it: one JSON object per line, each line ended.

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The objects of a stream-json output, asserting that every line is one and the output ends with a newline. */
export function parseLines(stdout: Buffer): Json[] {
  const text = stdout.toString('utf8');
  assert.ok(text.endsWith('\n'), 'stream-json output ends with a newline');
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => {
      const value: unknown = JSON.parse(line);
      assert.ok(isRecord(value), `line is an object: ${line.slice(0, 80)}`);
      return value;
    });
}
