// Splits claude's stdout into lines without changing a byte. It works on bytes: a line is
// handed on whole, so a character cut between two chunks, or bytes that are not UTF-8 at
// all, can still be written out exactly as they came. A line longer than the cap is never
// held in memory: its bytes are handed on piece by piece as they arrive, to pass through
// unparsed (a JavaScript string could not even hold a line of half a gigabyte).

/** Lines longer than this pass through unparsed. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

/** A whole line, without its newline; `newline` says whether it had one. */
export type OnLine = (line: Buffer, newline: boolean) => void;
/** Consecutive bytes of a line over the cap; `newline` is true on its last piece when it had one. */
export type OnOversize = (piece: Buffer, newline: boolean) => void;

export class LineSplitter {
  private pieces: Buffer[] = [];
  private held = 0;
  /** In the middle of a line over the cap. */
  private oversize = false;

  constructor(private readonly maxLineBytes = MAX_LINE_BYTES) {}

  /** Hands on every complete line in the chunk, and the pieces of a line over the cap. */
  push(chunk: Buffer, onLine: OnLine, onOversize: OnOversize): void {
    let start = 0;
    let nl = chunk.indexOf(0x0a);
    while (nl !== -1) {
      this.take(chunk.subarray(start, nl), true, onLine, onOversize);
      start = nl + 1;
      nl = chunk.indexOf(0x0a, start);
    }
    if (start < chunk.length) this.take(chunk.subarray(start), false, onLine, onOversize);
  }

  /** The last line, when the stream did not end with a newline. */
  end(onLine: OnLine): void {
    if (!this.oversize && this.held > 0) onLine(this.joined(), false);
    this.reset();
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
    onLine(line, true);
  }

  private joined(): Buffer {
    return this.pieces.length === 1 ? (this.pieces[0] ?? Buffer.alloc(0)) : Buffer.concat(this.pieces);
  }

  private reset(): void {
    this.pieces = [];
    this.held = 0;
  }
}
