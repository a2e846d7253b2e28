import type { SessionEvent } from '../session/events.ts';
import type { SubagentCall } from '../sources/transcript/subagent-usage.ts';

// Print mode's stream-json shows a subagent's calls with their first chunk's usage only and no
// stop reason; the exact usage and the stop reason are in the subagent's transcript. claude
// writes transcripts in the background, so when a prompt ends the last lines may not be on
// disk yet. The subagent's calls, and
// every event after that prompt's end, wait until the transcript holds each of those calls,
// or until claude has exited (its transcripts are complete then).

type ChatEvent = Extract<SessionEvent, { kind: 'chat' }>;

export type ReadSubagentCalls = () => Map<string, SubagentCall>;

function isSubagentChat(event: SessionEvent): event is ChatEvent {
  return event.kind === 'chat' && event.agent !== null;
}

/** Calls without a message id (a subagent's final answer, from the Task result) already have exact usage. */
function covered(calls: Map<string, SubagentCall>, events: SessionEvent[]): boolean {
  return events.every((event) => !isSubagentChat(event) || event.messageId === '' || calls.has(event.messageId));
}

function withTranscript(calls: Map<string, SubagentCall>, event: SessionEvent): SessionEvent {
  if (!isSubagentChat(event) || event.messageId === '') return event;
  const call = calls.get(event.messageId);
  if (!call) return event;
  const finishReason = event.finishReason ?? call.stopReason;
  return { ...event, usage: call.usage, ...(finishReason !== undefined ? { finishReason } : {}) };
}

/**
 * Without a transcript (--no-session-persistence) nothing waits: a subagent's call keeps what
 * the stream gave, less the output count, which is only its first chunk's.
 */
export function withoutTranscript(event: SessionEvent): SessionEvent {
  if (!isSubagentChat(event) || event.messageId === '') return event;
  return { ...event, usage: { ...event.usage, output: 0, outputUnknown: true } };
}

export class SubagentUsageHold {
  /** Subagent calls waiting for their prompt's end. */
  private pending: ChatEvent[] = [];
  /** Everything since a prompt ended before its subagents' transcripts were complete. */
  private held: SessionEvent[] | undefined;
  private lastRead = 0;

  constructor(
    private readonly deliver: (event: SessionEvent) => void,
    private readonly readCalls: ReadSubagentCalls,
    private readonly now: () => number = Date.now,
    /** How often a held queue looks at the transcripts again, as more lines arrive. */
    private readonly rereadMs = 100,
  ) {}

  push(event: SessionEvent): void {
    if (this.held) {
      this.held.push(event);
      if (this.now() - this.lastRead >= this.rereadMs) this.tryRelease();
      return;
    }
    if (isSubagentChat(event)) {
      this.pending.push(event);
      return;
    }
    if ((event.kind === 'prompt_end' || event.kind === 'session_end') && this.pending.length > 0) {
      this.held = [event];
      this.tryRelease();
      return;
    }
    this.deliver(event);
  }

  /** claude has exited, so its transcripts are complete: whatever waits goes out now. */
  finish(): void {
    if (this.held || this.pending.length > 0) this.release(this.readCalls());
  }

  private tryRelease(): void {
    this.lastRead = this.now();
    const calls = this.readCalls();
    if (covered(calls, this.pending) && covered(calls, this.held ?? [])) this.release(calls);
  }

  private release(calls: Map<string, SubagentCall>): void {
    const queue = [...this.pending, ...(this.held ?? [])];
    this.pending = [];
    this.held = undefined;
    for (const event of queue) this.deliver(withTranscript(calls, event));
  }
}
