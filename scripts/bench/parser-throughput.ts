import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineSplitter } from '../../src/sources/stream-json/line-splitter.ts';
import { readLine } from '../../src/sources/stream-json/read-line.ts';
import { PrintOutput } from '../../src/sources/stream-json/print-output.ts';
import { StreamSessionReader } from '../../src/session/from-stream.ts';
import { median } from './stats.ts';
import { countForeignCpu, disturbed } from './foreign-cpu.ts';

// The per-line work of a print-mode session (src/modes/print-run.ts), in process: split
// claude's stdout into lines, parse each, rebuild the text output, turn it into session
// events. The input is every recorded stream-json session in test/fixtures/streams, repeated;
// each copy is one session (its own splitter, output and reader), fed in pipe-sized chunks.

const STREAMS_DIR = fileURLToPath(new URL('../../test/fixtures/streams/', import.meta.url));
/** What a pipe hands node in one read. */
const CHUNK_BYTES = 65_536;

export interface ParserResult {
  recordings: number;
  sessions: number;
  lines: number;
  bytes: number;
  events: number;
  passMs: number[];
  /** Passes run again because other work on the machine took a real share of the CPU meanwhile. */
  rerun: number;
  linesPerSecond: number;
  megabytesPerSecond: number;
}

function isSessionStream(text: string): boolean {
  try {
    const first: unknown = JSON.parse(text.slice(0, text.indexOf('\n')));
    return typeof first === 'object' && first !== null && Reflect.get(first, 'type') === 'system' && Reflect.get(first, 'subtype') === 'init';
  } catch {
    return false;
  }
}

async function recordedStreams(): Promise<Buffer[]> {
  const files: string[] = [];
  for (const dir of [STREAMS_DIR, join(STREAMS_DIR, 'formats')]) {
    for (const name of (await readdir(dir)).sort()) if (name.endsWith('.jsonl')) files.push(join(dir, name));
  }
  const streams: Buffer[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    if (isSessionStream(text)) streams.push(Buffer.from(text));
  }
  return streams;
}

function countLines(buffer: Buffer): number {
  let n = 0;
  for (let i = buffer.indexOf(10); i !== -1; i = buffer.indexOf(10, i + 1)) n++;
  return n;
}

/** One session's stdout, through what print-run.ts does with every line. */
function readSession(stdout: Buffer): { events: number; written: number } {
  const splitter = new LineSplitter();
  const output = new PrintOutput({ format: 'text', verbose: false, userPartialMessages: false });
  const reader = new StreamSessionReader({ startTime: Date.now(), promptText: 'go' });
  let events = 0;
  let written = 0;
  const onLine = (line: string, newline: boolean) => {
    const { text, parsed } = readLine(output, line, newline);
    written += text.length;
    if (parsed === undefined) return;
    events += reader.push(parsed.message, Date.now()).length;
  };
  for (let offset = 0; offset < stdout.length; offset += CHUNK_BYTES)
    splitter.push(stdout.subarray(offset, offset + CHUNK_BYTES), onLine, (piece) => (written += piece.length));
  splitter.end(onLine);
  events += reader.finish({ time: Date.now(), exitCode: 0, interrupted: false }).length;
  return { events, written };
}

export async function measureParser(options: { targetLines: number; passes: number }): Promise<ParserResult> {
  const recordings = await recordedStreams();
  if (recordings.length === 0) throw new Error('no recorded stream-json sessions in test/fixtures/streams');
  const sessions: Buffer[] = [];
  let lines = 0;
  let bytes = 0;
  while (lines < options.targetLines) {
    for (const recording of recordings) {
      sessions.push(recording);
      lines += countLines(recording);
      bytes += recording.length;
    }
  }
  const pass = (): { ms: number; events: number } => {
    const started = performance.now();
    let events = 0;
    for (const session of sessions) events += readSession(session).events;
    return { ms: performance.now() - started, events };
  };
  // The first pass warms the JIT, as the first sessions of a long-lived process would.
  const { events } = pass();
  const passMs: number[] = [];
  // A pass during which other work took a real share of the 2 cores (the garbage collector's
  // threads need one) is run again, up to as many times as there are passes, as the session rows do.
  let rerun = 0;
  while (passMs.length < options.passes) {
    const foreign = countForeignCpu();
    const { ms } = pass();
    if (disturbed(foreign(), ms) && rerun < options.passes) {
      rerun += 1;
      continue;
    }
    passMs.push(ms);
  }
  const ms = median(passMs);
  return {
    recordings: recordings.length,
    sessions: sessions.length,
    lines,
    bytes,
    events,
    passMs,
    rerun,
    linesPerSecond: (lines / ms) * 1000,
    megabytesPerSecond: (bytes / 1_048_576 / ms) * 1000,
  };
}
