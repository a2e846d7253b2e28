import { TraceFlags } from '@opentelemetry/api';
import type { Attributes } from '@opentelemetry/api';
import type { LogAttributes } from '@opentelemetry/api-logs';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { NativeLog } from '../../sources/native-otlp/native-records.ts';
import type { Redactor } from '../../privacy/redact.ts';
import { limitAttributes } from '../../privacy/attribute-limits.ts';
import {
  ATTR_CLAUDE_NATIVE,
  ATTR_EVENT_NAME,
  ATTR_GEN_AI_TOOL_CALL_ID,
  EVENT_TOOL_END,
  EVENT_TOOL_ERROR,
  EVENT_USER_PROMPT,
  NATIVE_SCOPE_EVENTS,
} from '../names.ts';
import { translateAttributes } from './native-attributes.ts';
import { hrTime, scopeNamed } from './native-time-scope.ts';
import type { NativeSpanJoin } from './join-spans.ts';

// Claude Code's own events (log records) joined with ours, each fact once. Ours stay for the
// prompt, the tool result and the response (they follow our privacy settings and carry the exit
// code and sizes) and take what Claude's add (the prompt's id, the tool input's size); Claude's
// `user_prompt`, `tool_result` and `assistant_response` are then left out. Every other event of
// Claude's (`api_request`, `tool_decision`, those we do not know) is kept under its own name, in
// our trace, tied to the span its span became.

/** Claude's events that ours already are. */
const PROMPT = 'user_prompt';
const TOOL_RESULT = 'tool_result';
const RESPONSE = 'assistant_response';

export interface LogJoinOptions {
  redact: Redactor;
  /** Conversation text is kept (our prompt and response settings are both `full`). */
  keepContent: boolean;
  valueLengthLimit: number;
}

/** Claude's event name: `event.name`, else the body without its prefix. */
function eventOf(log: NativeLog): string {
  const name = log.attributes[ATTR_EVENT_NAME];
  if (typeof name === 'string' && name) return name;
  if (log.eventName) return log.eventName.replace(/^claude_code\./, '');
  return log.body.replace(/^claude_code\./, '');
}

function withAttributes(record: ReadableLogRecord, extra: LogAttributes): ReadableLogRecord {
  return {
    hrTime: record.hrTime,
    hrTimeObserved: record.hrTimeObserved,
    ...(record.spanContext ? { spanContext: record.spanContext } : {}),
    ...(record.severityText !== undefined ? { severityText: record.severityText } : {}),
    ...(record.severityNumber !== undefined ? { severityNumber: record.severityNumber } : {}),
    ...(record.body !== undefined ? { body: record.body } : {}),
    ...(record.eventName !== undefined ? { eventName: record.eventName } : {}),
    resource: record.resource,
    instrumentationScope: record.instrumentationScope,
    attributes: { ...extra, ...record.attributes },
    droppedAttributesCount: record.droppedAttributesCount,
  };
}

export class NativeLogJoin {
  /** Claude's prompt records seen, and ours: the n-th of one is the n-th of the other. */
  private nativePrompts = 0;
  private ourPrompts: ReadableLogRecord[] = [];
  private resource: ReadableLogRecord['resource'] | undefined;

  constructor(private readonly options: LogJoinOptions) {}

  join(ours: ReadableLogRecord[], native: NativeLog[], spans: NativeSpanJoin): ReadableLogRecord[] {
    this.resource ??= ours[0]?.resource ?? spans.ourResource;
    const extras = new Map<ReadableLogRecord, LogAttributes>();
    const add = (record: ReadableLogRecord, attributes: Attributes) => extras.set(record, { ...extras.get(record), ...attributes });
    const toolRecords = new Map<string, ReadableLogRecord>();
    for (const record of ours) {
      const name = record.eventName ?? record.attributes[ATTR_EVENT_NAME];
      if (name === EVENT_USER_PROMPT) this.ourPrompts.push(record);
      if (name === EVENT_TOOL_END || name === EVENT_TOOL_ERROR) {
        const id = record.attributes[ATTR_GEN_AI_TOOL_CALL_ID];
        if (typeof id === 'string') toolRecords.set(id, record);
      }
    }
    const standalone: ReadableLogRecord[] = [];
    const translate = (log: NativeLog) =>
      translateAttributes(log.attributes, { redact: this.options.redact, keepContent: this.options.keepContent, joined: true });
    for (const log of [...native].sort((a, b) => (a.timeNs < b.timeNs ? -1 : a.timeNs > b.timeNs ? 1 : 0))) {
      const event = eventOf(log);
      if (event === PROMPT) {
        const ourRecord = this.ourPrompts[this.nativePrompts];
        this.nativePrompts += 1;
        if (ourRecord && ours.includes(ourRecord)) add(ourRecord, translate(log));
        continue;
      }
      if (event === TOOL_RESULT) {
        const id = log.attributes.tool_use_id;
        const ourRecord = typeof id === 'string' ? toolRecords.get(id) : undefined;
        if (ourRecord) add(ourRecord, translate(log));
        continue;
      }
      if (event === RESPONSE) continue;
      const record = this.standalone(log, event, spans);
      if (record) standalone.push(record);
    }
    const out = ours.map((record) => {
      const extra = extras.get(record);
      if (!extra) return record;
      const copy = withAttributes(record, extra);
      limitAttributes(copy.attributes as Attributes, this.options.valueLengthLimit);
      return copy;
    });
    return [...out, ...standalone];
  }

  private standalone(log: NativeLog, event: string, spans: NativeSpanJoin): ReadableLogRecord | undefined {
    if (!this.resource) return undefined;
    const traceId = spans.joinedTraceId;
    const timeMs = Number(log.timeNs / 1_000_000n);
    const spanId = (log.spanId ? spans.spanIdFor(log.spanId) : undefined) ?? spans.promptAt(timeMs) ?? spans.sessionSpan;
    const attributes: LogAttributes = {
      ...translateAttributes(log.attributes, { redact: this.options.redact, keepContent: this.options.keepContent, joined: false }),
      [ATTR_EVENT_NAME]: `claude_code.${event}`,
      [ATTR_CLAUDE_NATIVE]: true,
    };
    limitAttributes(attributes as Attributes, this.options.valueLengthLimit);
    return {
      hrTime: hrTime(log.timeNs),
      hrTimeObserved: hrTime(log.timeNs),
      ...(traceId && spanId ? { spanContext: { traceId, spanId, traceFlags: TraceFlags.SAMPLED } } : {}),
      severityNumber: log.severityNumber || 9,
      severityText: log.severityText || 'INFO',
      ...(log.body ? { body: this.options.redact(log.body) } : {}),
      eventName: `claude_code.${event}`,
      resource: this.resource,
      instrumentationScope: scopeNamed(log.scope || NATIVE_SCOPE_EVENTS),
      attributes,
      droppedAttributesCount: 0,
    };
  }
}
