import type { ToolOutcome } from './events.ts';
import { PermissionRoundTrips } from './permission-round-trips.ts';

// SDK mode: what the caller wrote to claude's stdin, as far as the stream's events need it.
// User messages become prompts when claude starts on them; answers to claude's permission
// questions time (and, for a denial, fail) the tool calls that waited for them.
//
// How claude takes user messages (2.1.197 and 2.1.337 alike): a message that comes while it is
// idle starts a turn on its own at once; the ones that come while a turn runs wait, and when
// that turn's result is out claude answers all of them together in the next turn, their texts
// joined by newlines.

export interface SubmittedPrompt {
  text: string;
  time: number;
}

export class CallerInput {
  /** Turns claude has started (or starts as soon as it can), oldest first, not yet seen in the stream. */
  private readonly turns: SubmittedPrompt[] = [];
  /** Messages sent while a turn was running: claude answers them together once it ends. */
  private waiting: SubmittedPrompt[] = [];
  /** A turn is running or about to: from a message that found claude idle until its result. */
  private busy = false;
  private readonly permissions = new PermissionRoundTrips();

  userMessage(text: string, time: number): void {
    if (this.busy) {
      this.waiting.push({ text, time });
      return;
    }
    this.busy = true;
    this.turns.push({ text, time });
  }

  /** A turn's result came out (at `time`): the messages that waited for it are the next turn, which starts now. */
  turnEnded(time: number): void {
    if (this.waiting.length === 0) {
      this.busy = false;
      return;
    }
    this.turns.push({ text: this.waiting.map((m) => m.text).join('\n'), time });
    this.waiting = [];
  }

  /** The turn claude starts on now (undefined when no message of the caller's asked for one). */
  nextPrompt(): SubmittedPrompt | undefined {
    return this.turns.shift();
  }

  permissionAsked(requestId: string, toolUseId: string, time: number): void {
    this.permissions.asked(requestId, toolUseId, time);
  }

  permissionAnswered(requestId: string, time: number, denied: boolean): void {
    this.permissions.answered(requestId, time, denied);
  }

  /** Adds the call's permission round-trip to its outcome; `openUntil`: a question still unanswered then counts too. */
  settle(outcome: ToolOutcome, toolUseId: string, openUntil?: number): void {
    const trip = this.permissions.take(toolUseId) ?? (openUntil !== undefined ? this.permissions.takeOpen(toolUseId, openUntil) : undefined);
    if (!trip) return;
    outcome.permissionWaitMs = trip.waitMs;
    if (trip.denied) {
      outcome.permissionDenied = true;
      outcome.isError = true;
    }
  }
}
