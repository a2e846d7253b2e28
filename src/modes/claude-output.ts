import type { PrintRun, SdkRun } from '../launch/session-kind.ts';
import { MAX_LINE_BYTES } from '../sources/stream-json/line-splitter.ts';
import { readLine } from '../sources/stream-json/read-line.ts';
import { parseStreamLineValue } from '../sources/stream-json/messages.ts';
import type { ParsedLine } from '../sources/stream-json/messages.ts';
import { PrintOutput, printOutputOptions } from '../sources/stream-json/print-output.ts';
import type { PrintOutputOptions } from '../sources/stream-json/print-output.ts';
import type { DebugLog } from '../debug-log.ts';
import type { PrintLaunch } from './print-launch.ts';

// What the caller reads: exactly what bare claude would have written. With the caller's own
// arguments claude's bytes go out as they come; when the wrapper asked claude for stream-json,
// the caller's format is rebuilt line by line. Either way each line is parsed once, here, and
// handed on for the recording. A slow reader of our output slows claude down, as a pipe would.

/** Output written but not yet taken by our reader beyond which claude's stdout is paused, and below which it is read again. */
const OUTPUT_HIGH_WATER = 1024 * 1024;
const OUTPUT_LOW_WATER = 256 * 1024;

export interface ClaudeOutputOptions {
  run: PrintRun | SdkRun;
  launch: PrintLaunch;
  write: (chunk: string | Uint8Array) => Promise<void>;
  debugLog: DebugLog;
}

export class ClaudeOutput {
  /** claude got the caller's own arguments: its stdout already is what they asked for. */
  readonly passBytes: boolean;
  private readonly output: PrintOutput;
  private writing = Promise.resolve();
  private unwritten = 0;
  private paused = false;
  private oversizeReported = false;
  /** The caller's reader has gone: nothing more is written. */
  private closed = false;

  constructor(private readonly options: ClaudeOutputOptions) {
    this.passBytes = options.launch.rewritten === undefined;
    this.output = new PrintOutput(outputOptions(options.run, !this.passBytes));
  }

  /** A chunk of claude's stdout, before its lines are split. */
  chunk(chunk: Buffer): void {
    if (this.passBytes) this.write(chunk);
  }

  /** One line (`lineBytes`: its bytes as claude wrote them); what it means, when it is stream-json. */
  line(line: string, newline: boolean, lineBytes: () => Buffer): ParsedLine | undefined {
    if (this.passBytes) return parseStreamLineValue(line);
    const { text, parsed } = readLine(this.output, line, newline);
    if (parsed === undefined) {
      // A line cut short (claude's output ended mid-line) is a JSON fragment, never an answer.
      const rebuilt = newline ? undefined : this.output.cutShort(line);
      if (rebuilt !== undefined) this.write(rebuilt);
      else {
        // A line that is not stream-json is claude's own: its bytes, not their decoding.
        this.write(lineBytes());
        if (newline) this.write('\n');
      }
    } else if (passedAsItCame(text, line, newline)) {
      // Passed through whole: its bytes, so that bytes that are not UTF-8 stay as they came.
      this.write(lineBytes());
      if (newline) this.write('\n');
    } else this.write(text);
    return parsed;
  }

  /** A piece of a line too long to parse: passed through as it came. */
  oversize(piece: Buffer, newline: boolean): void {
    if (!this.passBytes) {
      this.write(piece);
      if (newline) this.write('\n');
    }
    if (!this.oversizeReported)
      this.options.debugLog.log('warn', `a line of claude's output is over ${MAX_LINE_BYTES / 1024 / 1024} MB: passed through unparsed`);
    this.oversizeReported = !newline;
  }

  /** claude's stdout ended: what the rebuilt format writes last. */
  end(): void {
    const tail = this.output.end();
    if (tail) this.write(tail);
  }

  /** Resolves once the caller's reader has taken everything written. */
  written(): Promise<void> {
    return this.writing;
  }

  private write(chunk: string | Uint8Array): void {
    if (chunk.length === 0 || this.closed) return;
    const size = chunk.length;
    this.unwritten += size;
    const done = this.options.write(chunk).then(
      () => {
        this.unwritten -= size;
        if (this.paused && this.unwritten <= OUTPUT_LOW_WATER) {
          this.paused = false;
          this.options.launch.resumeStdout();
        }
      },
      () => this.readerGone(),
    );
    this.writing = this.writing.then(() => done);
    // Backpressure, as a pipe gives it: claude's stdout is not read on while our reader lags.
    if (!this.paused && this.unwritten > OUTPUT_HIGH_WATER) {
      this.paused = true;
      this.options.launch.pauseStdout();
    }
  }

  /** Bare, claude would now get EPIPE or die of SIGPIPE writing on: closing its stdout gives it the same. */
  private readerGone(): void {
    if (this.closed) return;
    this.closed = true;
    this.options.debugLog.log('info', "the reader of our output has gone; closing claude's stdout");
    this.options.launch.closeStdout();
  }
}

/** Whether the output rules wrote the line as it was (then its bytes go out instead of its decoding). */
function passedAsItCame(text: string, line: string, newline: boolean): boolean {
  if (text.length !== line.length + (newline ? 1 : 0)) return false;
  return newline ? text.startsWith(line) && text.endsWith('\n') : text === line;
}

/** With the caller's own arguments (`rewritten` false), claude's stdout already is what they asked for. */
function outputOptions(run: PrintRun | SdkRun, rewritten: boolean): PrintOutputOptions {
  if (!rewritten) return { format: 'stream-json', verbose: true, userPartialMessages: true };
  if (run.kind === 'sdk') return { format: 'stream-json', verbose: true, userPartialMessages: run.includePartialMessages };
  return printOutputOptions(run);
}
