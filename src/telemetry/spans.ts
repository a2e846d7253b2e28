import { SpanKind, SpanStatusCode, trace, context as otelContext, type Attributes, type Context, type Span, type SpanContext, type Tracer } from '@opentelemetry/api';
import type { SessionEvent, SessionResult, TokenUsage } from '../session/events.ts';
import { toolInputSummary } from '../session/tool-input-summary.ts';
import { redactedErrorMessage } from '../session/tool-outcome.ts';
import { redactedPrefix } from '../privacy/bounded-redaction.ts';
import { apportionCost, costTotal, listPriceParts, type CostParts } from './pricing.ts';
import { gitAttributes } from './git-attributes.ts';
import { genAiInputTokens, usageAttributes } from './usage-attributes.ts';
import { SessionEconomics, costAttributes } from './session-economics.ts';
import { chatContentAttributes, contentJson } from './content-attributes.ts';
import { toolOutcomeAttributes } from './tool-attributes.ts';
import { resultAttributes, sessionResultAttributes } from './result-attributes.ts';
import type { GenAiConfig } from '../config/genai-config.ts';
import { markResumed, type EarlierSessionLookup } from './resume-link.ts';
import { agentEndAttributes, agentStartAttributes, continuesLink } from './agent-attributes.ts';
import {
  ATTR_CLAUDE_AGENT_DURATION_MS, ATTR_CLAUDE_AGENT_ID, ATTR_CLAUDE_AGENT_STATUS, ATTR_CLAUDE_AGENT_TOOL_USES, ATTR_CLAUDE_AGENT_TOTAL_TOKENS,
  ATTR_CLAUDE_API_ERROR_ATTEMPT, ATTR_CLAUDE_API_ERROR_FINAL, ATTR_CLAUDE_CACHE_REBUILD, ATTR_CLAUDE_COMPACTION_POST_TOKENS,
  ATTR_CLAUDE_COMPACTION_PRE_TOKENS, ATTR_CLAUDE_COMPACTION_TRIGGER, ATTR_CLAUDE_CONTEXT_TOKENS, ATTR_CLAUDE_COST_USD, ATTR_CLAUDE_INTERRUPTED,
  ATTR_CLAUDE_MODE, ATTR_CLAUDE_PROMPT_COUNT, ATTR_CLAUDE_PROMPT_INDEX, ATTR_CLAUDE_PROMPT_LENGTH, ATTR_CLAUDE_PROMPT_PREVIEW, ATTR_CLAUDE_SIGNAL,
  ATTR_CLAUDE_TOOL_COUNT, ATTR_CLAUDE_TOOL_ERROR_COUNT, ATTR_CLAUDE_TOOL_INPUT_SUMMARY, ATTR_CLAUDE_TTFT_MS, ATTR_CLAUDE_TURN_USER_WAIT_MS,
  ATTR_CLAUDE_VERSION, ATTR_ERROR_MESSAGE, ATTR_ERROR_TYPE, ATTR_GEN_AI_AGENT_DESCRIPTION, ATTR_GEN_AI_AGENT_NAME, ATTR_GEN_AI_CONVERSATION_ID,
  ATTR_GEN_AI_OPERATION_NAME, ATTR_GEN_AI_PROVIDER_NAME, ATTR_GEN_AI_REQUEST_MODEL, ATTR_GEN_AI_RESPONSE_FINISH_REASONS, ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_MODEL, ATTR_GEN_AI_TOOL_CALL_ARGUMENTS, ATTR_GEN_AI_TOOL_CALL_ID, ATTR_GEN_AI_TOOL_CALL_RESULT, ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_TOOL_TYPE, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_PROCESS_EXIT_CODE, ATTR_SESSION_ID, EVENT_API_ERROR, EVENT_COMPACTION, MAIN_AGENT_NAME,
  OPERATION_CHAT, OPERATION_EXECUTE_TOOL, OPERATION_INVOKE_AGENT, PROVIDER_ANTHROPIC, SPAN_PROMPT, SPAN_SESSION, operationSpanName,
} from './names.ts';

