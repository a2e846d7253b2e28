// Splits claude's stdout into lines without changing a byte. It works on bytes: a line is
// handed on whole, decoded, and its bytes stay at hand while it is handled, so a character
// cut between two chunks, or bytes that are not UTF-8 at all, can still be written out
// exactly as they came. A line longer than the cap is never
// held in memory: its bytes are handed on piece by piece as they arrive, to pass through
// unparsed (a JavaScript string could not even hold a line of half a gigabyte).

/** Lines longer than this pass through unparsed. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

/** A whole line as UTF-8 text, without its newline; `newline` says whether it had one. */
export type OnLine = (line: string, newline: boolean) => void;
/** Consecutive bytes of a line over the cap; `newline` is true on its last piece when it had one. */
export type OnOversize = (piece: Buffer, newline: boolean) => void;

const EMPTY: Buffer = Buffer.alloc(0);

export class LineSplitter {
  private pieces: Buffer[] = [];
  private held = 0;
  /** In the middle of a line over the cap. */
  private oversize = false;
  /** Where the line being handed on lies; only during the call to onLine. */
  private lineSource: Buffer = EMPTY;
  private lineStart = 0;
  private lineEnd = 0;

  constructor(private readonly maxLineBytes = MAX_LINE_BYTES) {}

  /** Hands on every complete line in the chunk, and the pieces of a line over the cap. */
  push(chunk: Buffer, onLine: OnLine, onOversize: OnOversize): void {
    let start = 0;
    let nl = chunk.indexOf(0x0a);
    while (nl !== -1) {
      // Most lines begin and end in one chunk: decoded where they lie.
      if (this.held === 0 && !this.oversize && nl - start <= this.maxLineBytes) this.hand(chunk, start, nl, true, onLine);
      else this.take(chunk.subarray(start, nl), true, onLine, onOversize);
      start = nl + 1;
      nl = chunk.indexOf(0x0a, start);
    }
    if (start < chunk.length) this.take(chunk.subarray(start), false, onLine, onOversize);
  }

  /** The last line, when the stream did not end with a newline. */
  end(onLine: OnLine): void {
    if (!this.oversize && this.held > 0) {
      const line = this.joined();
      this.hand(line, 0, line.length, false, onLine);
    }
    this.reset();
  }

  /** The bytes of the line being handed on, exactly as they came; valid only inside onLine. */
  lineBytes(): Buffer {
    return this.lineSource.subarray(this.lineStart, this.lineEnd);
  }

  // Decoding straight from the chunk, without a Buffer view per line, is most of why lines
  // split as bytes keep up with lines split as text.
  private hand(source: Buffer, start: number, end: number, newline: boolean, onLine: OnLine): void {
    this.lineSource = source;
    this.lineStart = start;
    this.lineEnd = end;
    try {
      onLine(source.toString('utf8', start, end), newline);
    } finally {
      this.lineSource = EMPTY;
    }
  }

  /** One stretch of bytes up to a newline (`complete`) or the chunk's end. */
  private take(bytes: Buffer, complete: boolean, onLine: OnLine, onOversize: OnOversize): void {
    if (!this.oversize && this.held + bytes.length > this.maxLineBytes) {
      this.oversize = true;
      if (this.held > 0) onOversize(this.joined(), false);
      this.pieces = [];
      this.held = 0;
    }
    if (this.oversize) {
      if (bytes.length > 0 || complete) onOversize(bytes, complete);
      if (complete) this.oversize = false;
      return;
    }
    if (!complete) {
      if (bytes.length > 0) {
        this.pieces.push(bytes);
        this.held += bytes.length;
      }
      return;
    }
    const line = this.held > 0 ? Buffer.concat([...this.pieces, bytes]) : bytes;
    this.reset();
    this.hand(line, 0, line.length, true, onLine);
  }

  private joined(): Buffer {
    return this.pieces.length === 1 ? (this.pieces[0] ?? EMPTY) : Buffer.concat(this.pieces);
  }

  private reset(): void {
    this.pieces = [];
    this.held = 0;
  }
}
