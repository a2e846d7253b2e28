import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { printMode } from '../../../src/modes/print-run.ts';
import type { PrintRun } from '../../../src/launch/session-kind.ts';
import { fakeClaude, settled, streamRunOptions } from './fakes.ts';

// Print mode's one prompt: the argument, what stdin held, or both joined by a newline.

const run = (promptArg?: string): PrintRun => ({
  kind: 'print',
  outputFormat: 'text',
  verbose: false,
  includePartialMessages: false,
  ...(promptArg !== undefined ? { promptArg } : {}),
});

test('the prompt argument alone is the prompt', () => {
  const claude = fakeClaude();
  const mode = printMode(streamRunOptions(run('explain this'), { kind: 'terminal' }), run('explain this'), claude);
  assert.equal(mode.readerOptions().promptText, 'explain this');
});

test("runClaude()'s data is claude's stdin, and the prompt less one trailing newline", async () => {
  const claude = fakeClaude();
  const mode = printMode(streamRunOptions(run(), { kind: 'data', data: 'from stdin\n\n' }), run(), claude);
  assert.equal(mode.readerOptions().promptText, 'from stdin\n');
  await settled();
  assert.equal(claude.received(), 'from stdin\n\n');
  assert.equal(claude.stdin.writableEnded, true);
});

test('an argument and data are joined by a newline, the argument first', () => {
  const claude = fakeClaude();
  const mode = printMode(streamRunOptions(run('summarise'), { kind: 'data', data: Buffer.from('the text\n') }), run('summarise'), claude);
  assert.equal(mode.readerOptions().promptText, 'summarise\nthe text');
});

test('no argument and empty data: no prompt text', () => {
  const mode = printMode(streamRunOptions(run(), { kind: 'data', data: '' }), run(), fakeClaude());
  assert.equal('promptText' in mode.readerOptions(), false);
});

test("piped stdin goes to claude as it comes; the prompt is what it held when claude's first line arrived", async () => {
  const claude = fakeClaude();
  const from = new PassThrough();
  const mode = printMode(streamRunOptions(run('review'), { kind: 'tee', from: from as unknown as NodeJS.ReadStream }), run('review'), claude);
  from.write('diff --git a b\n');
  await settled();
  assert.equal(claude.received(), 'diff --git a b\n');
  assert.equal(mode.readerOptions().promptText, 'review\ndiff --git a b');
  mode.claudeExited();
  from.write('late\n');
  await settled();
  assert.equal(claude.received(), 'diff --git a b\n', 'stdin is no longer read once claude has exited');
});

test('resume arguments, content capture and the start time reach the reader; a slow telemetry start has its grace', () => {
  const id = '18d2b661-71ac-49d2-8ce5-ee2a816ebbcf';
  const options = { ...streamRunOptions(run('go on'), { kind: 'terminal' }, ['-p', '--resume', id, 'go on']), captureContent: true };
  const mode = printMode(options, run('go on'), fakeClaude());
  const reader = mode.readerOptions();
  assert.deepEqual(reader.resume, { resumeId: id, continued: false, fork: false });
  assert.equal(reader.captureContent, true);
  assert.equal(reader.startTime, 1000);
  assert.ok(mode.loadGraceMs > 0);
  assert.equal('resume' in printMode(streamRunOptions(run('x'), { kind: 'terminal' }, ['-p', 'x']), run('x'), fakeClaude()).readerOptions(), false);
});
