// Puts a transcript's lines back in the order they happened. Each conversation line names the
// line before it (`parentUuid`), and claude usually writes them in that order; but the terminal
// UI writes some lines from a queue, and on a busy machine a prompt has been seen in the file
// after the model's answer to it. Read in file order, that answer had no prompt to belong to.
//
// A line whose parent has not been read yet waits (with every line after it that has no place
// of its own in the chain, such as bookkeeping lines and run-end markers, so they keep their
// order). Once the parent is read, the waiting lines follow it. A parent that never comes (a
// damaged line, history from elsewhere) costs at most WINDOW lines of waiting, after which the
// lines go on in file order.

/** How far ahead in the file a line's parent may be. */
const WINDOW = 500;
/** How many recent lines, at least, are remembered as parents (a parent is almost always a line shortly before): memory stays bounded on any transcript. */
const REMEMBERED = 50_000;

export interface LinkedLine<T> {
  value: T;
  uuid?: string;
  parentUuid?: string;
}

export class ParentOrder<T> {
  private seen = new Set<string>();
  private seenBefore = new Set<string>();
  /** Lines that wait, in file order: none of them can go yet. */
  private readonly waiting: LinkedLine<T>[] = [];
  /** How many waiting lines wait for each parent: a line no one waits for releases nothing. */
  private readonly awaited = new Map<string, number>();

  constructor(private readonly onLine: (value: T) => void) {}

  push(line: LinkedLine<T>): void {
    if (this.ready(line, this.waiting.length === 0)) {
      this.emit(line);
      this.release(line);
      return;
    }
    this.waiting.push(line);
    if (line.parentUuid !== undefined) this.awaited.set(line.parentUuid, (this.awaited.get(line.parentUuid) ?? 0) + 1);
    if (this.waiting.length > WINDOW) this.release(this.emitWaiting(0));
  }

  /** The file has ended: what still waits goes in file order. */
  finish(): void {
    while (this.waiting.length > 0) this.release(this.emitWaiting(0));
  }

  /** A line in the chain can go once its parent has; one outside it once every line before it has. */
  private ready(line: LinkedLine<T>, first: boolean): boolean {
    if (line.uuid === undefined && line.parentUuid === undefined) return first;
    return line.parentUuid === undefined || this.seen.has(line.parentUuid) || this.seenBefore.has(line.parentUuid);
  }

  /**
   * Once `line` has gone: the lines that waited for it, or the first line, may go now. Only
   * then is the whole wait looked through, so that a file whose parents are all missing costs
   * no more than one in order.
   */
  private release(line: LinkedLine<T> | undefined): void {
    for (let last = line; last !== undefined; ) {
      if (last.uuid !== undefined && this.awaited.has(last.uuid)) {
        this.settle();
        return;
      }
      const first = this.waiting[0];
      last = first && this.ready(first, true) ? this.emitWaiting(0) : undefined;
    }
  }

  /** Every waiting line that can go now, in file order. */
  private settle(): void {
    for (let i = 0; i < this.waiting.length; ) {
      const line = this.waiting[i];
      if (line && this.ready(line, i === 0)) {
        this.emitWaiting(i);
        i = 0;
      } else {
        i += 1;
      }
    }
  }

  private emitWaiting(index: number): LinkedLine<T> | undefined {
    // Lines mostly go from the front, where shift() is cheap (V8 trims the array in place).
    const line = index === 0 ? this.waiting.shift() : this.waiting.splice(index, 1)[0];
    if (!line) return undefined;
    if (line.parentUuid !== undefined) {
      const count = (this.awaited.get(line.parentUuid) ?? 1) - 1;
      if (count > 0) this.awaited.set(line.parentUuid, count);
      else this.awaited.delete(line.parentUuid);
    }
    this.emit(line);
    return line;
  }

  private emit(line: LinkedLine<T>): void {
    if (line.uuid !== undefined) {
      // Two generations: the older is dropped whole once the newer is full.
      if (this.seen.size >= REMEMBERED) {
        this.seenBefore = this.seen;
        this.seen = new Set();
      }
      this.seen.add(line.uuid);
    }
    this.onLine(line.value);
  }
}
