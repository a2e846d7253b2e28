import {
  SpanKind,
  SpanStatusCode,
  trace,
  context as otelContext,
  type Attributes,
  type Context,
  type Span,
  type SpanContext,
  type Tracer,
} from '@opentelemetry/api';
import type { SessionEvent, SessionResult } from '../session/events.ts';
import { redactedErrorMessage } from '../session/tool-outcome.ts';
import { redactedPrefix } from '../privacy/bounded-redaction.ts';
import { apportionCost, costTotal, listPriceParts, type CostParts } from './pricing.ts';
import { gitAttributes } from './git-attributes.ts';
import { usageAttributes } from './usage-attributes.ts';
import {
  apiErrorAttributes,
  type ChatEvent,
  chatAttributes,
  compactionAttributes,
  RESULT_MESSAGE_LENGTH,
  sessionFailure,
  sessionStartAttributes,
  toolStartAttributes,
} from './event-attributes.ts';
import type { SessionTotals, SpanMapperOptions } from './span-mapper-options.ts';
import { SessionEconomics, costAttributes } from './session-economics.ts';
import { chatContentAttributes, contentJson } from './content-attributes.ts';
import { toolOutcomeAttributes } from './tool-attributes.ts';
import { resultAttributes, resultErrorType, sessionResultAttributes } from './result-attributes.ts';
import { markResumed } from './resume-link.ts';
import { agentEndAttributes, agentStartAttributes, continuesLink } from './agent-attributes.ts';
import {
  ATTR_CLAUDE_CACHE_REBUILD,
  ATTR_CLAUDE_COST_USD,
  ATTR_CLAUDE_INTERRUPTED,
  ATTR_CLAUDE_PROMPT_COUNT,
  ATTR_CLAUDE_PROMPT_INDEX,
  ATTR_CLAUDE_PROMPT_LENGTH,
  ATTR_CLAUDE_PROMPT_PREVIEW,
  ATTR_CLAUDE_SIGNAL,
  ATTR_CLAUDE_TOOL_COUNT,
  ATTR_CLAUDE_TOOL_ERROR_COUNT,
  ATTR_CLAUDE_TURN_USER_WAIT_MS,
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_CONVERSATION_ID,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_TOOL_CALL_RESULT,
  ATTR_PROCESS_EXIT_CODE,
  ATTR_SESSION_ID,
  EVENT_API_ERROR,
  EVENT_COMPACTION,
  MAIN_AGENT_NAME,
  OPERATION_CHAT,
  OPERATION_EXECUTE_TOOL,
  OPERATION_INVOKE_AGENT,
  PROVIDER_ANTHROPIC,
  SPAN_PROMPT,
  SPAN_SESSION,
  operationSpanName,
} from './names.ts';

// Session events → spans, named as docs/telemetry.md promises:
// claude.session → invoke_agent claude-code → chat <model> / execute_tool <tool> → invoke_agent <subagent>.

export const PROMPT_PREVIEW_LENGTH = 120;