// Session events → spans, named as docs/telemetry.md promises:
// claude.session → invoke_agent claude-code → chat <model> / execute_tool <tool> → invoke_agent <subagent>.

export const PROMPT_PREVIEW_LENGTH = 120;
/** A failed result's text in a span status. */
const RESULT_MESSAGE_LENGTH = 500;

export type ChatEvent = Extract<SessionEvent, { kind: 'chat' }>;

export interface SpanMapperOptions {
  /** The parent of the session span (an inbound TRACEPARENT or a host program's active span). */
  parentContext?: Context;
  /** Prompt text in span attributes: 'preview' (first 120 characters) or 'off'. */
  promptPreview: boolean;
  /** Called when a chat span is written (they wait for their prompt's end). */
  onChat?: (chat: ChatEvent, cost: CostParts | undefined, rebuild: boolean) => void;
  /** Called for each wait on the person (interactive mode): before a prompt, or on a permission prompt. */
  onUserWait?: (ms: number, kind: 'prompt' | 'permission') => void;
  /** Names, content and cache lifetime (see GenAiConfig). */
  genAi: GenAiConfig;
  /** Text that may carry secrets passes through here before it becomes an attribute. */
  redact: (text: string) => string;
  /** Extra attributes of the session span (inbound baggage). */
  sessionAttributes?: Attributes;
  /** The root span of a session's earlier run, when the local store has it: a resumed session links to it. */
  earlierSession?: EarlierSessionLookup;
}

export interface SessionTotals {
  usage: TokenUsage;
  toolCount: number;
  toolErrors: number;
  costUsd: number;
  prompts: number;
}

export class SpanMapper {
  private sessionSpan: Span | undefined;
  private sessionContext: Context | undefined;
  private promptSpan: Span | undefined;
  private promptContext: Context | undefined;
  private promptIndex = 0;
  private pendingChats: ChatEvent[] = [];
  private lastPromptSpan: Span | undefined;
  /** The tool span that ended last: its log record is written right after it ends. */
  private lastEndedTool: { toolUseId: string; span: Span } | undefined;
  private readonly toolSpans = new Map<string, { span: Span; start: number; name: string }>();
  private readonly agentContexts = new Map<string, { span: Span; context: Context }>();
  private readonly toolContexts = new Map<string, Context>();
  readonly totals: SessionTotals = { usage: { input: 0, output: 0, cacheRead: 0, cacheCreation: 0 }, toolCount: 0, toolErrors: 0, costUsd: 0, prompts: 0 };
  private sessionCostReported: number | undefined;
  private readonly economics: SessionEconomics;
  private promptStart = 0;
  /** Subagents that ended before their calls were written end once their calls are in. */
  private endedAgents: { toolUseId: string; span: Span; time: number }[] = [];

  constructor(
    private readonly tracer: Tracer,
    private readonly options: SpanMapperOptions,
  ) {
    this.economics = new SessionEconomics(options.genAi.cacheTtlMs);
  }

  /** The span a log record for this event belongs to (after handle() has run). */
  spanFor(event: SessionEvent): Span | undefined {
    switch (event.kind) {
      case 'session_start':
      case 'session_end':
        return this.sessionSpan;
      case 'compaction':
        return this.promptSpan ?? this.sessionSpan;
      case 'tool_start':
      case 'tool_end':
        return this.toolSpans.get(event.toolUseId)?.span ?? (this.lastEndedTool?.toolUseId === event.toolUseId ? this.lastEndedTool.span : undefined);
      default:
        return this.promptSpan ?? this.lastPromptSpan ?? this.sessionSpan;
    }
  }

  get traceId(): string | undefined { return this.sessionSpan?.spanContext().traceId; }
  get sessionSpanId(): string | undefined { return this.sessionSpan?.spanContext().spanId; }

