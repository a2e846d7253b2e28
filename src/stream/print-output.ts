import type { OutputFormat } from '../launch/session-kind.ts';
import type { StreamMessage } from './messages.ts';

// What bare `claude -p` would have printed, rebuilt from the stream-json lines the wrapper
// asked for instead. Lines that are not JSON are claude's own words (or junk) and pass
// through as they came.

export interface PrintOutputOptions {
  format: OutputFormat;
  /** The user asked for --verbose (json then prints every message as one array). */
  verbose: boolean;
  /** The user asked for --include-partial-messages themselves. */
  userPartialMessages: boolean;
}

export class PrintOutput {
  private readonly verboseLines: string[] = [];

  constructor(private readonly options: PrintOutputOptions) {}

  /** The text to write to stdout for one line of claude's output ('' for nothing). */
  line(raw: string, newline: boolean, message: StreamMessage | undefined): string {
    const asIs = newline ? `${raw}\n` : raw;
    if (message === undefined) return asIs;
    const partial = message.type === 'stream_event';
    switch (this.options.format) {
      case 'stream-json':
        return partial && !this.options.userPartialMessages ? '' : asIs;
      case 'text':
        if (message.type === 'result') return `${resultText(raw)}\n`;
        return '';
      case 'json':
        if (this.options.verbose) {
          if (!partial || this.options.userPartialMessages) this.verboseLines.push(raw);
          return message.type === 'result' ? `[${this.verboseLines.join(',')}]\n` : '';
        }
        return message.type === 'result' ? `${raw}\n` : '';
    }
  }
}

/** The `result` field's text, read from the raw line to keep it exact. */
function resultText(raw: string): string {
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value === 'object' && value !== null && 'result' in value && typeof value.result === 'string') return value.result;
  } catch {
    // not reached: the caller parsed this line already
  }
  return '';
}
