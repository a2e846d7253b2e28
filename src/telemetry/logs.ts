import { SeverityNumber } from '@opentelemetry/api-logs';
import type { Logger, LogAttributes } from '@opentelemetry/api-logs';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import type { TextLevel } from '../config/privacy-config.ts';
import type { SessionEvent } from '../session/events.ts';
import type { ToolInputSummaries } from './tool-input-summaries.ts';
import { redactedErrorMessage } from '../session/tool-outcome.ts';
import { redactedPrefix } from '../privacy/bounded-redaction.ts';
import { genAiInputTokens } from './usage-attributes.ts';
import { apiErrorAttributes, compactionAttributes, exitedWithError, sessionStartFacts } from './event-attributes.ts';
import { toolDurationMs } from './tool-attributes.ts';
import {
  ATTR_CLAUDE_COST_USD,
  ATTR_CLAUDE_INTERRUPTED,
  ATTR_CLAUDE_PROMPT_LENGTH,
  ATTR_CLAUDE_RESPONSE_LENGTH,
  ATTR_CLAUDE_RESULT_IS_ERROR,
  ATTR_CLAUDE_RESULT_SUBTYPE,
  ATTR_CLAUDE_TOOL_DURATION_MS,
  ATTR_CLAUDE_TOOL_EXIT_CODE,
  ATTR_CLAUDE_TOOL_INPUT_SUMMARY,
  ATTR_CLAUDE_TOOL_INTERRUPTED,
  ATTR_CLAUDE_TOOL_OUTPUT_BYTES,
  ATTR_CLAUDE_TOOL_OUTPUT_TRUNCATED,
  ATTR_CLAUDE_TOOL_PERMISSION_DENIED,
  ATTR_ERROR_MESSAGE,
  ATTR_EVENT_NAME,
  ATTR_GEN_AI_TOOL_CALL_ID,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_PROCESS_EXIT_CODE,
  ATTR_SESSION_ID,
  EVENT_API_ERROR,
  EVENT_ASSISTANT_RESPONSE,
  EVENT_COMPACTION,
  EVENT_SESSION_END,
  EVENT_SESSION_START,
  EVENT_TOOL_END,
  EVENT_TOOL_ERROR,
  EVENT_TOOL_START,
  EVENT_USER_PROMPT,
} from './names.ts';

// Session events → log records, each tied to the span it belongs to.

export interface LogMapperOptions {
  prompts: TextLevel;
  responses: TextLevel;
  redact: (text: string) => string;
  /** Tool input summaries, shared with the span mapper. */
  toolSummaries: ToolInputSummaries;
}

export const RESPONSE_PREVIEW_LENGTH = 120;

export class LogMapper {
  private sessionId = '';
  /** Open tool calls: the end record names the tool and, like the span, times it from its start. */
  private readonly toolStarts = new Map<string, { name: string; time: number }>();

  constructor(
    private readonly logger: Logger,
    private readonly options: LogMapperOptions,
  ) {}

  private emit(eventName: string, span: Span | undefined, time: number, attributes: LogAttributes, options: { error?: boolean; body?: string } = {}): void {
    const record = {
      eventName,
      timestamp: time,
      severityNumber: options.error ? SeverityNumber.ERROR : SeverityNumber.INFO,
      severityText: options.error ? 'ERROR' : 'INFO',
      attributes: { [ATTR_EVENT_NAME]: eventName, [ATTR_SESSION_ID]: this.sessionId, ...attributes },
      ...(options.body !== undefined ? { body: options.body } : {}),
      ...(span ? { context: trace.setSpan(ROOT_CONTEXT, span) } : {}),
    };
    this.logger.emit(record);
  }

  private text(level: TextLevel, text: string | undefined): string | undefined {
    if (text === undefined || level === 'off') return undefined;
    return level === 'full' ? this.options.redact(text) : redactedPrefix(this.options.redact, text, RESPONSE_PREVIEW_LENGTH);
  }

