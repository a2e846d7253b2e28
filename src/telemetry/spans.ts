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
import type { GenAiConfig } from '../config/genai-config.ts';

// Session events → spans, named as docs/telemetry.md promises:
// claude.session → invoke_agent claude-code → chat <model> / execute_tool <tool> → invoke_agent <subagent>.

export const PROMPT_PREVIEW_LENGTH = 120;
/** A failed result's text in a span status. */
const RESULT_MESSAGE_LENGTH = 500;
export const MAIN_AGENT_NAME = 'claude-code';

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
}

export interface SessionTotals {
  usage: TokenUsage;
  toolCount: number;
  toolErrors: number;
  costUsd: number;
  prompts: number;
}

function resultAttributes(result: SessionResult): Attributes {
  const attributes: Attributes = {
    'claude.result.subtype': result.subtype,
    'claude.result.is_error': result.isError,
    'claude.permission_denials': result.permissionDenials,
  };
  if (result.numTurns !== undefined) attributes['claude.num_turns'] = result.numTurns;
  if (result.durationApiMs !== undefined) attributes['claude.duration_api_ms'] = result.durationApiMs;
  return attributes;
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
      this.sessionSpan = this.tracer.startSpan('claude.session', { kind: SpanKind.INTERNAL, startTime: time, attributes: { ...this.options.sessionAttributes } }, parent);
      this.sessionContext = trace.setSpan(parent, this.sessionSpan);
    }
    return this.sessionSpan.spanContext();
  }

  private startSession(event: Extract<SessionEvent, { kind: 'session_start' }>): void {
    const attributes: Attributes = {
      'claude.mode': event.mode,
      'claude.version': event.version,
      'gen_ai.request.model': event.model,
    };
    if (event.sessionId) {
      attributes['session.id'] = event.sessionId;
      attributes['gen_ai.conversation.id'] = event.sessionId;
    }
    this.open(event.time);
    this.sessionSpan?.setAttributes(attributes);
    this.economics.startSession(event.time, event.mode);
  }

  /** The session id can arrive after the session span started (interactive resumes). */
  setSessionId(sessionId: string): void {
    this.sessionSpan?.setAttributes({ 'session.id': sessionId, 'gen_ai.conversation.id': sessionId });
  }

  private startPrompt(event: Extract<SessionEvent, { kind: 'prompt_start' }>): void {
    if (!this.sessionContext) return;
    this.promptIndex += 1;
    this.totals.prompts += 1;
    const attributes: Attributes = {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': MAIN_AGENT_NAME,
      'gen_ai.provider.name': 'anthropic',
      'claude.prompt.index': this.promptIndex,
    };
    if (event.promptLength !== undefined) attributes['claude.prompt.length'] = event.promptLength;
    this.promptStart = event.time;
    const userWait = this.economics.startTurn(event.time);
    if (userWait !== undefined) {
      attributes['claude.turn.user_wait_ms'] = userWait;
      this.options.onUserWait?.(userWait, 'prompt');
    }
    if (event.text !== undefined && this.options.promptPreview) {
      const preview = redactedPrefix(this.options.redact, event.text, PROMPT_PREVIEW_LENGTH);
      attributes['claude.prompt.preview'] = preview;
      if (this.promptIndex === 1) this.sessionSpan?.setAttribute('claude.prompt.preview', preview);
    }
    this.promptSpan = this.tracer.startSpan(`invoke_agent ${MAIN_AGENT_NAME}`, { kind: SpanKind.INTERNAL, startTime: event.time, attributes }, this.sessionContext);
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
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': event.name,
      'gen_ai.tool.call.id': event.toolUseId,
      'gen_ai.tool.type': event.name.startsWith('mcp__') ? 'extension' : 'function',
      'claude.tool.input_summary': toolInputSummary(event.name, event.input, this.options.redact),
    };
    if (this.options.genAi.logContent) attributes['gen_ai.tool.call.arguments'] = contentJson(event.input, this.options.redact);
    const span = this.tracer.startSpan(`execute_tool ${event.name}`, { kind: SpanKind.INTERNAL, startTime: event.time, attributes }, parent);
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
    if (this.options.genAi.logContent && event.result !== undefined) attributes['gen_ai.tool.call.result'] = contentJson(event.result, this.options.redact);
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
    const attributes: Attributes = {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': event.agentType,
      'gen_ai.provider.name': 'anthropic',
    };
    if (event.agentId) attributes['claude.agent.id'] = event.agentId;
    if (event.description) attributes['gen_ai.agent.description'] = this.options.redact(event.description);
    const span = this.tracer.startSpan(`invoke_agent ${event.agentType}`, { kind: SpanKind.INTERNAL, startTime: event.time, attributes }, parent);
    this.agentContexts.set(event.toolUseId, { span, context: trace.setSpan(parent, span) });
  }

  private endSubagent(event: Extract<SessionEvent, { kind: 'subagent_end' }>): void {
    const agent = this.agentContexts.get(event.toolUseId);
    if (!agent) return;
    const attributes: Attributes = {};
    if (event.totalTokens !== undefined) attributes['claude.agent.total_tokens'] = event.totalTokens;
    if (event.toolUses !== undefined) attributes['claude.agent.tool_uses'] = event.toolUses;
    if (event.durationMs !== undefined) attributes['claude.agent.duration_ms'] = event.durationMs;
    if (event.status !== undefined) attributes['claude.agent.status'] = event.status;
    agent.span.setAttributes(attributes);
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
    const attributes: Attributes = { 'claude.compaction.trigger': event.trigger };
    if (event.preTokens !== undefined) attributes['claude.compaction.pre_tokens'] = event.preTokens;
    if (event.postTokens !== undefined) attributes['claude.compaction.post_tokens'] = event.postTokens;
    (this.promptSpan ?? this.sessionSpan)?.addEvent('claude.compaction', attributes, event.time);
  }

  private recordApiError(event: Extract<SessionEvent, { kind: 'api_error' }>): void {
    const span = this.promptSpan ?? this.sessionSpan;
    const attributes: Attributes = { 'error.message': this.options.redact(event.message), 'claude.api_error.final': event.final };
    if (event.status !== undefined) attributes['http.response.status_code'] = event.status;
    if (event.attempt !== undefined) attributes['claude.api_error.attempt'] = event.attempt;
    span?.addEvent('claude.api_error', attributes, event.time);
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
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': chat.model,
      'gen_ai.response.model': chat.model,
      ...usageAttributes(chat.usage, this.options.genAi.latestSemconv),
      'claude.context.tokens': genAiInputTokens(chat.usage),
    };
    if (chat.messageId) attributes['gen_ai.response.id'] = chat.messageId;
    if (chat.finishReason !== undefined) attributes['gen_ai.response.finish_reasons'] = [chat.finishReason];
    if (chat.ttftMs !== undefined) attributes['claude.ttft_ms'] = chat.ttftMs;
    if (cost !== undefined) {
      const total = costTotal(cost);
      attributes['claude.cost_usd'] = total;
      Object.assign(attributes, costAttributes(cost));
      this.totals.costUsd += total;
    }
    const rebuild = this.economics.chat(chat, cost);
    if (rebuild) attributes['claude.cache.rebuild'] = true;
    if (this.options.genAi.logContent && chat.content) Object.assign(attributes, chatContentAttributes(chat.content, chat.finishReason, this.options.redact));
    const span = this.tracer.startSpan(`chat ${chat.model}`, { kind: SpanKind.CLIENT, startTime: chat.start, attributes }, parent);
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
        span.setAttribute('error.type', event.result.subtype === 'success' ? 'api_error' : event.result.subtype);
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
      'claude.tool_count': this.totals.toolCount,
      'claude.tool_error_count': this.totals.toolErrors,
      'claude.prompt_count': this.totals.prompts,
      ...usageAttributes(this.totals.usage, this.options.genAi.latestSemconv),
      'claude.cost_usd': this.sessionCostReported ?? this.totals.costUsd,
      ...this.economics.sessionAttributes(this.sessionCostReported),
      'process.exit.code': event.exitCode,
      'claude.interrupted': event.interrupted,
    };
    if (event.signal) attributes['claude.signal'] = event.signal;
    if (event.git) Object.assign(attributes, gitAttributes(event.git));
    if (event.result) {
      Object.assign(attributes, resultAttributes(event.result));
    }
    span.setAttributes(attributes);
    const failed = event.result?.isError === true || event.exitCode !== 0 || event.interrupted;
    if (failed) {
      const errorType = event.interrupted
        ? 'interrupted'
        : event.result?.isError
          ? event.result.subtype === 'success' ? 'api_error' : event.result.subtype
          : 'exit_code';
      span.setAttribute('error.type', errorType);
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