  handle(event: SessionEvent): void {
    switch (event.kind) {
      case 'session_start':
        this.startSession(event);
        break;
      case 'prompt_start':
        this.startPrompt(event);
        break;
      case 'chat':
        this.pendingChats.push(event);
        break;
      case 'tool_start':
        this.startTool(event);
        break;
      case 'tool_end':
        this.endTool(event);
        break;
      case 'subagent_start':
        this.startSubagent(event);
        break;
      case 'subagent_end':
        this.endSubagent(event);
        break;
      case 'api_error':
        this.recordApiError(event);
        break;
      case 'compaction':
        this.recordCompaction(event);
        break;
      case 'prompt_end':
        this.endPrompt(event);
        break;
      case 'session_end':
        this.endSession(event);
        break;
    }
  }

  /**
   * Starts the session span now, before its first event, so that its context can be handed
   * on (to claude's environment) before claude starts. The session_start event fills it in.
   */
  open(time: number): SpanContext {
    if (!this.sessionSpan) {
      const parent = this.options.parentContext ?? otelContext.active();
      this.sessionSpan = this.tracer.startSpan(SPAN_SESSION, { kind: SpanKind.INTERNAL, startTime: time, attributes: { ...this.options.sessionAttributes } }, parent);
      this.sessionContext = trace.setSpan(parent, this.sessionSpan);
    }
    return this.sessionSpan.spanContext();
  }

  private startSession(event: Extract<SessionEvent, { kind: 'session_start' }>): void {
    const attributes: Attributes = {
      [ATTR_CLAUDE_MODE]: event.mode,
      [ATTR_CLAUDE_VERSION]: event.version,
      [ATTR_GEN_AI_REQUEST_MODEL]: event.model,
    };
    if (event.sessionId) {
      attributes[ATTR_SESSION_ID] = event.sessionId;
      attributes[ATTR_GEN_AI_CONVERSATION_ID] = event.sessionId;
    }
    this.open(event.time);
    this.sessionSpan?.setAttributes(attributes);
    if (this.sessionSpan) markResumed(this.sessionSpan, event.resumedFrom, this.options.earlierSession);
    this.economics.startSession(event.time, event.mode);
  }

  /** The session id can arrive after the session span started (interactive resumes). */
  setSessionId(sessionId: string): void {
    this.sessionSpan?.setAttributes({ [ATTR_SESSION_ID]: sessionId, [ATTR_GEN_AI_CONVERSATION_ID]: sessionId });
  }

  private startPrompt(event: Extract<SessionEvent, { kind: 'prompt_start' }>): void {
    if (!this.sessionContext) return;
    this.promptIndex += 1;
    this.totals.prompts += 1;
    const attributes: Attributes = {
      [ATTR_GEN_AI_OPERATION_NAME]: OPERATION_INVOKE_AGENT,
      [ATTR_GEN_AI_AGENT_NAME]: MAIN_AGENT_NAME,
      [ATTR_GEN_AI_PROVIDER_NAME]: PROVIDER_ANTHROPIC,
      [ATTR_CLAUDE_PROMPT_INDEX]: this.promptIndex,
    };
    if (event.promptLength !== undefined) attributes[ATTR_CLAUDE_PROMPT_LENGTH] = event.promptLength;
    this.promptStart = event.time;
    const userWait = this.economics.startTurn(event.time);
    if (userWait !== undefined) {
      attributes[ATTR_CLAUDE_TURN_USER_WAIT_MS] = userWait;
      this.options.onUserWait?.(userWait, 'prompt');
    }
    if (event.text !== undefined && this.options.promptPreview) {
      const preview = redactedPrefix(this.options.redact, event.text, PROMPT_PREVIEW_LENGTH);
      attributes[ATTR_CLAUDE_PROMPT_PREVIEW] = preview;
      if (this.promptIndex === 1) this.sessionSpan?.setAttribute(ATTR_CLAUDE_PROMPT_PREVIEW, preview);
    }
    this.promptSpan = this.tracer.startSpan(SPAN_PROMPT, { kind: SpanKind.INTERNAL, startTime: event.time, attributes }, this.sessionContext);
    this.promptContext = trace.setSpan(this.sessionContext, this.promptSpan);
  }

