import * as v from 'valibot';
import { maybe, maybeNumber, maybeString, stringOr } from '../field-schemas.ts';

// The `system` lines that frame subagents: task_started, task_updated (2.1.332) and
// task_notification. Their schemas, and the messages they become.

export const TASK_STARTED_LINE = v.pipe(
  v.object({
    subtype: v.literal('task_started'),
    task_id: stringOr(''),
    tool_use_id: v.string(),
    subagent_type: stringOr('unknown'),
    description: stringOr(''),
    /** 2.1.332: the agent runs beside the main agent; its tool call returns at once. */
    is_backgrounded: maybe(v.boolean()),
  }),
  v.transform((line) => ({
    type: 'task_started' as const,
    taskId: line.task_id,
    toolUseId: line.tool_use_id,
    subagentType: line.subagent_type,
    description: line.description,
    backgrounded: line.is_backgrounded === true,
  })),
);

/** task_updated (2.1.332): a task's status changed (`completed`, `failed`, `killed`...). */
export const TASK_UPDATED_LINE = v.pipe(
  v.object({
    subtype: v.literal('task_updated'),
    task_id: v.string(),
    patch: v.fallback(v.optional(v.object({ status: maybeString, end_time: maybeNumber }), {}), {}),
  }),
  v.transform((line) => ({ type: 'task_updated' as const, taskId: line.task_id, status: line.patch.status, endTime: line.patch.end_time })),
);

export const TASK_NOTIFICATION_LINE = v.pipe(
  v.object({
    subtype: v.literal('task_notification'),
    task_id: stringOr(''),
    tool_use_id: v.string(),
    status: stringOr(''),
    usage: maybe(v.object({ total_tokens: maybeNumber, tool_uses: maybeNumber, duration_ms: maybeNumber })),
  }),
  v.transform((line) => ({
    type: 'task_notification' as const,
    taskId: line.task_id,
    toolUseId: line.tool_use_id,
    status: line.status,
    totalTokens: line.usage?.total_tokens,
    toolUses: line.usage?.tool_uses,
    durationMs: line.usage?.duration_ms,
  })),
);

export type TaskStartedMessage = v.InferOutput<typeof TASK_STARTED_LINE>;
export type TaskUpdatedMessage = v.InferOutput<typeof TASK_UPDATED_LINE>;
export type TaskNotificationMessage = v.InferOutput<typeof TASK_NOTIFICATION_LINE>;
export type TaskMessage = TaskStartedMessage | TaskUpdatedMessage | TaskNotificationMessage;
