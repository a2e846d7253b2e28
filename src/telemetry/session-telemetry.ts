import type { Attributes, Context, Meter, Tracer } from '@opentelemetry/api';
import type { Logger } from '@opentelemetry/api-logs';
import type { SessionEvent } from '../session/events.ts';
import { SpanMapper } from './spans.ts';
import { exitedWithError } from './event-attributes.ts';
import type { EarlierSessionLookup } from './resume-link.ts';
import { LogMapper } from './logs.ts';
import type { TextLevel } from '../config/privacy-config.ts';
import { MetricMapper } from './metrics.ts';
import { ToolInputSummaries } from './tool-input-summaries.ts';
import { DEFAULT_GENAI_CONFIG } from '../config/genai-config.ts';
import type { GenAiConfig } from '../config/genai-config.ts';

// One session's events → all three signals. A failure here must never reach claude:
// `handle` swallows and reports through `onError`.

export interface SessionTelemetryOptions {
  tracer: Tracer;
  logger: Logger;
  meter: Meter;
  parentContext?: Context;
  prompts: TextLevel;
  responses: TextLevel;
  redact: (text: string) => string;
  sessionAttributes?: Attributes;
  /** GenAI names, content recording, cache lifetime; the defaults when absent. */
  genAi?: GenAiConfig;
  onError?: (error: unknown) => void;
  /** Finds an earlier session's root span in the local store (a resumed session links to it). */
  earlierSession?: EarlierSessionLookup;
  /** Model calls that wait for their prompt's end at most (CLAUDE_OTEL_MAX_SPANS); unbounded when absent. */
  maxPendingChats?: number;
}

export class SessionTelemetry {
  readonly spans: SpanMapper;
  private readonly logs: LogMapper;
  private readonly metrics: MetricMapper;
  private readonly onError: (error: unknown) => void;
  private ended = false;
  private failed = false;

  constructor(options: SessionTelemetryOptions) {
    const genAi = options.genAi ?? DEFAULT_GENAI_CONFIG;
    this.metrics = new MetricMapper(options.meter, genAi.latestSemconv);
    const toolSummaries = new ToolInputSummaries(options.redact);
    this.spans = new SpanMapper(options.tracer, {
      genAi,
      ...(options.parentContext ? { parentContext: options.parentContext } : {}),
      promptPreview: options.prompts !== 'off',
      redact: options.redact,
      toolSummaries,
      ...(options.sessionAttributes ? { sessionAttributes: options.sessionAttributes } : {}),
      ...(options.earlierSession ? { earlierSession: options.earlierSession } : {}),
      ...(options.maxPendingChats !== undefined ? { maxPendingChats: options.maxPendingChats } : {}),
      onChat: (chat, cost, rebuild) => this.metrics.recordChat(chat.model, chat.usage, cost, rebuild, Math.max(0, chat.end - chat.start)),
      onUserWait: (ms, kind) => this.metrics.recordUserWait(ms, kind),
    });
    this.logs = new LogMapper(options.logger, { prompts: options.prompts, responses: options.responses, redact: options.redact, toolSummaries });
    this.onError = options.onError ?? (() => {});
  }

  handle(event: SessionEvent): void {
    try {
      this.spans.handle(event);
      this.logs.handle(event, this.spans.spanFor(event));
      this.metrics.handle(event);
      if (event.kind === 'session_end') {
        this.ended = true;
        this.failed = this.failed || exitedWithError(event) || event.result?.isError === true || event.interrupted;
      }
      if (event.kind === 'tool_end' && event.outcome.isError) this.failed = true;
    } catch (error) {
      this.onError(error);
    }
  }

  get sessionEnded(): boolean {
    return this.ended;
  }

  /** The session failed: an error result, a non-zero exit or a failed tool call. */
  get sessionFailed(): boolean {
    return this.failed;
  }

  setSessionId(sessionId: string): void {
    this.spans.setSessionId(sessionId);
    this.logs.setSessionId(sessionId);
  }
}