  private agentContext(agent: string | null): Context | undefined {
    if (agent !== null) {
      const sub = this.agentContexts.get(agent);
      if (sub) return sub.context;
      const tool = this.toolContexts.get(agent);
      if (tool) return tool;
    }
    return this.promptContext ?? this.sessionContext;
  }

  private startTool(event: Extract<SessionEvent, { kind: 'tool_start' }>): void {
    const parent = this.agentContext(event.agent);
    if (!parent) return;
    const attributes: Attributes = {
      [ATTR_GEN_AI_OPERATION_NAME]: OPERATION_EXECUTE_TOOL,
      [ATTR_GEN_AI_TOOL_NAME]: event.name,
      [ATTR_GEN_AI_TOOL_CALL_ID]: event.toolUseId,
      [ATTR_GEN_AI_TOOL_TYPE]: event.name.startsWith('mcp__') ? 'extension' : 'function',
      [ATTR_CLAUDE_TOOL_INPUT_SUMMARY]: toolInputSummary(event.name, event.input, this.options.redact),
    };
    if (this.options.genAi.logContent) attributes[ATTR_GEN_AI_TOOL_CALL_ARGUMENTS] = contentJson(event.input, this.options.redact);
    const span = this.tracer.startSpan(operationSpanName(OPERATION_EXECUTE_TOOL, event.name), { kind: SpanKind.INTERNAL, startTime: event.time, attributes }, parent);
    this.toolSpans.set(event.toolUseId, { span, start: event.time, name: event.name });
    this.toolContexts.set(event.toolUseId, trace.setSpan(parent, span));
    this.totals.toolCount += 1;
  }

  private endTool(event: Extract<SessionEvent, { kind: 'tool_end' }>): void {
    const open = this.toolSpans.get(event.toolUseId);
    if (!open) return;
    this.toolSpans.delete(event.toolUseId);
    const { span, start } = open;
    const o = event.outcome;
    const attributes = toolOutcomeAttributes(o, event.time - start, this.options.redact);
    if (o.permissionWaitMs !== undefined) {
      this.economics.permissionWait(o.permissionWaitMs);
      this.options.onUserWait?.(o.permissionWaitMs, 'permission');
    }
    if (this.options.genAi.logContent && event.result !== undefined) attributes[ATTR_GEN_AI_TOOL_CALL_RESULT] = contentJson(event.result, this.options.redact);
    span.setAttributes(attributes);
    if (o.isError) {
      this.totals.toolErrors += 1;
      span.setStatus({ code: SpanStatusCode.ERROR, ...(o.errorMessage !== undefined ? { message: redactedErrorMessage(this.options.redact, o) } : {}) });
    }
    span.end(event.time);
    this.lastEndedTool = { toolUseId: event.toolUseId, span };
    // A long session must not keep every tool's context; a subagent's tool keeps it for its calls.
    if (!this.agentContexts.has(event.toolUseId)) this.toolContexts.delete(event.toolUseId);
  }

  private startSubagent(event: Extract<SessionEvent, { kind: 'subagent_start' }>): void {
    const parent = this.toolContexts.get(event.toolUseId) ?? this.promptContext;
    if (!parent) return;
    const attributes = agentStartAttributes(event, this.options.redact);
    const links = continuesLink(event.continues !== undefined ? this.agentContexts.get(event.continues)?.span.spanContext() : undefined);
    const span = this.tracer.startSpan(operationSpanName(OPERATION_INVOKE_AGENT, event.agentType), { kind: SpanKind.INTERNAL, startTime: event.time, attributes, links }, parent);
    this.agentContexts.set(event.toolUseId, { span, context: trace.setSpan(parent, span) });
  }

