import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TranscriptReader } from '../../../../src/sources/transcript/transcript-reader.ts';
import { LineSplitter } from '../../../../src/sources/stream-json/line-splitter.ts';
import { forEachLine, openRegularFile } from '../../../../src/sources/transcript/regular-file.ts';
import { scratchDir } from '../../../support/scratch-dir.ts';

// Transcript paths can name anything. A FIFO is never opened in a way that waits for a writer
// (the check runs in a child process with a time limit, since a blocked open would stop this
// one for good); only regular files are read.

const FIXTURE = fileURLToPath(new URL('../../../fixtures/transcripts/subagent-session/', import.meta.url));
const SESSION = '88e41e4f-c656-4b8f-9482-8f0ff3fdbeef';
const AGENT = 'a996928050fc27fe1';
const TSX = import.meta.resolve('tsx');
const SRC = fileURLToPath(new URL('../../../../src/', import.meta.url));

function fifo(path: string): void {
  const made = spawnSync('mkfifo', [path]);
  assert.equal(made.status, 0, String(made.stderr));
}

function runBounded(code: string): { status: number | null; stdout: string; stderr: string; timedOut: boolean } {
  const run = spawnSync(process.execPath, ['--import', TSX, '--input-type=module', '-e', code], { timeout: 15_000, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, timedOut: run.error !== undefined || run.signal !== null };
}

test("a FIFO as the main transcript and as a subagent's (interactive mode): polls return at once, with nothing from them", () => {
  const dir = scratchDir('claude-otel-fifo-');
  const main = join(dir, `${SESSION}.jsonl`);
  fifo(main);
  const subagents = join(dir, SESSION, 'subagents');
  mkdirSync(subagents, { recursive: true });
  fifo(join(subagents, `agent-${AGENT}.jsonl`));
  fifo(join(subagents, `agent-${AGENT}.meta.json`));
  const run = runBounded(`
    import { TranscriptReader } from ${JSON.stringify(join(SRC, 'sources/transcript/transcript-reader.ts'))};
    const update = new TranscriptReader(${JSON.stringify(main)}).poll();
    console.log(JSON.stringify(update));
  `);
  assert.equal(run.timedOut, false, 'the poll did not wait on the FIFO');
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), { calls: [], toolResults: [], apiErrors: [], subagents: [], interrupts: [], compactions: [] });
});

test("a FIFO among the subagent transcripts (print mode's usage reader) is skipped; the regular ones are read", () => {
  const config = scratchDir('claude-otel-fifo-config-');
  const subagents = join(config, 'projects', '-home-user-project', SESSION, 'subagents');
  mkdirSync(subagents, { recursive: true });
  copyFileSync(join(FIXTURE, SESSION, 'subagents', `agent-${AGENT}.jsonl`), join(subagents, `agent-${AGENT}.jsonl`));
  fifo(join(subagents, 'agent-fifo.jsonl'));
  const run = runBounded(`
    import { subagentCalls } from ${JSON.stringify(join(SRC, 'sources/transcript/subagent-usage.ts'))};
    console.log(JSON.stringify([...subagentCalls(${JSON.stringify(config)}, ${JSON.stringify(SESSION)}).keys()]));
  `);
  assert.equal(run.timedOut, false, 'the read did not wait on the FIFO');
  assert.equal(run.status, 0, run.stderr);
  assert.ok((JSON.parse(run.stdout) as string[]).length > 0, 'the regular transcript was read');
});

test('only regular files are opened for reading: not a device, not a directory', () => {
  assert.equal(openRegularFile('/dev/null'), undefined);
  assert.equal(openRegularFile(tmpdir()), undefined);
  assert.equal(openRegularFile(join(tmpdir(), 'no-such-file-here')), undefined);
});

test('a transcript line over the cap is skipped; the lines after it are read', () => {
  const dir = scratchDir('claude-otel-bigline-');
  const path = join(dir, 'lines.jsonl');
  writeFileSync(path, `first\n${'x'.repeat(5000)}\nthird\nunfinished`);
  const seen: string[] = [];
  const fd = openRegularFile(path);
  assert.ok(fd !== undefined);
  forEachLine(path, (line) => seen.push(line.length > 10 ? `long ${line.length}` : line));
  assert.deepEqual(seen, ['first', 'long 5000', 'third', 'unfinished'], 'under the default cap, every line');
  const small = new LineSplitter(100);
  const capped: string[] = [];
  small.push(
    Buffer.from(`first\n${'x'.repeat(5000)}\nthird\n`),
    (l) => capped.push(l),
    () => {},
  );
  assert.deepEqual(capped, ['first', 'third']);
});

test('a big transcript is read in slices, and gives the same calls as a small read', () => {
  const dir = scratchDir('claude-otel-bigtranscript-');
  const path = join(dir, `${SESSION}.jsonl`);
  const text = spawnSync('cat', [join(FIXTURE, `${SESSION}.jsonl`)], { encoding: 'utf8' }).stdout;
  // 3 MB of lines the reader does not use, then the real transcript: more than one slice.
  const filler = `${JSON.stringify({ type: 'progress', pad: 'y'.repeat(1000) })}\n`.repeat(3000);
  writeFileSync(path, filler + text);
  const big = new TranscriptReader(path).poll();
  writeFileSync(path, text);
  const small = new TranscriptReader(path).poll();
  assert.equal(big.calls.length, small.calls.length);
  assert.ok(big.calls.length > 0);
  assert.deepEqual(
    big.calls.map((c) => c.messageId),
    small.calls.map((c) => c.messageId),
  );
});
