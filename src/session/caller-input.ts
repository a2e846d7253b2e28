import type { ToolOutcome } from './events.ts';
import { PermissionRoundTrips } from './permission-round-trips.ts';

// SDK mode: what the caller wrote to claude's stdin, as far as the stream's events need it.
// User messages become prompts when claude starts on them; answers to claude's permission
// questions time (and, for a denial, fail) the tool calls that waited for them.

export interface SubmittedPrompt {
  text: string;
  time: number;
}

export class CallerInput {
  private readonly submitted: SubmittedPrompt[] = [];
  private readonly permissions = new PermissionRoundTrips();

  userMessage(text: string, time: number): void {
    this.submitted.push({ text, time });
  }

  /** What claude starts on now: messages that queued up before it did are answered as one turn. */
  nextPrompt(): SubmittedPrompt | undefined {
    const messages = this.submitted.splice(0);
    const first = messages[0];
    return first ? { text: messages.map((m) => m.text).join('\n'), time: first.time } : undefined;
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
