import type * as v from 'valibot';
import type {
  ModelUsage,
  PermissionRequestHookInput,
  PostToolUseFailureHookInput,
  PostToolUseHookInput,
  PreToolUseHookInput,
  SDKAPIRetryMessage,
  SDKAssistantMessage,
  SDKCompactBoundaryMessage,
  SDKControlRequest,
  SDKControlResponse,
  SDKPartialAssistantMessage,
  SDKResultError,
  SDKResultSuccess,
  SDKSystemMessage,
  SDKTaskNotificationMessage,
  SDKTaskStartedMessage,
  SDKTaskUpdatedMessage,
  SDKUserMessage,
  SessionEndHookInput,
  SessionStartHookInput,
  StopFailureHookInput,
  StopHookInput,
  SubagentStartHookInput,
  SubagentStopHookInput,
  UserPromptSubmitHookInput,
} from '@anthropic-ai/claude-agent-sdk';
import type {
  API_RETRY_LINE,
  ASSISTANT_LINE,
  COMPACT_BOUNDARY_LINE,
  INIT_LINE,
  MESSAGE_DELTA_EVENT,
  MESSAGE_START_EVENT,
  MESSAGE_STOP_EVENT,
  PERMISSION_REQUEST_LINE,
  RESULT_LINE,
  STREAM_EVENT_LINE,
  USER_LINE,
} from '../../src/sources/stream-json/line-schemas.ts';
import type { TASK_NOTIFICATION_LINE, TASK_STARTED_LINE, TASK_UPDATED_LINE } from '../../src/sources/stream-json/task-messages.ts';
import type { TEXT_BLOCK, TOOL_RESULT_BLOCK, TOOL_USE_BLOCK } from '../../src/sources/stream-json/content-blocks.ts';
import type { USAGE_SCHEMA } from '../../src/sources/stream-json/usage.ts';
import type { CONTROL_RESPONSE_LINE, USER_INPUT_LINE } from '../../src/sources/stream-json/sdk-input.ts';
import type { HOOK_PAYLOAD_SCHEMAS } from '../../src/sources/hooks/hook-payloads.ts';
import type { ResultErrorType } from '../../src/telemetry/result-attributes.ts';

// What the wrapper reads of claude's stream-json and hook payloads, held against the Agent SDK's
// published types of the same (a devDependency, pinned): a field the SDK renames, removes or
// gives another type stops this file from compiling (`tsc -p tsconfig.json`, run by `npm test`).
// Each check is one object level of one line: every field our schema reads must be a field of
// the SDK's type, and every value the SDK's type allows must be one our schema takes. Fields the
// CLI writes that the SDK does not declare are left out, each named where it is.

/** Fails to compile unless T is `true`; the error shows what does not fit. */
type Holds<T extends true> = T;

type Reads<Ours, Theirs> = [Exclude<keyof Ours, keyof Theirs>] extends [never]
  ? [Theirs] extends [Ours]
    ? true
    : { theirValuesOurSchemaRefuses: Theirs }
  : { fieldsNotInTheirType: Exclude<keyof Ours, keyof Theirs> };

type In<TSchema extends v.GenericSchema> = v.InferInput<TSchema>;
type Entry<T, K extends keyof T> = NonNullable<T[K]>;
type Block<TUnion, TType extends string> = Extract<TUnion, { type: TType }>;

type Assistant = In<typeof ASSISTANT_LINE>;
type AssistantContent = SDKAssistantMessage['message']['content'][number];
type User = In<typeof USER_LINE>;
type UserContent = Exclude<SDKUserMessage['message']['content'], string>[number];
type StreamEvent = In<typeof STREAM_EVENT_LINE>;
type MessageStart = In<typeof MESSAGE_START_EVENT>;
type MessageDelta = In<typeof MESSAGE_DELTA_EVENT>;
type TheirEvent = SDKPartialAssistantMessage['event'];
type Result = In<typeof RESULT_LINE>;
type Usage = In<typeof USAGE_SCHEMA>;
type TheirUsage = SDKAssistantMessage['message']['usage'];
type PermissionRequest = In<typeof PERMISSION_REQUEST_LINE>;
type TheirPermissionRequest = Extract<SDKControlRequest['request'], { subtype: 'can_use_tool' }>;
type ControlResponse = In<typeof CONTROL_RESPONSE_LINE>;
type Hooks = typeof HOOK_PAYLOAD_SCHEMAS;
type WithToolUseId<T extends { tool_use_id?: string }> = T & { tool_use_id: string };

