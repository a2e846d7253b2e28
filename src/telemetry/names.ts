// Every span, attribute, log event and metric name claude-otel emits, written once: the
// writers (telemetry/, the resource, CI detection) and the readers (ctl) use these, and a unit
// test holds docs/telemetry.md to them. Names the OpenTelemetry semantic conventions mark
// stable come from @opentelemetry/semantic-conventions' stable entry (esbuild keeps only the
// constants used); the incubating ones (GenAI, VCS, CI/CD, session, process, host) are written
// here, as the package asks: its incubating entry may change in any minor release.

import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
  ATTR_TELEMETRY_SDK_LANGUAGE,
  ATTR_TELEMETRY_SDK_NAME,
} from '@opentelemetry/semantic-conventions';

export { ATTR_ERROR_TYPE, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION, ATTR_TELEMETRY_SDK_LANGUAGE, ATTR_TELEMETRY_SDK_NAME };

// --- Spans and GenAI operations -------------------------------------------------------------
export const SPAN_SESSION = 'claude.session';
export const OPERATION_INVOKE_AGENT = 'invoke_agent';
export const OPERATION_CHAT = 'chat';
export const OPERATION_EXECUTE_TOOL = 'execute_tool';
/** The main agent's name: its prompt spans are `invoke_agent claude-code`. */
export const MAIN_AGENT_NAME = 'claude-code';
export const PROVIDER_ANTHROPIC = 'anthropic';

/** A GenAI span's name: the operation, then what it works on (`chat <model>`). */
export function operationSpanName(operation: string, target: string): string {
  return `${operation} ${target}`;
}
export const SPAN_PROMPT = operationSpanName(OPERATION_INVOKE_AGENT, MAIN_AGENT_NAME);
/** The inverse, for readers: `Bash` from `execute_tool Bash`; undefined for another operation's span. */
export function operationTarget(spanName: string, operation: string): string | undefined {
  const prefix = operationSpanName(operation, '');
  return spanName.startsWith(prefix) ? spanName.slice(prefix.length) : undefined;
}

// --- Incubating general conventions ---------------------------------------------------------
export const ATTR_SESSION_ID = 'session.id';
export const ATTR_ERROR_MESSAGE = 'error.message';
export const ATTR_EVENT_NAME = 'event.name';
export const ATTR_PROCESS_EXIT_CODE = 'process.exit.code';
export const ATTR_PROCESS_PID = 'process.pid';
export const ATTR_PROCESS_RUNTIME_NAME = 'process.runtime.name';
export const ATTR_PROCESS_RUNTIME_VERSION = 'process.runtime.version';
export const ATTR_PROCESS_EXECUTABLE_NAME = 'process.executable.name';
export const ATTR_SERVICE_INSTANCE_ID = 'service.instance.id';
export const ATTR_HOST_NAME = 'host.name';
export const ATTR_HOST_ARCH = 'host.arch';
export const ATTR_OS_TYPE = 'os.type';
export const ATTR_OS_DESCRIPTION = 'os.description';

// --- GenAI (incubating) ---------------------------------------------------------------------
export const ATTR_GEN_AI_OPERATION_NAME = 'gen_ai.operation.name';
export const ATTR_GEN_AI_PROVIDER_NAME = 'gen_ai.provider.name';
export const ATTR_GEN_AI_CONVERSATION_ID = 'gen_ai.conversation.id';
export const ATTR_GEN_AI_AGENT_NAME = 'gen_ai.agent.name';
export const ATTR_GEN_AI_AGENT_DESCRIPTION = 'gen_ai.agent.description';
export const ATTR_GEN_AI_REQUEST_MODEL = 'gen_ai.request.model';
export const ATTR_GEN_AI_RESPONSE_MODEL = 'gen_ai.response.model';
export const ATTR_GEN_AI_RESPONSE_ID = 'gen_ai.response.id';
export const ATTR_GEN_AI_RESPONSE_FINISH_REASONS = 'gen_ai.response.finish_reasons';
export const ATTR_GEN_AI_USAGE_INPUT_TOKENS = 'gen_ai.usage.input_tokens';
export const ATTR_GEN_AI_USAGE_OUTPUT_TOKENS = 'gen_ai.usage.output_tokens';
export const ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS = 'gen_ai.usage.cache_read.input_tokens';
/** The cache write count's name before the conventions renamed it (the default). */
export const ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS = 'gen_ai.usage.cache_creation.input_tokens';
/** Its current name (OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental). */
export const ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS = 'gen_ai.usage.cache_write.input_tokens';
export const ATTR_GEN_AI_TOOL_NAME = 'gen_ai.tool.name';
export const ATTR_GEN_AI_TOOL_CALL_ID = 'gen_ai.tool.call.id';
export const ATTR_GEN_AI_TOOL_TYPE = 'gen_ai.tool.type';
export const ATTR_GEN_AI_TOOL_CALL_ARGUMENTS = 'gen_ai.tool.call.arguments';
export const ATTR_GEN_AI_TOOL_CALL_RESULT = 'gen_ai.tool.call.result';
export const ATTR_GEN_AI_INPUT_MESSAGES = 'gen_ai.input.messages';
export const ATTR_GEN_AI_OUTPUT_MESSAGES = 'gen_ai.output.messages';
export const ATTR_GEN_AI_TOKEN_TYPE = 'gen_ai.token.type';
export const ATTR_GEN_AI_TOKEN_MODALITY = 'gen_ai.token.modality';

