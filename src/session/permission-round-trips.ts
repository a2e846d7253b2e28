// SDK mode: claude asks the caller whether a tool may run (a `can_use_tool` control request
// on stdout) and waits for the answer (a control response on stdin). The time between the
// two is the tool call's permission wait; a "deny" answer means the caller refused it.

export interface PermissionRoundTrip {
  waitMs: number;
  denied: boolean;
}

/** Questions left unanswered are kept up to this many (a caller that never answers). */
const MAX_OPEN = 1000;

export class PermissionRoundTrips {
  private readonly open = new Map<string, { toolUseId: string; time: number }>();
  private readonly done = new Map<string, PermissionRoundTrip>();

  asked(requestId: string, toolUseId: string, time: number): void {
    if (this.open.size >= MAX_OPEN) {
      const oldest = this.open.keys().next().value;
      if (oldest !== undefined) this.open.delete(oldest);
    }
    this.open.set(requestId, { toolUseId, time });
  }

  /** Answers to requests that were not permission questions (hooks, MCP) are ignored. */
  answered(requestId: string, time: number, denied: boolean): void {
    const question = this.open.get(requestId);
    if (!question) return;
    this.open.delete(requestId);
    const earlier = this.done.get(question.toolUseId);
    // A call asked twice (a retried question) waited for both answers.
    this.done.set(question.toolUseId, {
      waitMs: (earlier?.waitMs ?? 0) + Math.max(0, time - question.time),
      denied: (earlier?.denied ?? false) || denied,
    });
  }

  /** The round-trip of a tool call, once; undefined when nobody was asked. */
  take(toolUseId: string): PermissionRoundTrip | undefined {
    const trip = this.done.get(toolUseId);
    this.done.delete(toolUseId);
    return trip;
  }

  /** A question still open when the call ended: its wait so far (e.g. interrupted while asking). */
  takeOpen(toolUseId: string, time: number): PermissionRoundTrip | undefined {
    for (const [requestId, question] of this.open) {
      if (question.toolUseId !== toolUseId) continue;
      this.open.delete(requestId);
      return { waitMs: Math.max(0, time - question.time), denied: false };
    }
    return undefined;
  }
}