export type { ChatEvent } from './event-attributes.ts';

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
  /** A resumed session's link, still being looked up: the session span ends after it. */
  private linkPending: Promise<void> | undefined;

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
        return this.compactionSpan(event);
      case 'tool_start':
      case 'tool_end':
        return this.toolSpans.get(event.toolUseId)?.span ?? (this.lastEndedTool?.toolUseId === event.toolUseId ? this.lastEndedTool.span : undefined);
      default:
        return this.promptSpan ?? this.lastPromptSpan ?? this.sessionSpan;
    }
  }

  get traceId(): string | undefined {
    return this.sessionSpan?.spanContext().traceId;
  }
  get sessionSpanId(): string | undefined {
    return this.sessionSpan?.spanContext().spanId;
  }

  /** Resolves once every span that has had its end event has ended (the session span may wait for its link). */
  settled(): Promise<void> {
    return this.linkPending ?? Promise.resolve();
  }

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
        if (this.pendingChats.length >= (this.options.maxPendingChats ?? Number.POSITIVE_INFINITY)) this.flushChats(undefined);
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
      this.sessionSpan = this.tracer.startSpan(
        SPAN_SESSION,
        { kind: SpanKind.INTERNAL, startTime: time, attributes: { ...this.options.sessionAttributes } },
        parent,
      );
      this.sessionContext = trace.setSpan(parent, this.sessionSpan);
    }
    return this.sessionSpan.spanContext();
  }

  private startSession(event: Extract<SessionEvent, { kind: 'session_start' }>): void {
    this.open(event.time);
    this.sessionSpan?.setAttributes(sessionStartAttributes(event));
    if (this.sessionSpan) this.linkPending = markResumed(this.sessionSpan, event.resumedFrom, this.options.earlierSession);
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
    const attributes = toolStartAttributes(event, this.options.toolSummaries.of(event), this.options.redact, this.options.genAi.logContent);
    const span = this.tracer.startSpan(
      operationSpanName(OPERATION_EXECUTE_TOOL, event.name),
      { kind: SpanKind.INTERNAL, startTime: event.time, attributes },
      parent,
    );
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
    const span = this.tracer.startSpan(
      operationSpanName(OPERATION_INVOKE_AGENT, event.agentType),
      { kind: SpanKind.INTERNAL, startTime: event.time, attributes, links },
      parent,
    );
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
    this.compactionSpan(event)?.addEvent(EVENT_COMPACTION, compactionAttributes(event), event.time);
  }

  /** The turn it happened in; a /compact between turns (read after the next prompt began, in interactive mode) belongs to the session. */
  private compactionSpan(event: Extract<SessionEvent, { kind: 'compaction' }>): Span | undefined {
    return this.promptSpan && event.time >= this.promptStart ? this.promptSpan : this.sessionSpan;
  }

  private recordApiError(event: Extract<SessionEvent, { kind: 'api_error' }>): void {
    (this.promptSpan ?? this.sessionSpan)?.addEvent(EVENT_API_ERROR, apiErrorAttributes(event, this.options.redact), event.time);
  }

  /** Chat spans wait for their prompt's end, when the CLI's cost totals are known. */
  private flushChats(result: SessionResult | undefined): void {
    const chats = this.pendingChats;
    this.pendingChats = [];
    const costs = result ? apportionCost(chats, result.costByModel) : chats.map((c) => listPriceParts(c.model, c.usage));
    for (const [i, chat] of chats.entries()) this.emitChat(chat, costs[i]);
    this.endFinishedAgents();
  }

  private emitChat(chat: ChatEvent, cost: CostParts | undefined): void {
    const parent = this.agentContext(chat.agent);
    if (!parent) return;
    const attributes = chatAttributes(chat, this.options.genAi.latestSemconv);
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
      const errorType = resultErrorType(event.result);
      if (errorType !== undefined) {
        span.setAttribute(ATTR_ERROR_TYPE, errorType);
        span.setStatus({
          code: SpanStatusCode.ERROR,
          message: redactedPrefix(this.options.redact, event.result.text ?? event.result.subtype, RESULT_MESSAGE_LENGTH),
        });
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
      [ATTR_CLAUDE_INTERRUPTED]: event.interrupted,
    };
    if (event.exitCode !== undefined) attributes[ATTR_PROCESS_EXIT_CODE] = event.exitCode;
    if (event.signal) attributes[ATTR_CLAUDE_SIGNAL] = event.signal;
    if (event.git) Object.assign(attributes, gitAttributes(event.git));
    if (event.result) Object.assign(attributes, sessionResultAttributes(event.result));
    span.setAttributes(attributes);
    const failure = sessionFailure(event, this.options.redact);
    if (failure) {
      span.setAttribute(ATTR_ERROR_TYPE, failure.type);
      span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
    }
    if (this.linkPending) this.linkPending = this.linkPending.then(() => span.end(event.time)).catch(() => {});
    else span.end(event.time);
  }
}