// --- VCS and CI/CD (incubating) -------------------------------------------------------------
export const ATTR_VCS_REPOSITORY_URL_FULL = 'vcs.repository.url.full';
export const ATTR_VCS_REPOSITORY_NAME = 'vcs.repository.name';
export const ATTR_VCS_REF_HEAD_NAME = 'vcs.ref.head.name';
export const ATTR_VCS_REF_HEAD_REVISION = 'vcs.ref.head.revision';
export const ATTR_VCS_PROVIDER_NAME = 'vcs.provider.name';
export const ATTR_CICD_PIPELINE_NAME = 'cicd.pipeline.name';
export const ATTR_CICD_PIPELINE_RUN_ID = 'cicd.pipeline.run.id';
export const ATTR_CICD_PIPELINE_RUN_URL_FULL = 'cicd.pipeline.run.url.full';
export const ATTR_CICD_PIPELINE_TASK_NAME = 'cicd.pipeline.task.name';
export const ATTR_CICD_PIPELINE_TASK_RUN_ID = 'cicd.pipeline.task.run.id';
export const ATTR_CICD_PIPELINE_TASK_RUN_URL_FULL = 'cicd.pipeline.task.run.url.full';

// --- claude.*: the session ------------------------------------------------------------------
export const ATTR_CLAUDE_MODE = 'claude.mode';
export const ATTR_CLAUDE_SOURCE = 'claude.source';
export const ATTR_CLAUDE_VERSION = 'claude.version';
export const ATTR_CLAUDE_PROMPT_COUNT = 'claude.prompt_count';
export const ATTR_CLAUDE_TOOL_COUNT = 'claude.tool_count';
export const ATTR_CLAUDE_TOOL_ERROR_COUNT = 'claude.tool_error_count';
export const ATTR_CLAUDE_NUM_TURNS = 'claude.num_turns';
export const ATTR_CLAUDE_DURATION_API_MS = 'claude.duration_api_ms';
export const ATTR_CLAUDE_PERMISSION_DENIALS = 'claude.permission_denials';
export const ATTR_CLAUDE_RESULT_SUBTYPE = 'claude.result.subtype';
export const ATTR_CLAUDE_RESULT_IS_ERROR = 'claude.result.is_error';
export const ATTR_CLAUDE_INTERRUPTED = 'claude.interrupted';
export const ATTR_CLAUDE_SIGNAL = 'claude.signal';
/** Spans and log records over CLAUDE_OTEL_MAX_SPANS, counted and not kept (src/export/session-buffer.ts). */
export const ATTR_CLAUDE_SPANS_DROPPED = 'claude.spans.dropped';
export const ATTR_CLAUDE_LOGS_DROPPED = 'claude.logs.dropped';
export const ATTR_CLAUDE_SESSION_USER_WAIT_MS = 'claude.session.user_wait_ms';
/** The session a resumed, continued or forked run continues. */
export const ATTR_CLAUDE_SESSION_RESUMED_FROM = 'claude.session.resumed_from';
export const ATTR_CLAUDE_SESSION_ACTIVE_MS = 'claude.session.active_ms';
export const ATTR_CLAUDE_COMPACTIONS = 'claude.compactions';
export const ATTR_CLAUDE_GIT_REVISION_END = 'claude.git.revision.end';
export const ATTR_CLAUDE_GIT_COMMITS = 'claude.git.commits';
export const ATTR_CLAUDE_GIT_DIRTY = 'claude.git.dirty';
export const ATTR_CLAUDE_GIT_WORKTREE = 'claude.git.worktree';