  private endSubagent(event: Extract<SessionEvent, { kind: 'subagent_end' }>): void {
    const agent = this.agentContexts.get(event.toolUseId);
    if (!agent) return;
    agent.span.setAttributes(agentEndAttributes(event));
    this.endedAgents.push({ toolUseId: event.toolUseId, span: agent.span, time: event.time });
  }

  /** Ends the subagents whose calls are written, with their cost. */
  private endFinishedAgents(): void {
    for (const agent of this.endedAgents) {
      agent.span.setAttributes(this.economics.agentAttributes(agent.toolUseId));
      agent.span.end(agent.time);
    }
    this.endedAgents = [];
  }

  private recordCompaction(event: Extract<SessionEvent, { kind: 'compaction' }>): void {
    this.economics.compaction();
    const attributes: Attributes = { [ATTR_CLAUDE_COMPACTION_TRIGGER]: event.trigger };
    if (event.preTokens !== undefined) attributes[ATTR_CLAUDE_COMPACTION_PRE_TOKENS] = event.preTokens;
    if (event.postTokens !== undefined) attributes[ATTR_CLAUDE_COMPACTION_POST_TOKENS] = event.postTokens;
    (this.promptSpan ?? this.sessionSpan)?.addEvent(EVENT_COMPACTION, attributes, event.time);
  }

  private recordApiError(event: Extract<SessionEvent, { kind: 'api_error' }>): void {
    const span = this.promptSpan ?? this.sessionSpan;
    const attributes: Attributes = { [ATTR_ERROR_MESSAGE]: this.options.redact(event.message), [ATTR_CLAUDE_API_ERROR_FINAL]: event.final };
    if (event.status !== undefined) attributes[ATTR_HTTP_RESPONSE_STATUS_CODE] = event.status;
    if (event.attempt !== undefined) attributes[ATTR_CLAUDE_API_ERROR_ATTEMPT] = event.attempt;
    span?.addEvent(EVENT_API_ERROR, attributes, event.time);
  }

  /** Chat spans wait for their prompt's end, when the CLI's cost totals are known. */
  private flushChats(result: SessionResult | undefined): void {
    const chats = this.pendingChats;
    this.pendingChats = [];
    const costs = result ? apportionCost(chats, result.costByModel) : chats.map((c) => listPriceParts(c.model, c.usage));
    chats.forEach((chat, i) => this.emitChat(chat, costs[i]));
    this.endFinishedAgents();
  }

  private emitChat(chat: ChatEvent, cost: CostParts | undefined): void {
    const parent = this.agentContext(chat.agent);
    if (!parent) return;
    const attributes: Attributes = {
      [ATTR_GEN_AI_OPERATION_NAME]: OPERATION_CHAT,
      [ATTR_GEN_AI_PROVIDER_NAME]: PROVIDER_ANTHROPIC,
      [ATTR_GEN_AI_REQUEST_MODEL]: chat.model,
      [ATTR_GEN_AI_RESPONSE_MODEL]: chat.model,
      ...usageAttributes(chat.usage, this.options.genAi.latestSemconv),
      [ATTR_CLAUDE_CONTEXT_TOKENS]: genAiInputTokens(chat.usage),
    };
    if (chat.messageId) attributes[ATTR_GEN_AI_RESPONSE_ID] = chat.messageId;
    if (chat.finishReason !== undefined) attributes[ATTR_GEN_AI_RESPONSE_FINISH_REASONS] = [chat.finishReason];
    if (chat.ttftMs !== undefined) attributes[ATTR_CLAUDE_TTFT_MS] = chat.ttftMs;
    if (cost !== undefined) {
      const total = costTotal(cost);
      attributes[ATTR_CLAUDE_COST_USD] = total;
      Object.assign(attributes, costAttributes(cost));
      this.totals.costUsd += total;
    }
    const rebuild = this.economics.chat(chat, cost);
    if (rebuild) attributes[ATTR_CLAUDE_CACHE_REBUILD] = true;
    if (this.options.genAi.logContent && chat.content) Object.assign(attributes, chatContentAttributes(chat.content, chat.finishReason, this.options.redact));
    const span = this.tracer.startSpan(operationSpanName(OPERATION_CHAT, chat.model), { kind: SpanKind.CLIENT, startTime: chat.start, attributes }, parent);
    span.end(chat.end);
    this.options.onChat?.(chat, cost, rebuild);
    const t = this.totals.usage;
    t.input += chat.usage.input;
    t.output += chat.usage.output;
    t.cacheRead += chat.usage.cacheRead;
    t.cacheCreation += chat.usage.cacheCreation;
  }

