import { SeverityNumber } from '@opentelemetry/api-logs';
import type { Logger, LogAttributes } from '@opentelemetry/api-logs';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import type { SessionEvent } from '../session/events.ts';
import { toolInputSummary } from '../session/tool-input-summary.ts';
import { redactedErrorMessage } from '../session/tool-outcome.ts';
import { redactedPrefix } from '../privacy/bounded-redaction.ts';
import { genAiInputTokens } from './usage-attributes.ts';

// Session events → log records, each tied to the span it belongs to.

export type TextLevel = 'off' | 'preview' | 'full';

export interface LogMapperOptions {
  prompts: TextLevel;
  responses: TextLevel;
  redact: (text: string) => string;
}

export const RESPONSE_PREVIEW_LENGTH = 120;

export class LogMapper {
  private sessionId = '';
  private readonly toolNames = new Map<string, string>();

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
      attributes: { 'event.name': eventName, 'session.id': this.sessionId, ...attributes },
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
        this.emit('claude.session.start', span, event.time, { 'claude.mode': event.mode, 'claude.version': event.version, 'gen_ai.request.model': event.model });
        break;
      case 'prompt_start': {
        const attributes: LogAttributes = {};
        if (event.promptLength !== undefined) attributes['claude.prompt.length'] = event.promptLength;
        // Only the full level puts the prompt in the record; preview lives on the span.
        const body = this.options.prompts === 'full' ? this.text('full', event.text) : undefined;
        this.emit('claude.user_prompt', span, event.time, attributes, body !== undefined ? { body } : {});
        break;
      }
      case 'tool_start':
        this.toolNames.set(event.toolUseId, event.name);
        this.emit('claude.tool.start', span, event.time, {
          'gen_ai.tool.name': event.name,
          'gen_ai.tool.call.id': event.toolUseId,
          'claude.tool.input_summary': toolInputSummary(event.name, event.input, this.options.redact),
        });
        break;
      case 'tool_end': {
        const o = event.outcome;
        const attributes: LogAttributes = {
          'gen_ai.tool.name': this.toolNames.get(event.toolUseId) ?? 'unknown',
          'gen_ai.tool.call.id': event.toolUseId,
          'claude.tool.output_bytes': o.outputBytes,
          'claude.tool.output_truncated': o.outputTruncated,
        };
        this.toolNames.delete(event.toolUseId);
        if (o.exitCode !== undefined) attributes['claude.tool.exit_code'] = o.exitCode;
        if (o.durationMs !== undefined) attributes['claude.tool.duration_ms'] = o.durationMs;
        if (o.isError) {
          if (o.errorMessage !== undefined) attributes['error.message'] = redactedErrorMessage(this.options.redact, o);
          attributes['claude.tool.permission_denied'] = o.permissionDenied;
          attributes['claude.tool.interrupted'] = o.interrupted;
        }
        this.emit(o.isError ? 'claude.tool.error' : 'claude.tool.end', span, event.time, attributes, { error: o.isError });
        break;
      }
      case 'api_error': {
        const attributes: LogAttributes = { 'error.message': this.options.redact(event.message), 'claude.api_error.final': event.final };
        if (event.status !== undefined) attributes['http.response.status_code'] = event.status;
        if (event.attempt !== undefined) attributes['claude.api_error.attempt'] = event.attempt;
        if (event.maxRetries !== undefined) attributes['claude.api_error.max_retries'] = event.maxRetries;
        this.emit('claude.api_error', span, event.time, attributes, { error: true });
        break;
      }
      case 'compaction': {
        const attributes: LogAttributes = { 'claude.compaction.trigger': event.trigger };
        if (event.preTokens !== undefined) attributes['claude.compaction.pre_tokens'] = event.preTokens;
        if (event.postTokens !== undefined) attributes['claude.compaction.post_tokens'] = event.postTokens;
        this.emit('claude.compaction', span, event.time, attributes);
        break;
      }
      case 'prompt_end': {
        const text = event.responseText;
        const attributes: LogAttributes = { 'claude.response.length': text?.length ?? 0 };
        if (event.result) {
          attributes['claude.result.subtype'] = event.result.subtype;
          attributes['claude.result.is_error'] = event.result.isError;
        }
        const body = this.text(this.options.responses, text);
        this.emit('claude.assistant_response', span, event.time, attributes, { error: event.result?.isError === true, ...(body !== undefined ? { body } : {}) });
        break;
      }
      case 'session_end': {
        const attributes: LogAttributes = { 'process.exit.code': event.exitCode, 'claude.interrupted': event.interrupted };
        if (event.result) {
          attributes['claude.result.subtype'] = event.result.subtype;
          attributes['claude.result.is_error'] = event.result.isError;
          if (event.result.costUsd !== undefined) attributes['claude.cost_usd'] = event.result.costUsd;
        }
        const failed = event.exitCode !== 0 || event.result?.isError === true;
        this.emit('claude.session.end', span, event.time, attributes, { error: failed });
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
