import { StringDecoder } from 'node:string_decoder';

// Splits claude's stdout into lines without changing a byte: each line comes back with
// whether it ended in a newline, so it can be written out exactly as it came.
// A long line arriving in many chunks is kept as pieces and joined once.

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pieces: string[] = [];

  /** Calls `onLine` for every complete line in the chunk. */
  push(chunk: Buffer | string, onLine: (line: string, newline: boolean) => void): void {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    let nl = text.indexOf('\n');
    if (nl === -1) {
      if (text.length > 0) this.pieces.push(text);
      return;
    }
    let start = 0;
    while (nl !== -1) {
      let line = text.slice(start, nl);
      if (this.pieces.length > 0) {
        this.pieces.push(line);
        line = this.pieces.join('');
        this.pieces = [];
      }
      onLine(line, true);
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    if (start < text.length) this.pieces.push(text.slice(start));
  }

  /** The last line, when the stream did not end with a newline. */
  end(onLine: (line: string, newline: boolean) => void): void {
    const tail = this.decoder.end();
    if (tail) this.pieces.push(tail);
    const text = this.pieces.join('');
    this.pieces = [];
    if (text.length > 0) onLine(text, false);
  }
}
