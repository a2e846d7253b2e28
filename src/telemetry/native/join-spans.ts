import { SpanStatusCode, TraceFlags } from '@opentelemetry/api';
import type { Attributes, HrTime, SpanContext, SpanKind, SpanStatus } from '@opentelemetry/api';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import type { NativeSpan } from '../../sources/native-otlp/native-records.ts';
import type { Redactor } from '../../privacy/redact.ts';
import { limitAttributes } from '../../privacy/attribute-limits.ts';
import { usageAttributes } from '../usage-attributes.ts';
import {
  ATTR_CLAUDE_NATIVE,
  ATTR_CLAUDE_TOOL_PERMISSION_DECISION,
  ATTR_CLAUDE_TOOL_PERMISSION_SOURCE,
  ATTR_CLAUDE_TTFT_MS,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_TOOL_CALL_ID,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  NATIVE_SCOPE_TRACING,
  NATIVE_SPAN_BLOCKED_ON_USER,
  NATIVE_SPAN_INTERACTION,
  NATIVE_SPAN_LLM_REQUEST,
  NATIVE_SPAN_TOOL,
  OPERATION_CHAT,
  OPERATION_EXECUTE_TOOL,
  SPAN_PROMPT,
  SPAN_SESSION,
} from '../names.ts';
import { PERMISSION_RENAMED, translateAttributes } from './native-attributes.ts';
import { hrTime, scopeNamed } from './native-time-scope.ts';

// Claude Code's own spans joined into the session's tree, one span per fact. Where Claude's
// span and ours describe the same thing, ours stays and takes Claude's attributes:
// `claude_code.interaction` ↔ the prompt span (time), `claude_code.llm_request` ↔ the chat
// span (token counts, then order and time), `claude_code.tool` ↔ the tool span (tool_use_id).
// `claude_code.tool.blocked_on_user` becomes the tool span's permission wait. Every other span
// of Claude's (tool.execution, hooks, calls we did not see, names we do not know) is kept
// under its own name, in our trace, under the nearest span it belongs to.

export const NATIVE_INTERACTION = NATIVE_SPAN_INTERACTION;
export const NATIVE_LLM_REQUEST = NATIVE_SPAN_LLM_REQUEST;
export const NATIVE_TOOL = NATIVE_SPAN_TOOL;
export const NATIVE_BLOCKED_ON_USER = NATIVE_SPAN_BLOCKED_ON_USER;
/** Claude's spans that stand for one of ours, when ours is there. */
const MATCHABLE = new Set([NATIVE_LLM_REQUEST, NATIVE_TOOL]);

export interface ToolDecision {
  toolUseId: string;
  decision?: string;
  source?: string;
}

export interface SpanJoinOptions {
  redact: Redactor;
  /** Conversation text is kept on spans (our prompt setting is `full`). */
  keepContent: boolean;
  latestSemconv: boolean;
  valueLengthLimit: number;
}

interface OurChat {
  spanId: string;
  start: number;
  end: number;
  /** input (with cache), output, cache read: what both sides count alike. */
  fingerprint: string;
  matched: boolean;
}

interface OurPrompt {
  spanId: string;
  start: number;
  end: number;
  matched: boolean;
}

/** How far outside a prompt span's times a record of Claude's may lie and still be the prompt's (clocks read apart). */
const PROMPT_SLACK_MS = 100;

function ms(time: HrTime): number {
  return time[0] * 1000 + time[1] / 1e6;
}
function nsToMs(ns: bigint): number {
  return Number(ns / 1000n) / 1000;
}

function numberAttr(attributes: Attributes, key: string): number | undefined {
  const value = attributes[key];
  return typeof value === 'number' ? value : undefined;
}

