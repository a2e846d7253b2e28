// Piped stdin is passed on to claude byte for byte; the first part is kept, because in
// print mode it is the prompt. An observer (SDK mode's input reader) sees each chunk after
// claude has been given it.

const KEEP_BYTES = 64 * 1024;

export class StdinTee {
  private readonly kept: Buffer[] = [];
  private keptBytes = 0;
  private readonly onData: (chunk: Buffer) => void;
  private readonly onEnd: () => void;

  constructor(
    private readonly from: NodeJS.ReadStream,
    to: NodeJS.WritableStream,
    observer?: { push(chunk: Buffer): void; end(): void },
  ) {
    this.onData = (chunk: Buffer) => {
      if (this.keptBytes < KEEP_BYTES) {
        this.kept.push(chunk.subarray(0, KEEP_BYTES - this.keptBytes));
        this.keptBytes += Math.min(chunk.length, KEEP_BYTES - this.keptBytes);
      }
      if (!to.write(chunk)) {
        from.pause();
        to.once('drain', () => from.resume());
      }
      try {
        observer?.push(chunk);
      } catch {
        // What the wrapper reads from stdin never stops it reaching claude.
      }
    };
    this.onEnd = () => {
      to.end();
      try {
        observer?.end();
      } catch {
        // As above.
      }
    };
    to.on('error', () => from.pause()); // claude closed its stdin: stop feeding it
    from.on('data', this.onData);
    from.on('end', this.onEnd);
  }

  /** What stdin held so far, as text (undefined when nothing came). */
  get text(): string | undefined {
    if (this.keptBytes === 0) return undefined;
    return Buffer.concat(this.kept).toString('utf8').replace(/\n$/, '');
  }

  stop(): void {
    this.from.off('data', this.onData);
    this.from.off('end', this.onEnd);
    this.from.pause();
    this.from.unref?.();
  }
}