export type StreamJsonChecks = [
  Holds<Reads<In<typeof INIT_LINE>, SDKSystemMessage>>,
  // timestamp and agent_id (2.1.332) are in the SDK's type; the message is the Messages API's.
  Holds<Reads<Assistant, SDKAssistantMessage>>,
  Holds<Reads<Assistant['message'], SDKAssistantMessage['message']>>,
  Holds<Reads<In<typeof TEXT_BLOCK>, Block<AssistantContent, 'text'>>>,
  Holds<Reads<In<typeof TOOL_USE_BLOCK>, Block<AssistantContent, 'tool_use'>>>,
  Holds<Reads<Usage, TheirUsage>>,
  Holds<Reads<Entry<Usage, 'cache_creation'>, NonNullable<TheirUsage['cache_creation']>>>,
  Holds<Reads<Entry<Usage, 'output_tokens_details'>, NonNullable<TheirUsage['output_tokens_details']>>>,
  // tool_result_meta (2.1.332) is not in the SDK's type.
  Holds<Reads<Omit<User, 'tool_result_meta'>, SDKUserMessage>>,
  Holds<Reads<Entry<User, 'message'>, SDKUserMessage['message']>>,
  Holds<Reads<In<typeof TOOL_RESULT_BLOCK>, Block<UserContent, 'tool_result'>>>,
  Holds<Reads<Omit<StreamEvent, 'event'>, SDKPartialAssistantMessage>>,
  Holds<Reads<MessageStart, Block<TheirEvent, 'message_start'>>>,
  Holds<Reads<Entry<MessageStart, 'message'>, Block<TheirEvent, 'message_start'>['message']>>,
  // message_delta's usage is the Messages API's delta usage: the counts our usage schema reads, but cache_creation.
  Holds<Reads<Omit<MessageDelta, 'usage'>, Block<TheirEvent, 'message_delta'>>>,
  Holds<Reads<Omit<Entry<MessageDelta, 'usage'>, 'cache_creation'>, Block<TheirEvent, 'message_delta'>['usage']>>,
  Holds<Reads<Entry<MessageDelta, 'delta'>, Block<TheirEvent, 'message_delta'>['delta']>>,
  Holds<Reads<In<typeof MESSAGE_STOP_EVENT>, Block<TheirEvent, 'message_stop'>>>,
  Holds<Reads<In<typeof API_RETRY_LINE>, SDKAPIRetryMessage>>,
  Holds<Reads<In<typeof COMPACT_BOUNDARY_LINE>, SDKCompactBoundaryMessage>>,
  Holds<Reads<Entry<In<typeof COMPACT_BOUNDARY_LINE>, 'compact_metadata'>, SDKCompactBoundaryMessage['compact_metadata']>>,
  Holds<Reads<Omit<Result, 'usage' | 'modelUsage'>, SDKResultSuccess>>,
  // The SDK's error result has no `result` text, time to first token or API error status.
  Holds<Reads<Omit<Result, 'usage' | 'modelUsage' | 'result' | 'ttft_ms' | 'api_error_status'>, SDKResultError>>,
  Holds<Reads<Entry<Entry<Result, 'modelUsage'>, string>, ModelUsage>>,
  // The SDK's type makes tool_use_id optional; a task line without one is no subagent of a tool call, and not read.
  Holds<Reads<In<typeof TASK_STARTED_LINE>, WithToolUseId<SDKTaskStartedMessage>>>,
  Holds<Reads<In<typeof TASK_UPDATED_LINE>, SDKTaskUpdatedMessage>>,
  Holds<Reads<Entry<In<typeof TASK_UPDATED_LINE>, 'patch'>, SDKTaskUpdatedMessage['patch']>>,
  Holds<Reads<In<typeof TASK_NOTIFICATION_LINE>, WithToolUseId<SDKTaskNotificationMessage>>>,
  Holds<Reads<Entry<In<typeof TASK_NOTIFICATION_LINE>, 'usage'>, NonNullable<SDKTaskNotificationMessage['usage']>>>,
  // The request is one of many kinds; the permission question is checked on its own below.
  Holds<Reads<Omit<PermissionRequest, 'request'>, SDKControlRequest>>,
  Holds<Reads<PermissionRequest['request'], TheirPermissionRequest>>,
];

// What an SDK caller writes to claude's stdin.
export type SdkInputChecks = [
  Holds<Reads<In<typeof USER_INPUT_LINE>, SDKUserMessage>>,
  Holds<Reads<Omit<ControlResponse, 'response'>, SDKControlResponse>>,
  Holds<Reads<Omit<ControlResponse['response'], 'response'>, SDKControlResponse['response']>>,
];

export type HookChecks = [
  Holds<Reads<In<Hooks['SessionStart']>, SessionStartHookInput>>,
  Holds<Reads<In<Hooks['UserPromptSubmit']>, UserPromptSubmitHookInput>>,
  Holds<Reads<In<Hooks['PreToolUse']>, PreToolUseHookInput>>,
  Holds<Reads<In<Hooks['PostToolUse']>, PostToolUseHookInput>>,
  Holds<Reads<In<Hooks['PostToolUseFailure']>, PostToolUseFailureHookInput>>,
  Holds<Reads<In<Hooks['SubagentStart']>, SubagentStartHookInput>>,
  Holds<Reads<In<Hooks['SubagentStop']>, SubagentStopHookInput>>,
  Holds<Reads<In<Hooks['Stop']>, StopHookInput>>,
  Holds<Reads<In<Hooks['StopFailure']>, StopFailureHookInput>>,
  Holds<Reads<In<Hooks['SessionEnd']>, SessionEndHookInput>>,
  Holds<Reads<In<Hooks['PermissionRequest']>, PermissionRequestHookInput>>,
];

// Every error subtype the SDK declares is an `error.type` the GenAI metrics keep (they count any other as `_OTHER`).
type TheirErrorSubtype = SDKResultError['subtype'];
export type MetricValueChecks = [
  Holds<[TheirErrorSubtype] extends [ResultErrorType] ? true : { errorSubtypesNotListed: Exclude<TheirErrorSubtype, ResultErrorType> }>,
];
