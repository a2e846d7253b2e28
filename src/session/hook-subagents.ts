import type { SubagentInfo } from '../sources/transcript/transcript-reader.ts';
import type { SessionEvent } from './events.ts';
import { isJsonObject as isObject } from '../untrusted-json.ts';

// Interactive mode's subagents: which Agent/Task call started each (the subagent's metadata
// or the call's response says, else the oldest open call of its type), and when each ends:
// once both its tool call has ended and its SubagentStop hook has fired (a background agent
// outlives its tool call, which can even end before SubagentStart).

interface OpenSubagent {
  toolEnded: boolean;
  stopped: boolean;
  toolResponse?: unknown;
}

export interface OpenToolCall {
  name: string;
  input: Record<string, unknown>;
}

const SUBAGENT_TOOLS = new Set(['Task', 'Agent']);

export class HookSubagents {
  private readonly open = new Map<string, OpenSubagent>();
  /** Subagent id → the Agent tool call that started it. */
  private readonly agentTools = new Map<string, string>();
  /** When each subagent started: its calls' spans start no earlier. */
  private readonly starts = new Map<string, number>();
  /** Agent calls that returned before their subagent's SubagentStart (a background agent's returns at once). */
  private readonly endedBeforeStart = new Map<string, Record<string, unknown>>();

  learn(info: SubagentInfo): void {
    if (info.toolUseId !== undefined && !this.agentTools.has(info.agentId)) this.agentTools.set(info.agentId, info.toolUseId);
  }

  /** The Agent tool call behind a subagent id. */
  toolOf(agentId: string): string | undefined {
    return this.agentTools.get(agentId);
  }

  /** Whether the subagent of this Agent call is still working (a background one outlives its turn). */
  isRunning(toolUseId: string): boolean {
    const subagent = this.open.get(toolUseId);
    return subagent !== undefined && !subagent.stopped;
  }

  startOf(toolUseId: string): number | undefined {
    return this.starts.get(toolUseId);
  }

  start(out: SessionEvent[], agentId: string, agentType: string, time: number, tools: Map<string, OpenToolCall>): void {
    const toolUseId = this.agentTools.get(agentId) ?? this.agentToolFor(agentType, tools);
    if (toolUseId === undefined || this.open.has(toolUseId)) return;
    this.agentTools.set(agentId, toolUseId);
    const ended = this.endedBeforeStart.get(toolUseId);
    this.endedBeforeStart.delete(toolUseId);
    this.open.set(toolUseId, ended ? { toolEnded: true, stopped: false, toolResponse: ended } : { toolEnded: false, stopped: false });
    this.starts.set(toolUseId, time);
    const input = tools.get(toolUseId)?.input ?? {};
    const event: SessionEvent = { kind: 'subagent_start', time, toolUseId, agentType, agentId };
    if (typeof input.description === 'string') event.description = input.description;
    out.push(event);
  }

  /** SubagentStop fired. */
  stopped(out: SessionEvent[], agentId: string, time: number): void {
    const toolUseId = this.agentTools.get(agentId);
    const subagent = toolUseId === undefined ? undefined : this.open.get(toolUseId);
    if (toolUseId === undefined || !subagent) return;
    subagent.stopped = true;
    this.endIfDone(out, toolUseId, time);
  }

  /** Its Agent call ended; `unfinished` when no SubagentStop can follow (interrupted, claude gone). */
  toolEnded(out: SessionEvent[], toolUseId: string, time: number, toolResponse: unknown, unfinished: boolean): void {
    const subagent = this.open.get(toolUseId);
    if (!subagent) {
      // The Agent call's response names its agent: kept for when that agent starts.
      if (!unfinished && isObject(toolResponse) && typeof toolResponse.agentId === 'string') {
        this.endedBeforeStart.set(toolUseId, toolResponse);
        if (!this.agentTools.has(toolResponse.agentId)) this.agentTools.set(toolResponse.agentId, toolUseId);
      }
      return;
    }
    subagent.toolEnded = true;
    if (unfinished) subagent.stopped = true;
    if (toolResponse !== undefined) subagent.toolResponse = toolResponse;
    this.endIfDone(out, toolUseId, time);
  }

  /** The session ends: every subagent with it. */
  endAll(out: SessionEvent[], time: number): void {
    for (const toolUseId of [...this.open.keys()]) this.toolEnded(out, toolUseId, time, undefined, true);
    this.open.clear();
    this.starts.clear();
    this.endedBeforeStart.clear();
  }

  /** Without the subagent's metadata: the oldest open Agent call of that type that has no subagent yet. */
  private agentToolFor(agentType: string, tools: Map<string, OpenToolCall>): string | undefined {
    let fallback: string | undefined;
    for (const [toolUseId, tool] of tools) {
      if (!SUBAGENT_TOOLS.has(tool.name) || this.open.has(toolUseId)) continue;
      if (tool.input.subagent_type === agentType) return toolUseId;
      fallback ??= toolUseId;
    }
    return fallback;
  }

  private endIfDone(out: SessionEvent[], toolUseId: string, time: number): void {
    const subagent = this.open.get(toolUseId);
    if (!subagent?.toolEnded || !subagent.stopped) return;
    this.open.delete(toolUseId);
    const event: SessionEvent = { kind: 'subagent_end', time, toolUseId };
    const r = isObject(subagent.toolResponse) ? subagent.toolResponse : undefined;
    if (r) {
      if (typeof r.totalTokens === 'number') event.totalTokens = r.totalTokens;
      if (typeof r.totalToolUseCount === 'number') event.toolUses = r.totalToolUseCount;
      if (typeof r.totalDurationMs === 'number') event.durationMs = r.totalDurationMs;
      if (typeof r.status === 'string') event.status = r.status;
    }
    out.push(event);
  }
}
