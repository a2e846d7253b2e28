import type { StreamMessage } from '../sources/stream-json/messages.ts';
import type { AgentRef, SessionEvent } from './events.ts';

// The subagents of a print-mode session, by the tool call that started each run. A foreground
// subagent (2.1.197) ends when its tool call returns. A background agent (2.1.332) ends when
// the CLI reports it done (task_updated's end time, then task_notification with its figures);
// SendMessage starts another run of the same agent (same task id), whose lines still name the
// first run's tool call: they belong to the agent's current run.

type TaskStarted = Extract<StreamMessage, { type: 'task_started' }>;
type TaskUpdated = Extract<StreamMessage, { type: 'task_updated' }>;
type TaskNotification = Extract<StreamMessage, { type: 'task_notification' }>;
export type SubagentEnd = Extract<SessionEvent, { kind: 'subagent_end' }>;

interface Run {
  /** When the run's task_started line arrived. */
  start: number;
  totalTokens?: number;
  toolUses?: number;
  durationMs?: number;
  status?: string;
  background: boolean;
  /** task_updated's end time (ms), when it came before the notification. */
  endTime?: number;
}

export class SubagentRuns {
  private readonly runs = new Map<string, Run>();
  /** A background agent's current run, by task id. */
  private readonly current = new Map<string, string>();

  /** The agent a line belongs to. */
  agentOf(message: { parentToolUseId: string | null; agentId: string | undefined }): AgentRef {
    return (message.agentId !== undefined ? this.current.get(message.agentId) : undefined) ?? message.parentToolUseId;
  }

  start(message: TaskStarted, time: number): SessionEvent {
    const event: SessionEvent = {
      kind: 'subagent_start',
      time,
      toolUseId: message.toolUseId,
      agentType: message.subagentType,
      agentId: message.taskId,
      description: message.description,
    };
    if (message.backgrounded) {
      event.background = true;
      const earlier = this.current.get(message.taskId);
      if (earlier !== undefined && earlier !== message.toolUseId) event.continues = earlier;
      this.current.set(message.taskId, message.toolUseId);
    }
    this.runs.set(message.toolUseId, { start: time, background: message.backgrounded });
    return event;
  }

  updated(message: TaskUpdated): void {
    const toolUseId = this.current.get(message.taskId);
    const run = toolUseId !== undefined ? this.runs.get(toolUseId) : undefined;
    if (!run) return;
    if (message.endTime !== undefined) run.endTime = message.endTime;
    if (message.status !== undefined) run.status = message.status;
  }

  /** Records the figures; true when a background agent is done with this. */
  notified(message: TaskNotification): boolean {
    const run = this.runs.get(message.toolUseId);
    if (!run) return false;
    if (message.totalTokens !== undefined) run.totalTokens = message.totalTokens;
    if (message.toolUses !== undefined) run.toolUses = message.toolUses;
    if (message.durationMs !== undefined) run.durationMs = message.durationMs;
    run.status = message.status;
    return run.background;
  }

  /** When a run still going started. */
  startOf(toolUseId: string): number | undefined {
    return this.runs.get(toolUseId)?.start;
  }

  isBackground(toolUseId: string): boolean {
    return this.runs.get(toolUseId)?.background === true;
  }

  /** Ends a foreground subagent when its tool call returns, with the figures its result reports. */
  endForeground(toolUseId: string, time: number, toolUseResult: unknown): SubagentEnd | undefined {
    const run = this.runs.get(toolUseId);
    if (!run || run.background) return undefined;
    this.runs.delete(toolUseId);
    const event = this.endEvent(toolUseId, time, run);
    if (typeof toolUseResult === 'object' && toolUseResult !== null) {
      const r = toolUseResult as Record<string, unknown>;
      if (typeof r.totalTokens === 'number') event.totalTokens = r.totalTokens;
      if (typeof r.totalToolUseCount === 'number') event.toolUses = r.totalToolUseCount;
      if (typeof r.totalDurationMs === 'number') event.durationMs = r.totalDurationMs;
    }
    return event;
  }

  /** Ends a background agent: done (at its reported end time), or unfinished when claude exits. */
  endBackground(toolUseId: string, time: number, unfinished = false): SubagentEnd | undefined {
    const run = this.runs.get(toolUseId);
    if (!run?.background) return undefined;
    this.runs.delete(toolUseId);
    const event = this.endEvent(toolUseId, unfinished ? time : Math.min(run.endTime ?? time, time), run);
    if (unfinished) event.unfinished = true;
    return event;
  }

  /** Background agents still working. */
  openBackground(): string[] {
    return [...this.runs].filter(([, run]) => run.background).map(([toolUseId]) => toolUseId);
  }

  private endEvent(toolUseId: string, time: number, run: Run): SubagentEnd {
    const event: SubagentEnd = { kind: 'subagent_end', time, toolUseId };
    if (run.totalTokens !== undefined) event.totalTokens = run.totalTokens;
    if (run.toolUses !== undefined) event.toolUses = run.toolUses;
    if (run.durationMs !== undefined) event.durationMs = run.durationMs;
    if (run.status !== undefined) event.status = run.status;
    return event;
  }
}