function ourFingerprint(attributes: Attributes): string {
  return [ATTR_GEN_AI_USAGE_INPUT_TOKENS, ATTR_GEN_AI_USAGE_OUTPUT_TOKENS, ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS]
    .map((k) => numberAttr(attributes, k) ?? '-')
    .join('/');
}
function nativeUsage(span: NativeSpan): { input: number; output: number; cacheRead: number; cacheCreation: number } | undefined {
  const a = span.attributes;
  const n = (key: string) => (typeof a[key] === 'number' ? (a[key] as number) : undefined);
  const input = n('input_tokens');
  const output = n('output_tokens');
  if (input === undefined || output === undefined) return undefined;
  return { input, output, cacheRead: n('cache_read_tokens') ?? 0, cacheCreation: n('cache_creation_tokens') ?? 0 };
}
function nativeFingerprint(span: NativeSpan): string | undefined {
  const usage = nativeUsage(span);
  if (!usage) return undefined;
  return [usage.input + usage.cacheRead + usage.cacheCreation, usage.output, usage.cacheRead].join('/');
}

function nativeFailed(span: NativeSpan): boolean {
  return span.status.code === SpanStatusCode.ERROR || span.attributes.success === false;
}

/** A copy of one of our spans with more attributes and, maybe, an error status. */
function joinedCopy(span: ReadableSpan, extra: Attributes, status: SpanStatus): ReadableSpan {
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => span.spanContext(),
    ...(span.parentSpanContext ? { parentSpanContext: span.parentSpanContext } : {}),
    startTime: span.startTime,
    endTime: span.endTime,
    status,
    attributes: { ...span.attributes, ...extra },
    links: span.links,
    events: span.events,
    duration: span.duration,
    ended: span.ended,
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

export class NativeSpanJoin {
  private traceId: string | undefined;
  private sessionSpanId: string | undefined;
  private resource: ReadableSpan['resource'] | undefined;
  private readonly prompts: OurPrompt[] = [];
  private readonly chats: OurChat[] = [];
  /** tool_use_id → our tool span id. */
  private readonly tools = new Map<string, string>();
  /** Claude's span id → the id of the span that stands for it in our trace. */
  private readonly finalIds = new Map<string, string>();
  private readonly known = new Set<string>();
  /** Claude's spans that could not be placed yet (no span of ours seen so far). */
  private waiting: NativeSpan[] = [];

  constructor(private readonly options: SpanJoinOptions) {}

  /** The span of our trace that Claude's span `spanId` became, for log records tied to it. */
  spanIdFor(nativeSpanId: string): string | undefined {
    return this.finalIds.get(nativeSpanId);
  }

  get joinedTraceId(): string | undefined {
    return this.traceId;
  }

  /** Our prompt span that was open at `timeMs` (a slash command between prompts has none). */
  promptAt(timeMs: number): string | undefined {
    let best: OurPrompt | undefined;
    for (const p of this.prompts) if (p.start <= timeMs + PROMPT_SLACK_MS && timeMs <= p.end + PROMPT_SLACK_MS && (!best || p.start > best.start)) best = p;
    return best?.spanId;
  }

  /** Our resource, for records of Claude's that stand alone. */
  get ourResource(): ReadableSpan['resource'] | undefined {
    return this.resource;
  }

  get sessionSpan(): string | undefined {
    return this.sessionSpanId;
  }

  private learn(ours: ReadableSpan[]): void {
    for (const span of ours) {
      const { spanId, traceId } = span.spanContext();
      // Spans held back for a later flush come again.
      if (this.known.has(spanId)) continue;
      this.known.add(spanId);
      this.traceId ??= traceId;
      this.resource ??= span.resource;
      const operation = span.attributes[ATTR_GEN_AI_OPERATION_NAME];
      if (span.name === SPAN_SESSION) this.sessionSpanId = spanId;
      else if (span.name === SPAN_PROMPT) this.prompts.push({ spanId, start: ms(span.startTime), end: ms(span.endTime), matched: false });
      else if (operation === OPERATION_CHAT)
        this.chats.push({ spanId, start: ms(span.startTime), end: ms(span.endTime), fingerprint: ourFingerprint(span.attributes), matched: false });
      else if (operation === OPERATION_EXECUTE_TOOL) {
        const id = span.attributes[ATTR_GEN_AI_TOOL_CALL_ID];
        if (typeof id === 'string') this.tools.set(id, spanId);
      }
    }
    this.prompts.sort((a, b) => a.start - b.start);
    this.chats.sort((a, b) => a.start - b.start);
  }

  private matchPrompt(span: NativeSpan): OurPrompt | undefined {
    const start = nsToMs(span.startNs);
    const end = nsToMs(span.endNs);
    let best: OurPrompt | undefined;
    let bestOverlap = 0;
    for (const p of this.prompts) {
      if (p.matched) continue;
      const overlap = Math.min(end, p.end) - Math.max(start, p.start);
      if (overlap > bestOverlap) {
        best = p;
        bestOverlap = overlap;
      }
    }
    return best;
  }

  /** The first unmatched call of ours with the same tokens, that did not end before this one began. */
  private sameTokens(span: NativeSpan): OurChat | undefined {
    const fingerprint = nativeFingerprint(span);
    if (fingerprint === undefined) return undefined;
    const start = nsToMs(span.startNs);
    return this.chats.find((c) => !c.matched && c.fingerprint === fingerprint && c.end >= start - 1000);
  }

  /**
   * A call whose tokens were not told alike on both sides (no counts, or an output our side
   * could not read): the unmatched call of ours that overlaps it most. A call with counts that
   * match none of ours is one our side did not see (a title, a summary), never paired by time.
   */
  private overlapping(span: NativeSpan): OurChat | undefined {
    const fingerprint = nativeFingerprint(span);
    const start = nsToMs(span.startNs);
    const end = nsToMs(span.endNs);
    let best: OurChat | undefined;
    let bestOverlap = 0;
    for (const c of this.chats) {
      if (c.matched) continue;
      const comparable = fingerprint === undefined || c.fingerprint.includes('-') || c.fingerprint.split('/')[0] === fingerprint.split('/')[0];
      if (!comparable) continue;
      const overlap = Math.min(end, c.end) - Math.max(start, c.start);
      if (overlap > bestOverlap) {
        best = c;
        bestOverlap = overlap;
      }
    }
    return best;
  }

  /**
   * Our spans of one flush and Claude's spans received since the last: what goes out. Our spans
   * come out as they were, or as joined copies; Claude's that stand alone follow them.
   */
  join(ours: ReadableSpan[], native: NativeSpan[], decisions: ToolDecision[] = [], final = true): ReadableSpan[] {
    this.learn(ours);
    const pending = [...this.waiting, ...native].sort((a, b) => (a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : 0));
    this.waiting = [];
    if (!this.traceId) {
      this.waiting = pending;
      return ours;
    }
    const extras = new Map<string, Attributes>();
    const errors = new Map<string, string>();
    const addTo = (spanId: string, attributes: Attributes) => extras.set(spanId, { ...extras.get(spanId), ...attributes });
    const standalone: NativeSpan[] = [];
    const deferred = new Set<string>();
    const translate = (span: NativeSpan, joined: boolean, renamed?: Record<string, string>) =>
      translateAttributes(span.attributes, { redact: this.options.redact, keepContent: this.options.keepContent, joined, ...(renamed ? { renamed } : {}) });

    // Calls with the same tokens first, all of them, before any is paired by time.
    const byTokens = new Map<string, OurChat>();
    for (const span of pending) {
      if (span.name !== NATIVE_LLM_REQUEST) continue;
      const chat = this.sameTokens(span);
      if (!chat) continue;
      chat.matched = true;
      byTokens.set(span.spanId, chat);
    }
    // Parents before children: interactions, then calls and tools, then what hangs under them.
    const rank = (s: NativeSpan) => (s.name === NATIVE_INTERACTION ? 0 : s.name === NATIVE_LLM_REQUEST || s.name === NATIVE_TOOL ? 1 : 2);
    for (const span of [...pending].sort((a, b) => rank(a) - rank(b))) {
      let ourId: string | undefined;
      let renamed: Record<string, string> | undefined;
      if (span.name === NATIVE_INTERACTION) {
        const prompt = this.matchPrompt(span);
        if (prompt) prompt.matched = true;
        ourId = prompt?.spanId;
      } else if (span.name === NATIVE_LLM_REQUEST) {
        const chat = byTokens.get(span.spanId) ?? this.overlapping(span);
        if (chat) chat.matched = true;
        ourId = chat?.spanId;
      } else if (span.name === NATIVE_TOOL) {
        const id = span.attributes.tool_use_id ?? span.attributes[ATTR_GEN_AI_TOOL_CALL_ID];
        ourId = typeof id === 'string' ? this.tools.get(id) : undefined;
      } else if (span.name === NATIVE_BLOCKED_ON_USER) {
        // The wait for the person, on the tool span it held up.
        const tool = this.finalIds.get(span.parentSpanId);
        if (tool !== undefined && tool !== span.parentSpanId) {
          ourId = tool;
          renamed = PERMISSION_RENAMED;
        }
      }
      if (ourId === undefined) {
        // Ours may come later (interactive mode writes a prompt's model calls at its end): it waits, but for the last flush.
        if (!final && MATCHABLE.has(span.name)) deferred.add(span.spanId);
        else standalone.push(span);
        continue;
      }
      this.finalIds.set(span.spanId, ourId);
      const attributes = translate(span, true, renamed);
      // Claude times the first token at the HTTP layer, closer to the API than the stream we read.
      if (typeof span.attributes.ttft_ms === 'number') attributes[ATTR_CLAUDE_TTFT_MS] = span.attributes.ttft_ms;
      addTo(ourId, attributes);
      if (nativeFailed(span) && span.name !== NATIVE_BLOCKED_ON_USER) errors.set(ourId, span.status.message || 'error');
    }

    // How each call was allowed, from Claude's `tool_decision` events (2.1.197 leaves it `unknown` on the span).
    for (const { toolUseId, decision, source } of decisions) {
      const tool = this.tools.get(toolUseId);
      if (tool === undefined) continue;
      const known = extras.get(tool) ?? {};
      addTo(tool, {
        ...(decision ? { [ATTR_CLAUDE_TOOL_PERMISSION_DECISION]: decision } : {}),
        ...(source ? { [ATTR_CLAUDE_TOOL_PERMISSION_SOURCE]: source } : {}),
        ...known,
      });
    }
    const out = ours.map((span) => {
      const { spanId } = span.spanContext();
      const extra = extras.get(spanId);
      const error = errors.get(spanId);
      if (!extra && error === undefined) return span;
      // Ours win where both sides say the same thing; Claude's first-token time wins (see above).
      const merged: Attributes = { ...extra, ...span.attributes };
      if (extra?.[ATTR_CLAUDE_TTFT_MS] !== undefined) merged[ATTR_CLAUDE_TTFT_MS] = extra[ATTR_CLAUDE_TTFT_MS];
      limitAttributes(merged, this.options.valueLengthLimit);
      // An error Claude saw and we did not mark: the call failed.
      const status =
        error !== undefined && span.status.code === SpanStatusCode.UNSET ? { code: SpanStatusCode.ERROR, message: this.options.redact(error) } : span.status;
      return joinedCopy(span, merged, status);
    });
    // What hangs under a span that waits, waits with it.
    const parents = new Map(pending.map((span) => [span.spanId, span.parentSpanId]));
    const waits = (span: NativeSpan): boolean => {
      for (let id: string | undefined = span.spanId, depth = 0; id && depth < 64; id = parents.get(id), depth += 1) if (deferred.has(id)) return true;
      return false;
    };
    const ready: NativeSpan[] = [];
    for (const span of standalone) {
      if (waits(span)) this.waiting.push(span);
      else ready.push(span);
    }
    for (const span of pending) if (deferred.has(span.spanId)) this.waiting.push(span);
    const { placed, later } = this.withPlace(ready, parents);
    this.waiting.push(...later);
    for (const span of placed) this.finalIds.set(span.spanId, span.spanId);
    for (const span of placed) out.push(this.standaloneSpan(span, translate(span, false)));
    return out;
  }

  /**
   * Claude's spans that have a place in our tree now, and those that wait for one: a span with no
   * parent placed, no prompt of ours open at its start and no session span seen yet (interactive
   * mode sends finished prompts before the session ends; a slash command's interaction belongs to
   * no prompt) waits for the flush that brings the session span, with what hangs under it.
   */
  private withPlace(spans: NativeSpan[], parents: Map<string, string>): { placed: NativeSpan[]; later: NativeSpan[] } {
    if (this.sessionSpanId !== undefined) return { placed: spans, later: [] };
    const ids = new Set(spans.map((span) => span.spanId));
    const homeless = new Set(
      spans
        .filter((span) => !this.finalIds.has(span.parentSpanId) && !ids.has(span.parentSpanId) && this.promptAt(nsToMs(span.startNs)) === undefined)
        .map((span) => span.spanId),
    );
    const waits = (span: NativeSpan): boolean => {
      for (let id: string | undefined = span.spanId, depth = 0; id && depth < 64; id = parents.get(id), depth += 1) if (homeless.has(id)) return true;
      return false;
    };
    return { placed: spans.filter((span) => !waits(span)), later: spans.filter(waits) };
  }

  /** Claude's span on its own, in our trace, under the span its parent became (or the prompt it ran in). */
  private standaloneSpan(span: NativeSpan, attributes: Attributes): ReadableSpan {
    const traceId = this.traceId ?? span.traceId;
    const parent = this.finalIds.get(span.parentSpanId) ?? this.promptAt(nsToMs(span.startNs)) ?? this.sessionSpanId;
    if (span.name === NATIVE_LLM_REQUEST && attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS] === undefined) {
      // A call only Claude saw, from a CLI that does not name its tokens the GenAI way: named here, so that sums hold.
      const usage = nativeUsage(span);
      if (usage) Object.assign(attributes, usageAttributes(usage, this.options.latestSemconv));
    }
    attributes[ATTR_CLAUDE_NATIVE] = true;
    limitAttributes(attributes, this.options.valueLengthLimit);
    const context: SpanContext = { traceId, spanId: span.spanId, traceFlags: TraceFlags.SAMPLED };
    const events: TimedEvent[] = span.events.map((e) => ({
      name: e.name,
      time: hrTime(e.timeNs),
      attributes: translateAttributes(e.attributes, { redact: this.options.redact, keepContent: this.options.keepContent, joined: false }),
    }));
    const start = hrTime(span.startNs);
    const durationNs = span.endNs > span.startNs ? span.endNs - span.startNs : 0n;
    const end = hrTime(span.startNs + durationNs);
    const code = span.status.code === SpanStatusCode.ERROR || span.status.code === SpanStatusCode.OK ? span.status.code : SpanStatusCode.UNSET;
    return {
      name: span.name,
      kind: (span.kind > 0 ? span.kind - 1 : 0) as SpanKind,
      spanContext: () => context,
      ...(parent ? { parentSpanContext: { traceId, spanId: parent, traceFlags: TraceFlags.SAMPLED } } : {}),
      startTime: start,
      endTime: end,
      status: code === SpanStatusCode.ERROR ? { code, message: this.options.redact(span.status.message) } : { code },
      attributes,
      links: [],
      events,
      duration: hrTime(durationNs),
      ended: true,
      resource: this.resource as ReadableSpan['resource'],
      instrumentationScope: scopeNamed(span.scope || NATIVE_SCOPE_TRACING),
      droppedAttributesCount: 0,
      droppedEventsCount: 0,
      droppedLinksCount: 0,
    };
  }
}