// --- claude.*: prompts, responses, model calls and cost -------------------------------------
export const ATTR_CLAUDE_PROMPT_INDEX = 'claude.prompt.index';
export const ATTR_CLAUDE_PROMPT_LENGTH = 'claude.prompt.length';
export const ATTR_CLAUDE_PROMPT_PREVIEW = 'claude.prompt.preview';
export const ATTR_CLAUDE_RESPONSE_LENGTH = 'claude.response.length';
export const ATTR_CLAUDE_TURN_USER_WAIT_MS = 'claude.turn.user_wait_ms';
export const ATTR_CLAUDE_TTFT_MS = 'claude.ttft_ms';
export const ATTR_CLAUDE_CONTEXT_TOKENS = 'claude.context.tokens';
export const ATTR_CLAUDE_COST_USD = 'claude.cost_usd';
export const ATTR_CLAUDE_COST_INPUT_USD = 'claude.cost.input_usd';
export const ATTR_CLAUDE_COST_OUTPUT_USD = 'claude.cost.output_usd';
export const ATTR_CLAUDE_COST_CACHE_READ_USD = 'claude.cost.cache_read_usd';
export const ATTR_CLAUDE_COST_CACHE_WRITE_USD = 'claude.cost.cache_write_usd';
export const ATTR_CLAUDE_CACHE_REBUILD = 'claude.cache.rebuild';
export const ATTR_CLAUDE_CACHE_REBUILDS = 'claude.cache.rebuilds';
export const ATTR_CLAUDE_CACHE_REBUILD_COST_USD = 'claude.cache.rebuild_cost_usd';
export const ATTR_CLAUDE_CACHE_HIT_RATIO = 'claude.cache.hit_ratio';

// --- claude.*: tools and subagents ----------------------------------------------------------
export const ATTR_CLAUDE_TOOL_INPUT_SUMMARY = 'claude.tool.input_summary';
export const ATTR_CLAUDE_TOOL_DURATION_MS = 'claude.tool.duration_ms';
export const ATTR_CLAUDE_TOOL_ERROR = 'claude.tool.error';
export const ATTR_CLAUDE_TOOL_ERROR_MESSAGE = 'claude.tool.error_message';
export const ATTR_CLAUDE_TOOL_EXIT_CODE = 'claude.tool.exit_code';
export const ATTR_CLAUDE_TOOL_STDOUT_BYTES = 'claude.tool.stdout_bytes';
export const ATTR_CLAUDE_TOOL_STDERR_BYTES = 'claude.tool.stderr_bytes';
export const ATTR_CLAUDE_TOOL_OUTPUT_BYTES = 'claude.tool.output_bytes';
export const ATTR_CLAUDE_TOOL_OUTPUT_TRUNCATED = 'claude.tool.output_truncated';
export const ATTR_CLAUDE_TOOL_INTERRUPTED = 'claude.tool.interrupted';
export const ATTR_CLAUDE_TOOL_TIMED_OUT = 'claude.tool.timed_out';
export const ATTR_CLAUDE_TOOL_PERMISSION_DENIED = 'claude.tool.permission_denied';
export const ATTR_CLAUDE_TOOL_PERMISSION_WAIT_MS = 'claude.tool.permission_wait_ms';
export const ATTR_CLAUDE_TOOL_PERMISSION_DECISION = 'claude.tool.permission.decision';
export const ATTR_CLAUDE_TOOL_PERMISSION_SOURCE = 'claude.tool.permission.source';
export const ATTR_CLAUDE_AGENT_ID = 'claude.agent.id';
export const ATTR_CLAUDE_AGENT_TOTAL_TOKENS = 'claude.agent.total_tokens';
export const ATTR_CLAUDE_AGENT_TOOL_USES = 'claude.agent.tool_uses';
export const ATTR_CLAUDE_AGENT_DURATION_MS = 'claude.agent.duration_ms';
export const ATTR_CLAUDE_AGENT_STATUS = 'claude.agent.status';
export const ATTR_CLAUDE_AGENT_BACKGROUND = 'claude.agent.background';
export const ATTR_CLAUDE_AGENT_UNFINISHED = 'claude.agent.unfinished';
/** On a span link: `resumes` (a resumed session's earlier run) or `continues` (an agent's earlier run). */
export const ATTR_CLAUDE_LINK_TYPE = 'claude.link.type';
export const ATTR_CLAUDE_CONTEXT_WINDOW = 'claude.context.window';
export const ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS = 'gen_ai.usage.reasoning.output_tokens';