  private endPrompt(event: Extract<SessionEvent, { kind: 'prompt_end' }>): void {
    this.flushChats(event.result);
    if (event.result?.costUsd !== undefined) this.sessionCostReported = (this.sessionCostReported ?? 0) + event.result.costUsd;
    const span = this.promptSpan;
    if (!span) return;
    span.setAttributes(this.economics.endTurn(this.promptStart, event.time));
    if (event.result) {
      span.setAttributes(resultAttributes(event.result));
      if (event.result.isError) {
        span.setAttribute(ATTR_ERROR_TYPE, event.result.subtype === 'success' ? 'api_error' : event.result.subtype);
        span.setStatus({ code: SpanStatusCode.ERROR, message: redactedPrefix(this.options.redact, event.result.text ?? event.result.subtype, RESULT_MESSAGE_LENGTH) });
      }
    }
    span.end(event.time);
    this.lastPromptSpan = span;
    this.promptSpan = undefined;
    this.promptContext = undefined;
  }

  private endSession(event: Extract<SessionEvent, { kind: 'session_end' }>): void {
    this.flushChats(event.result);
    const span = this.sessionSpan;
    if (!span) return;
    for (const [, agent] of this.agentContexts) if (agent.span.isRecording()) agent.span.end(event.time);
    const attributes: Attributes = {
      [ATTR_CLAUDE_TOOL_COUNT]: this.totals.toolCount,
      [ATTR_CLAUDE_TOOL_ERROR_COUNT]: this.totals.toolErrors,
      [ATTR_CLAUDE_PROMPT_COUNT]: this.totals.prompts,
      ...usageAttributes(this.totals.usage, this.options.genAi.latestSemconv),
      [ATTR_CLAUDE_COST_USD]: this.sessionCostReported ?? this.totals.costUsd,
      ...this.economics.sessionAttributes(this.sessionCostReported),
      [ATTR_PROCESS_EXIT_CODE]: event.exitCode,
      [ATTR_CLAUDE_INTERRUPTED]: event.interrupted,
    };
    if (event.signal) attributes[ATTR_CLAUDE_SIGNAL] = event.signal;
    if (event.git) Object.assign(attributes, gitAttributes(event.git));
    if (event.result) {
      Object.assign(attributes, sessionResultAttributes(event.result));
    }
    span.setAttributes(attributes);
    const failed = event.result?.isError === true || event.exitCode !== 0 || event.interrupted;
    if (failed) {
      const errorType = event.interrupted
        ? 'interrupted'
        : event.result?.isError
          ? event.result.subtype === 'success' ? 'api_error' : event.result.subtype
          : 'exit_code';
      span.setAttribute(ATTR_ERROR_TYPE, errorType);
      const message = event.result?.isError
        ? redactedPrefix(this.options.redact, event.result.text ?? '', RESULT_MESSAGE_LENGTH)
        : event.interrupted
          ? `interrupted${event.signal ? ` by ${event.signal}` : ''}`
          : `claude exited with code ${event.exitCode}`;
      span.setStatus({ code: SpanStatusCode.ERROR, message });
    }
    span.end(event.time);
  }
}
