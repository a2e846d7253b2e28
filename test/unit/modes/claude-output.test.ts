import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ClaudeOutput } from '../../../src/modes/claude-output.ts';
import type { PrintLaunch } from '../../../src/modes/print-launch.ts';
import type { PrintRun, SdkRun } from '../../../src/launch/session-kind.ts';
import type { DebugLog, Level } from '../../../src/debug-log.ts';

// What the caller reads of claude's output: its bytes when claude got the caller's arguments,
// the caller's format rebuilt from stream-json otherwise, and claude slowed down by a slow reader.

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/streams/formats/${name}`, import.meta.url), 'utf8');
const lines = (name: string) => fixture(name).trimEnd().split('\n');

const textRun: PrintRun = { kind: 'print', outputFormat: 'text', verbose: false, includePartialMessages: false };

interface FakeLaunch {
  rewritten: string[] | undefined;
  pauses: number;
  resumes: number;
  pauseStdout(): void;
  resumeStdout(): void;
}

function fakeLaunch(rewritten: string[] | undefined): FakeLaunch {
  return {
    rewritten,
    pauses: 0,
    resumes: 0,
    pauseStdout() {
      this.pauses += 1;
    },
    resumeStdout() {
      this.resumes += 1;
    },
  };
}

function recordingLog(): DebugLog & { records: { level: Level; message: string }[] } {
  const records: { level: Level; message: string }[] = [];
  return { records, log: (level, message) => records.push({ level, message }), close: async () => {} };
}

/** A ClaudeOutput whose writes are collected (each accepted at once). */
function harness(run: PrintRun | SdkRun, rewritten: string[] | undefined) {
  const written: (string | Uint8Array)[] = [];
  const launch = fakeLaunch(rewritten);
  const debugLog = recordingLog();
  const output = new ClaudeOutput({
    run,
    launch: launch as unknown as PrintLaunch,
    write: async (chunk) => {
      written.push(chunk);
    },
    debugLog,
  });
  const text = () => Buffer.concat(written.map((c) => (typeof c === 'string' ? Buffer.from(c) : Buffer.from(c)))).toString('utf8');
  /** Each line as the splitter hands it on, with its newline. */
  const feed = (all: string[]) => all.map((line) => output.line(line, true, () => Buffer.from(line)));
  return { output, written, launch, debugLog, text, feed };
}

test("with the caller's own arguments, claude's chunks go out as they came and lines are only parsed", () => {
  const h = harness(textRun, undefined);
  assert.equal(h.output.passBytes, true);
  const chunk = Buffer.from([0x7b, 0xff, 0xfe, 0x0a]);
  h.output.chunk(chunk);
  assert.deepEqual(h.written, [chunk]);
  const [init] = lines('multiline.stream-json-verbose.jsonl');
  const parsed = h.output.line(init ?? '', true, () => assert.fail('a passed line is never asked for its bytes'));
  assert.equal(parsed?.message.type, 'init');
  assert.equal(
    h.output.line('not json', true, () => Buffer.from('not json')),
    undefined,
  );
  h.output.end();
  assert.equal(h.written.length, 1, 'lines and the end write nothing more');
});

test('when claude was asked for stream-json, the text the caller asked for is rebuilt line by line', () => {
  const h = harness(textRun, ['--output-format', 'stream-json']);
  assert.equal(h.output.passBytes, false);
  h.output.chunk(Buffer.from('{"type":"system"}\n'));
  assert.deepEqual(h.written, [], 'raw chunks are not passed on');
  const parsed = h.feed(lines('multiline.stream-json-verbose.jsonl'));
  h.output.end();
  assert.deepEqual(
    parsed.map((p) => p?.message.type),
    ['init', 'assistant', 'result'],
  );
  assert.equal(h.text(), fixture('multiline.text.txt'));
});

test('json output is written once the output ends', () => {
  const run: PrintRun = { ...textRun, outputFormat: 'json' };
  const h = harness(run, ['--output-format', 'stream-json']);
  h.feed(lines('multiline.stream-json-verbose.jsonl'));
  assert.equal(h.text(), '');
  h.output.end();
  const out = h.text();
  assert.ok(out.endsWith('\n'));
  const result = JSON.parse(out) as Record<string, unknown>;
  assert.equal(result.type, 'result');
  assert.equal(result.result, 'line one\nline two\n');
  assert.equal(result.session_id, '79e93cc9-0cea-4e73-b593-179f669213c8');
});

test('a line that is not stream-json goes out as its bytes, not their decoding', () => {
  const h = harness(textRun, ['--output-format', 'stream-json']);
  const bytes = Buffer.from([0x6f, 0x6b, 0xff, 0x21]);
  assert.equal(
    h.output.line(bytes.toString('utf8'), true, () => bytes),
    undefined,
  );
  assert.deepEqual(
    h.written.map((c) => Buffer.from(c)),
    [bytes, Buffer.from('\n')],
  );
  // The last line, without its newline, gets none.
  h.output.line('tail', false, () => Buffer.from('tail'));
  assert.equal(Buffer.from(h.written.at(-1) ?? '').toString(), 'tail');
  assert.equal(h.written.length, 3);
});

test("a last JSON line cut short is never printed: the turn's last answer is", () => {
  const h = harness(textRun, ['--output-format', 'stream-json']);
  const [init, assistant, result] = lines('multiline.stream-json-verbose.jsonl');
  h.feed([init ?? '', assistant ?? '']);
  assert.equal(h.text(), '');
  h.output.line((result ?? '').slice(0, 40), false, () => assert.fail('a cut JSON line is not written as bytes'));
  h.output.end();
  assert.equal(h.text(), 'line one\nline two\n');
});

test('a cut-short line with no answer before it writes nothing', () => {
  const h = harness(textRun, ['--output-format', 'stream-json']);
  const [init] = lines('multiline.stream-json-verbose.jsonl');
  h.feed([init ?? '']);
  h.output.line('{"type":"assistant","mess', false, () => Buffer.from('{"type":"assistant","mess'));
  h.output.end();
  assert.equal(h.text(), '');
});

test("in SDK mode the partial messages the wrapper added are kept from the caller; claude's own lines go out as their bytes", () => {
  const run: SdkRun = { kind: 'sdk', outputFormat: 'stream-json', verbose: true, includePartialMessages: false };
  const h = harness(run, ['--include-partial-messages']);
  const all = lines('three-tools.stream-json-verbose-partial.jsonl');
  const parsed = h.feed(all);
  assert.ok(parsed.every((p) => p !== undefined));
  const out = h.text().trimEnd().split('\n');
  assert.ok(out.length > 0 && out.length < all.length);
  assert.ok(out.every((line) => !line.startsWith('{"type":"stream_event"')));
  assert.equal(out[0], all[0]);
});

test('an oversize line is passed through and reported once, however many pieces it comes in', () => {
  const h = harness(textRun, ['--output-format', 'stream-json']);
  h.output.oversize(Buffer.from('aaaa'), false);
  h.output.oversize(Buffer.from('bbbb'), true);
  assert.equal(h.text(), 'aaaabbbb\n');
  assert.equal(h.debugLog.records.filter((r) => r.level === 'warn').length, 1);
  h.output.oversize(Buffer.from('cccc'), true);
  assert.equal(h.debugLog.records.filter((r) => r.level === 'warn').length, 2, 'the next oversize line is reported again');
});

test("with the caller's arguments an oversize piece was already written with its chunk", () => {
  const h = harness(textRun, undefined);
  h.output.oversize(Buffer.from('aaaa'), true);
  assert.deepEqual(h.written, []);
  assert.equal(h.debugLog.records.length, 1);
});

test("backpressure: claude's stdout pauses above 1 MiB unwritten and resumes once at most 256 KiB is left", async () => {
  const launch = fakeLaunch(undefined);
  const pending: (() => void)[] = [];
  const output = new ClaudeOutput({
    run: textRun,
    launch: launch as unknown as PrintLaunch,
    write: () => new Promise<void>((resolve) => pending.push(resolve)),
    debugLog: recordingLog(),
  });
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
  const KiB = 1024;
  output.chunk(Buffer.alloc(512 * KiB));
  output.chunk(Buffer.alloc(512 * KiB));
  assert.equal(launch.pauses, 0, 'exactly 1 MiB unwritten is not over the mark');
  output.chunk(Buffer.alloc(200 * KiB));
  assert.equal(launch.pauses, 1);
  output.chunk(Buffer.alloc(10 * KiB));
  assert.equal(launch.pauses, 1, 'paused once');
  let allWritten = false;
  void output.written().then(() => (allWritten = true));

  pending[0]?.();
  await turn();
  assert.equal(launch.resumes, 0, '722 KiB still unwritten');
  pending[1]?.();
  await turn();
  assert.equal(launch.resumes, 1, '210 KiB left');
  assert.equal(allWritten, false, 'two writes are still not taken');
  pending[2]?.();
  pending[3]?.();
  await output.written();
  assert.equal(allWritten, true);
  assert.equal(launch.resumes, 1);
  assert.equal(launch.pauses, 1);
});