  handle(event: SessionEvent, span: Span | undefined): void {
    switch (event.kind) {
      case 'session_start':
        if (event.sessionId) this.sessionId = event.sessionId;
        this.emit(EVENT_SESSION_START, span, event.time, sessionStartFacts(event));
        break;
      case 'prompt_start': {
        const attributes: LogAttributes = {};
        if (event.promptLength !== undefined) attributes[ATTR_CLAUDE_PROMPT_LENGTH] = event.promptLength;
        // Only the full level puts the prompt in the record; preview lives on the span.
        const body = this.options.prompts === 'full' ? this.text('full', event.text) : undefined;
        this.emit(EVENT_USER_PROMPT, span, event.time, attributes, body !== undefined ? { body } : {});
        break;
      }
      case 'tool_start':
        this.toolStarts.set(event.toolUseId, { name: event.name, time: event.time });
        this.emit(EVENT_TOOL_START, span, event.time, {
          [ATTR_GEN_AI_TOOL_NAME]: event.name,
          [ATTR_GEN_AI_TOOL_CALL_ID]: event.toolUseId,
          [ATTR_CLAUDE_TOOL_INPUT_SUMMARY]: this.options.toolSummaries.of(event),
        });
        break;
      case 'tool_end': {
        const o = event.outcome;
        const start = this.toolStarts.get(event.toolUseId);
        this.toolStarts.delete(event.toolUseId);
        const attributes: LogAttributes = {
          [ATTR_GEN_AI_TOOL_NAME]: start?.name ?? 'unknown',
          [ATTR_GEN_AI_TOOL_CALL_ID]: event.toolUseId,
          [ATTR_CLAUDE_TOOL_OUTPUT_BYTES]: o.outputBytes,
          [ATTR_CLAUDE_TOOL_OUTPUT_TRUNCATED]: o.outputTruncated,
        };
        if (o.exitCode !== undefined) attributes[ATTR_CLAUDE_TOOL_EXIT_CODE] = o.exitCode;
        // A call whose start was never seen has no span either: only claude's own figure is known.
        const durationMs = start ? toolDurationMs(o, event.time - start.time) : o.durationMs;
        if (durationMs !== undefined) attributes[ATTR_CLAUDE_TOOL_DURATION_MS] = durationMs;
        if (o.isError) {
          if (o.errorMessage !== undefined) attributes[ATTR_ERROR_MESSAGE] = redactedErrorMessage(this.options.redact, o);
          attributes[ATTR_CLAUDE_TOOL_PERMISSION_DENIED] = o.permissionDenied;
          attributes[ATTR_CLAUDE_TOOL_INTERRUPTED] = o.interrupted;
        }
        this.emit(o.isError ? EVENT_TOOL_ERROR : EVENT_TOOL_END, span, event.time, attributes, { error: o.isError });
        break;
      }
      case 'api_error':
        this.emit(EVENT_API_ERROR, span, event.time, apiErrorAttributes(event, this.options.redact), { error: true });
        break;
      case 'compaction':
        this.emit(EVENT_COMPACTION, span, event.time, compactionAttributes(event));
        break;
      case 'prompt_end': {
        const text = event.responseText;
        const attributes: LogAttributes = { [ATTR_CLAUDE_RESPONSE_LENGTH]: text?.length ?? 0 };
        if (event.result) {
          attributes[ATTR_CLAUDE_RESULT_SUBTYPE] = event.result.subtype;
          attributes[ATTR_CLAUDE_RESULT_IS_ERROR] = event.result.isError;
        }
        const body = this.text(this.options.responses, text);
        this.emit(EVENT_ASSISTANT_RESPONSE, span, event.time, attributes, { error: event.result?.isError === true, ...(body !== undefined ? { body } : {}) });
        break;
      }
      case 'session_end': {
        const attributes: LogAttributes = { [ATTR_CLAUDE_INTERRUPTED]: event.interrupted };
        if (event.exitCode !== undefined) attributes[ATTR_PROCESS_EXIT_CODE] = event.exitCode;
        if (event.result) {
          attributes[ATTR_CLAUDE_RESULT_SUBTYPE] = event.result.subtype;
          attributes[ATTR_CLAUDE_RESULT_IS_ERROR] = event.result.isError;
          if (event.result.costUsd !== undefined) attributes[ATTR_CLAUDE_COST_USD] = event.result.costUsd;
        }
        const failed = exitedWithError(event) || event.result?.isError === true;
        this.emit(EVENT_SESSION_END, span, event.time, attributes, { error: failed });
        break;
      }
      default:
        break;
    }
  }

  /** Interactive sessions learn their id from the first hook. */
  setSessionId(sessionId: string): void {
    this.sessionId = sessionId;
  }
}

export { genAiInputTokens };
