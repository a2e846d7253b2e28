import type * as v from 'valibot';
import { isJsonObject } from '../../untrusted-json.ts';
import { compileSchema, INVALID } from '../compiled-schema.ts';
import {
  API_RETRY_LINE,
  ASSISTANT_LINE,
  COMPACT_BOUNDARY_LINE,
  INIT_LINE,
  PERMISSION_REQUEST_LINE,
  RESULT_LINE,
  STREAM_EVENT_LINE,
  USER_LINE,
} from './line-schemas.ts';
import type {
  ApiRetryMessage,
  AssistantMessage,
  CompactBoundaryMessage,
  InitMessage,
  PartialEvent,
  PermissionRequestMessage,
  ResultMessage,
  UserMessage,
} from './line-schemas.ts';
import { TASK_NOTIFICATION_LINE, TASK_STARTED_LINE, TASK_UPDATED_LINE } from './task-messages.ts';
import type { TaskNotificationMessage, TaskStartedMessage, TaskUpdatedMessage } from './task-messages.ts';

export { parseContent, type ContentBlock, type TextBlock, type ToolUseBlock, type ToolResultBlock } from './content-blocks.ts';
export { parseUsage, tokenUsage, type Usage } from './usage.ts';
export type { ToolPermission } from './tool-result-meta.ts';
export type { TaskStartedMessage, TaskUpdatedMessage, TaskNotificationMessage } from './task-messages.ts';
export type {
  ApiRetryMessage,
  AssistantMessage,
  CompactBoundaryMessage,
  InitMessage,
  ModelUsage,
  PartialEvent,
  PermissionRequestMessage,
  ResultMessage,
  UserMessage,
} from './line-schemas.ts';

// The stream-json lines claude prints (print and SDK mode), checked at the edge against the
// schemas in line-schemas.ts. A line's `type` (and a system line's `subtype`) picks its schema;
// a line of a kind the wrapper does not read, or one that fails its schema, is 'other'.

export type StreamMessage =
  | InitMessage
  | AssistantMessage
  | UserMessage
  | PartialEvent
  | ApiRetryMessage
  | TaskStartedMessage
  | TaskUpdatedMessage
  | TaskNotificationMessage
  | CompactBoundaryMessage
  | ResultMessage
  | PermissionRequestMessage
  | { type: 'other' };

type LineParser = (line: unknown) => StreamMessage | typeof INVALID;

/**
 * Compiled, as these run for every line claude prints (compiled-schema.ts says why), and only
 * when the first line of their kind comes: an interactive session loads this before claude starts.
 */
function compiledOnFirstUse(schema: v.GenericSchema<unknown, StreamMessage>): LineParser {
  let parse: LineParser | undefined;
  return (line) => {
    parse ??= compileSchema(schema);
    return parse(line);
  };
}

const assistantLine = compiledOnFirstUse(ASSISTANT_LINE);
const userLine = compiledOnFirstUse(USER_LINE);
const streamEventLine = compiledOnFirstUse(STREAM_EVENT_LINE);
const resultLine = compiledOnFirstUse(RESULT_LINE);
const permissionRequestLine = compiledOnFirstUse(PERMISSION_REQUEST_LINE);
const initLine = compiledOnFirstUse(INIT_LINE);
const apiRetryLine = compiledOnFirstUse(API_RETRY_LINE);
const compactBoundaryLine = compiledOnFirstUse(COMPACT_BOUNDARY_LINE);
const taskStartedLine = compiledOnFirstUse(TASK_STARTED_LINE);
const taskUpdatedLine = compiledOnFirstUse(TASK_UPDATED_LINE);
const taskNotificationLine = compiledOnFirstUse(TASK_NOTIFICATION_LINE);

/** The schema of a line's kind (`type`, and `subtype` for a system line); none for a kind the wrapper does not read. */
function parserOf(line: Record<string, unknown>): LineParser | undefined {
  switch (line.type) {
    case 'assistant':
      return assistantLine;
    case 'user':
      return userLine;
    case 'stream_event':
      return streamEventLine;
    case 'result':
      return resultLine;
    case 'control_request':
      return permissionRequestLine;
    case 'system':
      switch (line.subtype) {
        case 'init':
          return initLine;
        case 'api_retry':
          return apiRetryLine;
        case 'compact_boundary':
          return compactBoundaryLine;
        case 'task_started':
          return taskStartedLine;
        case 'task_updated':
          return taskUpdatedLine;
        case 'task_notification':
          return taskNotificationLine;
      }
  }
  return undefined;
}

const OTHER: StreamMessage = Object.freeze({ type: 'other' as const });

/** Parses an already-decoded JSON value into a typed message. */
export function toStreamMessage(line: unknown): StreamMessage {
  if (!isJsonObject(line)) return OTHER;
  const parse = parserOf(line);
  if (parse === undefined) return OTHER;
  const message = parse(line);
  return message === INVALID ? OTHER : message;
}

/**
 * One line of claude's stdout. `undefined` when the line is not JSON at all
 * (junk is the caller's to pass through); `{type: 'other'}` for JSON the wrapper does not use.
 */
export function parseStreamLine(line: string): StreamMessage | undefined {
  return parseStreamLineValue(line)?.message;
}

export interface ParsedLine {
  /** The decoded JSON object, as claude wrote it. */
  value: Record<string, unknown>;
  message: StreamMessage;
}

/**
 * Most lines of a streamed answer are content-block deltas, which nothing here reads: they
 * are recognised by their opening (claude writes compact JSON, keys in this order) and not
 * decoded.
 */
const CONTENT_BLOCK_EVENT = '{"type":"stream_event","event":{"type":"content_block_';
const CONTENT_BLOCK_LINE: ParsedLine = Object.freeze({ value: Object.freeze({ type: 'stream_event' }), message: OTHER });

/** Like parseStreamLine, keeping the decoded object for output that must be rebuilt from it. */
export function parseStreamLineValue(line: string): ParsedLine | undefined {
  if (line.startsWith(CONTENT_BLOCK_EVENT) && line.endsWith('}')) return CONTENT_BLOCK_LINE;
  const trimmed = line.trim();
  if (trimmed.length === 0 || trimmed[0] !== '{') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  if (!isJsonObject(value)) return undefined;
  return { value, message: toStreamMessage(value) };
}
