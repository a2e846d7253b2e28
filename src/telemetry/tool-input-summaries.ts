import type { SessionEvent } from '../session/events.ts';
import { toolInputSummary } from '../session/tool-input-summary.ts';

// A tool call's input summary goes on its span and on its log record. Redacting it is the
// costly part (every rule runs over the text), so it is made once per call.

type ToolStart = Extract<SessionEvent, { kind: 'tool_start' }>;

export class ToolInputSummaries {
  private last: ToolStart | undefined;
  private lastSummary = '';

  constructor(private readonly redact: (text: string) => string) {}

  /** The redacted summary of this call's input; the same text for the same event. */
  of(event: ToolStart): string {
    if (event !== this.last) {
      this.lastSummary = toolInputSummary(event.name, event.input, this.redact);
      this.last = event;
    }
    return this.lastSummary;
  }
}
