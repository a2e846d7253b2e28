import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as v from 'valibot';
import { compileSchema, INVALID } from '../../../src/sources/compiled-schema.ts';
import * as lines from '../../../src/sources/stream-json/line-schemas.ts';
import * as tasks from '../../../src/sources/stream-json/task-messages.ts';

// The compiled line schemas must say what valibot says: the same lines pass, with the same
// output. Checked on every recorded stream-json line, and on each of them with every field (to
// three levels down) removed or replaced by a value of another type.

const SCHEMAS: Record<string, v.GenericSchema> = {
  INIT_LINE: lines.INIT_LINE,
  API_RETRY_LINE: lines.API_RETRY_LINE,
  COMPACT_BOUNDARY_LINE: lines.COMPACT_BOUNDARY_LINE,
  ASSISTANT_LINE: lines.ASSISTANT_LINE,
  USER_LINE: lines.USER_LINE,
  STREAM_EVENT_LINE: lines.STREAM_EVENT_LINE,
  RESULT_LINE: lines.RESULT_LINE,
  PERMISSION_REQUEST_LINE: lines.PERMISSION_REQUEST_LINE,
  TASK_STARTED_LINE: tasks.TASK_STARTED_LINE,
  TASK_UPDATED_LINE: tasks.TASK_UPDATED_LINE,
  TASK_NOTIFICATION_LINE: tasks.TASK_NOTIFICATION_LINE,
};

const dir = new URL('../../fixtures/streams/', import.meta.url);
function recordedLines(): unknown[] {
  const out: unknown[] = [];
  for (const sub of ['', 'formats/', 'sdk/']) {
    for (const name of readdirSync(new URL(sub, dir))) {
      if (!name.endsWith('.jsonl')) continue;
      for (const text of readFileSync(new URL(sub + name, dir), 'utf8').split('\n')) {
        try {
          out.push(JSON.parse(text));
        } catch {
          // Not JSON: the compiled schemas never see such a line.
        }
      }
    }
  }
  return out;
}

/**
 * What a value is to a schema: its fields, their types, and the words among its strings (kinds,
 * subtypes, stop reasons). Lines of one shape are mangled once, not once per recording.
 */
function shape(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(shape).join(',')}]`;
  if (typeof value === 'object' && value !== null)
    return `{${Object.entries(value)
      .map(([key, field]) => `${key}:${shape(field)}`)
      .join(',')}}`;
  if (typeof value === 'string') return /^[a-z_]{1,40}$/.test(value) ? JSON.stringify(value) : `s${value.length === 0 ? '0' : ''}`;
  if (typeof value === 'number') return Number.isInteger(value) ? (value < 0 ? 'i-' : 'i') : 'f';
  return String(value);
}

const REPLACEMENTS: unknown[] = [null, 0, -1, Number.POSITIVE_INFINITY, '', 'x', true, false, [], [1, 'a', null], {}, { type: 'text' }];

/** The value with the field at `path` replaced (or removed, for `undefined`). */
function mangled(value: unknown, path: string[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  if (typeof value !== 'object' || value === null) return value;
  const [key, ...rest] = path as [string, ...string[]];
  if (Array.isArray(value)) {
    const copy: unknown[] = [...value];
    const at = Number(key);
    if (rest.length === 0 && replacement === undefined) copy.splice(at, 1);
    else copy[at] = mangled(copy[at], rest, replacement);
    return copy;
  }
  const copy: Record<string, unknown> = { ...value };
  if (rest.length === 0 && replacement === undefined) delete copy[key];
  else copy[key] = mangled(copy[key], rest, replacement);
  return copy;
}

function paths(value: unknown, depth: number, prefix: string[] = []): string[][] {
  if (depth === 0 || typeof value !== 'object' || value === null) return [];
  const out: string[][] = [];
  for (const key of Object.keys(value)) {
    out.push([...prefix, key]);
    out.push(...paths(Reflect.get(value, key), depth - 1, [...prefix, key]));
  }
  return out;
}

function agree(name: string, schema: v.GenericSchema, compiled: (value: unknown) => unknown, value: unknown): void {
  const expected = v.safeParse(schema, value);
  const actual = compiled(value);
  if (!expected.success) {
    assert.equal(actual, INVALID, `${name} passes what valibot refuses: ${JSON.stringify(value)?.slice(0, 300)}`);
    return;
  }
  assert.notEqual(actual, INVALID, `${name} refuses what valibot passes: ${JSON.stringify(value)?.slice(0, 300)}`);
  assert.deepEqual(actual, expected.output, `${name} reads differently: ${JSON.stringify(value)?.slice(0, 300)}`);
}

test('the compiled line schemas pass and read every recorded line as valibot does, and every mangled one', () => {
  const values = recordedLines();
  assert.ok(values.length > 400);
  let passed = 0;
  for (const [name, schema] of Object.entries(SCHEMAS)) {
    const compiled = compileSchema(schema);
    const mangledShapes = new Set<string>();
    for (const value of values) {
      agree(name, schema, compiled, value);
      // Mangled, each line is tried on the schema of its kind.
      if (compiled(value) === INVALID) continue;
      passed++;
      if (mangledShapes.has(shape(value))) continue;
      mangledShapes.add(shape(value));
      for (const path of paths(value, 3))
        for (const replacement of [undefined, ...REPLACEMENTS]) agree(name, schema, compiled, mangled(value, path, replacement));
    }
  }
  // Most recorded lines are of a kind some schema reads.
  assert.ok(passed > 300, `only ${passed} recorded lines passed a schema`);
});

test('a compiled schema refuses, when it is compiled, a kind of schema it has no code for', () => {
  assert.throws(() => compileSchema(v.object({ at: v.date() })), /no code for a schema of type date/);
  assert.throws(() => compileSchema(v.pipe(v.string(), v.email())), /no code for a pipe's email/);
});
