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
/** How many recent lines are remembered as parents (a parent is almost always a line shortly before): memory stays bounded on any transcript. */
const REMEMBERED = 50_000;

export interface LinkedLine<T> {
  value: T;
  uuid?: string;
  parentUuid?: string;
}

export class ParentOrder<T> {
  private readonly seen = new Set<string>();
  private readonly waiting: LinkedLine<T>[] = [];

  constructor(private readonly onLine: (value: T) => void) {}

  push(line: LinkedLine<T>): void {
    if (this.waiting.length === 0 && this.ready(line, true)) {
      this.emit(line);
      return;
    }
    this.waiting.push(line);
    if (this.waiting.length > WINDOW) this.emitAt(0);
    this.drain();
  }

  /** The file has ended: what still waits goes in file order. */
  finish(): void {
    while (this.waiting.length > 0) {
      this.emitAt(0);
      this.drain();
    }
  }

  /** A line in the chain can go once its parent has; one outside it once every line before it has. */
  private ready(line: LinkedLine<T>, first: boolean): boolean {
    if (line.uuid === undefined && line.parentUuid === undefined) return first;
    return line.parentUuid === undefined || this.seen.has(line.parentUuid);
  }

  private drain(): void {
    for (let i = 0; i < this.waiting.length; ) {
      const line = this.waiting[i];
      if (line && this.ready(line, i === 0)) {
        this.emitAt(i);
        i = 0;
      } else {
        i += 1;
      }
    }
  }

  private emitAt(index: number): void {
    const [line] = this.waiting.splice(index, 1);
    if (line) this.emit(line);
  }

  private emit(line: LinkedLine<T>): void {
    if (line.uuid !== undefined) {
      this.seen.add(line.uuid);
      // A Set iterates in insertion order: the first is the oldest.
      const oldest = this.seen.values().next();
      if (this.seen.size > REMEMBERED && !oldest.done) this.seen.delete(oldest.value);
    }
    this.onLine(line.value);
  }
}
