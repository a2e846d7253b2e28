// How long tool calls waited for the person to allow them (interactive mode). claude's
// PermissionRequest hook names the tool and its input but not the call's id: it belongs to
// the open call of that tool, with that input, not asked about yet. The wait ends when the
// call starts running (its PostToolUse time less its own duration) or is refused.

interface OpenCall {
  name: string;
  input: Record<string, unknown>;
}

export class PermissionWaits {
  private readonly askedAt = new Map<string, number>();

  ask(toolName: string, input: Record<string, unknown>, time: number, openCalls: Map<string, OpenCall>): void {
    const wanted = JSON.stringify(input);
    let match: string | undefined;
    for (const [toolUseId, call] of openCalls) {
      if (call.name === toolName && !this.askedAt.has(toolUseId) && JSON.stringify(call.input) === wanted) match = toolUseId;
    }
    if (match !== undefined) this.askedAt.set(match, time);
  }

  /** The call's wait, once: from the question to `answeredAt` less the time it then ran. */
  waitOf(toolUseId: string, endedAt: number, ranMs = 0): number | undefined {
    const asked = this.askedAt.get(toolUseId);
    if (asked === undefined) return undefined;
    this.askedAt.delete(toolUseId);
    return Math.max(0, Math.round(endedAt - ranMs - asked));
  }

  clear(): void {
    this.askedAt.clear();
  }
}