// --- claude.*: span events and log records --------------------------------------------------
export const ATTR_CLAUDE_API_ERROR_FINAL = 'claude.api_error.final';
export const ATTR_CLAUDE_API_ERROR_ATTEMPT = 'claude.api_error.attempt';
export const ATTR_CLAUDE_API_ERROR_MAX_RETRIES = 'claude.api_error.max_retries';
export const ATTR_CLAUDE_COMPACTION_TRIGGER = 'claude.compaction.trigger';
export const ATTR_CLAUDE_COMPACTION_PRE_TOKENS = 'claude.compaction.pre_tokens';
export const ATTR_CLAUDE_COMPACTION_POST_TOKENS = 'claude.compaction.post_tokens';

/** Span events (on spans) and log record event names; the first two are both. */
export const EVENT_API_ERROR = 'claude.api_error';
export const EVENT_COMPACTION = 'claude.compaction';
export const EVENT_SESSION_START = 'claude.session.start';
export const EVENT_SESSION_END = 'claude.session.end';
export const EVENT_USER_PROMPT = 'claude.user_prompt';
export const EVENT_ASSISTANT_RESPONSE = 'claude.assistant_response';
export const EVENT_TOOL_START = 'claude.tool.start';
export const EVENT_TOOL_END = 'claude.tool.end';
export const EVENT_TOOL_ERROR = 'claude.tool.error';

// --- Metrics and their attributes -----------------------------------------------------------
export const METRIC_CLAUDE_SESSION_COUNT = 'claude.session.count';
export const METRIC_CLAUDE_SESSION_DURATION = 'claude.session.duration';
export const METRIC_CLAUDE_TOOL_CALLS = 'claude.tool.calls';
export const METRIC_CLAUDE_TOOL_DURATION = 'claude.tool.duration';
export const METRIC_CLAUDE_TOKEN_USAGE = 'claude.token.usage';
export const METRIC_CLAUDE_COST_USAGE = 'claude.cost.usage';
export const METRIC_CLAUDE_CACHE_REBUILDS = 'claude.cache.rebuilds';
export const METRIC_CLAUDE_USER_WAIT = 'claude.user.wait';
export const METRIC_GEN_AI_CLIENT_TOKEN_USAGE = 'gen_ai.client.token.usage';
export const METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_INPUT_TOKENS = 'gen_ai.client.inference.usage.input_tokens';
export const METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_OUTPUT_TOKENS = 'gen_ai.client.inference.usage.output_tokens';
export const METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_CACHE_READ_INPUT_TOKENS = 'gen_ai.client.inference.usage.cache_read.input_tokens';
export const METRIC_GEN_AI_CLIENT_INFERENCE_USAGE_CACHE_WRITE_INPUT_TOKENS = 'gen_ai.client.inference.usage.cache_write.input_tokens';
export const METRIC_GEN_AI_CLIENT_INFERENCE_OPERATION_INPUT_TOKENS = 'gen_ai.client.inference.operation.input_tokens';
export const METRIC_GEN_AI_CLIENT_INFERENCE_OPERATION_OUTPUT_TOKENS = 'gen_ai.client.inference.operation.output_tokens';
export const METRIC_GEN_AI_CLIENT_OPERATION_DURATION = 'gen_ai.client.operation.duration';
export const METRIC_GEN_AI_INVOKE_AGENT_DURATION = 'gen_ai.invoke_agent.duration';
export const METRIC_GEN_AI_EXECUTE_TOOL_DURATION = 'gen_ai.execute_tool.duration';
export const ATTR_CLAUDE_SESSION_ERROR = 'claude.session.error';
export const ATTR_CLAUDE_COST_COMPONENT = 'claude.cost.component';
export const ATTR_CLAUDE_WAIT_KIND = 'claude.wait.kind';
/** claude.token.usage's token type (a bare name, kept as it has always been). */
export const ATTR_TOKEN_TYPE = 'type';

