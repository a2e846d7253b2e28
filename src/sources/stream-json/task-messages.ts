import { isJsonObject as isObject, asString as str, asNumber as num, type JsonObject as Json } from '../../untrusted-json.ts';

// The `system` lines that frame subagents: task_started, task_updated (2.1.332) and
// task_notification, validated at the edge.

export interface TaskStartedMessage {
  type: 'task_started';
  taskId: string;
  toolUseId: string;
  subagentType: string;
  description: string;
  /** 2.1.332: the agent runs beside the main agent; its tool call returns at once. */
  backgrounded: boolean;
}
/** task_updated (2.1.332): a task's status changed (`completed`, `failed`, `killed`...). */
export interface TaskUpdatedMessage {
  type: 'task_updated';
  taskId: string;
  status: string | undefined;
  endTime: number | undefined;
}
export interface TaskNotificationMessage {
  type: 'task_notification';
  taskId: string;
  toolUseId: string;
  status: string;
  totalTokens: number | undefined;
  toolUses: number | undefined;
  durationMs: number | undefined;
}
export type TaskMessage = TaskStartedMessage | TaskUpdatedMessage | TaskNotificationMessage;

function obj(value: unknown): Json {
  return isObject(value) ? value : {};
}

/** A task line, or undefined when it lacks what identifies it. */
export function parseTaskLine(line: Json): TaskMessage | undefined {
  switch (line.subtype) {
    case 'task_started':
      if (typeof line.tool_use_id !== 'string') return undefined;
      return {
        type: 'task_started',
        taskId: str(line.task_id) ?? '',
        toolUseId: line.tool_use_id,
        subagentType: str(line.subagent_type) ?? 'unknown',
        description: str(line.description) ?? '',
        backgrounded: line.is_backgrounded === true,
      };
    case 'task_updated': {
      if (typeof line.task_id !== 'string') return undefined;
      const patch = obj(line.patch);
      return { type: 'task_updated', taskId: line.task_id, status: str(patch.status), endTime: num(patch.end_time) };
    }
    case 'task_notification': {
      if (typeof line.tool_use_id !== 'string') return undefined;
      const usage = obj(line.usage);
      return {
        type: 'task_notification',
        taskId: str(line.task_id) ?? '',
        toolUseId: line.tool_use_id,
        status: str(line.status) ?? '',
        totalTokens: num(usage.total_tokens),
        toolUses: num(usage.tool_uses),
        durationMs: num(usage.duration_ms),
      };
    }
    default:
      return undefined;
  }
}