// --- claude-otel-ctl doctor's test export ---------------------------------------------------
export const SPAN_DOCTOR = 'claude-otel doctor';
/** The test span's attribute and the test log record's event name. */
export const DOCTOR_TEST = 'claude_otel.doctor';
export const METRIC_DOCTOR_CHECKS = 'claude_otel.doctor.checks';

// Claude Code's own telemetry (docs/telemetry.md, "Claude Code's own telemetry"): what the
// wrapper puts on a joined span or record, and the names of Claude's it reads and passes on.
export const ATTR_CLAUDE_REQUEST_ID = 'claude.request_id';
export const ATTR_CLAUDE_FIRST_CONTENT_MS = 'claude.first_content_ms';
export const ATTR_CLAUDE_QUERY_SOURCE = 'claude.query_source';
export const ATTR_CLAUDE_EFFORT = 'claude.effort';
export const ATTR_CLAUDE_SPEED = 'claude.speed';
export const ATTR_CLAUDE_ATTEMPT = 'claude.attempt';
export const ATTR_CLAUDE_REQUEST_CONTEXT = 'claude.request.context';
export const ATTR_CLAUDE_INTERACTION_SEQUENCE = 'claude.interaction.sequence';
export const ATTR_CLAUDE_TOOL_BASH_COMMAND_CLASS = 'claude.tool.bash.command_class';
export const ATTR_CLAUDE_TOOL_BASH_ARGV0 = 'claude.tool.bash.argv0';
export const ATTR_CLAUDE_TOOL_INPUT_SIZE_BYTES = 'claude.tool.input_size_bytes';
export const ATTR_CLAUDE_PROMPT_ID = 'claude.prompt.id';
/** Marks what came from Claude Code's own export alone (spans and log records). */
export const ATTR_CLAUDE_NATIVE = 'claude.native';
export const NATIVE_SCOPE_TRACING = 'com.anthropic.claude_code.tracing';
export const NATIVE_SCOPE_EVENTS = 'com.anthropic.claude_code.events';
export const NATIVE_SPAN_INTERACTION = 'claude_code.interaction';
export const NATIVE_SPAN_LLM_REQUEST = 'claude_code.llm_request';
export const NATIVE_SPAN_TOOL = 'claude_code.tool';
export const NATIVE_SPAN_BLOCKED_ON_USER = 'claude_code.tool.blocked_on_user';
export const NATIVE_SPAN_TOOL_EXECUTION = 'claude_code.tool.execution';
export const NATIVE_SPAN_HOOK = 'claude_code.hook';
export const NATIVE_METRIC_COST_USAGE = 'claude_code.cost.usage';
export const NATIVE_METRIC_TOKEN_USAGE = 'claude_code.token.usage';
export const NATIVE_METRIC_SESSION_COUNT = 'claude_code.session.count';
export const NATIVE_METRIC_ACTIVE_TIME = 'claude_code.active_time.total';
export const NATIVE_METRIC_LINES_OF_CODE = 'claude_code.lines_of_code.count';
export const NATIVE_METRIC_COMMITS = 'claude_code.commit.count';
export const NATIVE_METRIC_PULL_REQUESTS = 'claude_code.pull_request.count';
export const NATIVE_METRIC_EDIT_DECISIONS = 'claude_code.code_edit_tool.decision';
/** Claude's own attribute names that the join renames or leaves out. */
export const NATIVE_ATTR_USER_ID = 'user.id';
export const NATIVE_ATTR_TERMINAL_TYPE = 'terminal.type';
export const NATIVE_ATTR_PROVIDER = 'anthropic.provider';
export const NATIVE_ATTR_CUSTOM_BASE_URL = 'anthropic.custom_base_url';
export const NATIVE_ATTR_SPAN_TYPE = 'span.type';
export const NATIVE_ATTR_EVENT_TIMESTAMP = 'event.timestamp';
export const NATIVE_ATTR_EVENT_SEQUENCE = 'event.sequence';
export const NATIVE_ATTR_INTERACTION_DURATION = 'interaction.duration_ms';
export const NATIVE_ATTR_INTERACTION_SEQUENCE = 'interaction.sequence';
export const NATIVE_ATTR_REQUEST_CONTEXT = 'llm_request.context';
export const NATIVE_ATTR_PROMPT_ID = 'prompt.id';
export const NATIVE_ATTR_GEN_AI_SYSTEM = 'gen_ai.system';
