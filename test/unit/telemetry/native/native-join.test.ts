import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SpanKind, SpanStatusCode, trace, ROOT_CONTEXT } from '@opentelemetry/api';
import type { Attributes, Span } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { SpanBuffer } from '../../../../src/export/session-buffer.ts';
import { createRedactor } from '../../../../src/privacy/redact.ts';
import { NativeJoin } from '../../../../src/telemetry/native/native-join.ts';
import { NATIVE_METRICS_LEFT_OUT } from '../../../../src/telemetry/native/native-metrics.ts';
import type { NativeBatch, NativeLog, NativeMetricPoint, NativeSpan } from '../../../../src/sources/native-otlp/native-records.ts';
import { ManualMetricReader } from '../../../../src/export/session-buffer.ts';
import {
  ATTR_CLAUDE_EFFORT,
  ATTR_CLAUDE_NATIVE,
  ATTR_CLAUDE_QUERY_SOURCE,
  ATTR_CLAUDE_REQUEST_ID,
  ATTR_CLAUDE_TOOL_PERMISSION_WAIT_MS,
  ATTR_CLAUDE_TTFT_MS,
  ATTR_GEN_AI_TOOL_CALL_ID,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  SPAN_PROMPT,
  SPAN_SESSION,
} from '../../../../src/telemetry/names.ts';

// The join on what Claude Code 2.1.197 and 2.1.337 really sent (one Bash call exiting 3, two
// model calls), against the spans our side makes for the same session.

type Sample = Record<string, unknown> & { signal: string };

function sample(version: string): NativeBatch {
  const text = readFileSync(fileURLToPath(new URL(`../../../fixtures/native-otlp/native-otlp-${version}.jsonl`, import.meta.url)), 'utf8');
  const batch: NativeBatch = { spans: [], logs: [], metrics: [], skippedPoints: 0 };
  for (const line of text.split('\n').filter(Boolean)) {
    const record = JSON.parse(line) as Sample;
    if (record.signal === 'span') {
      batch.spans.push({
        traceId: String(record.traceId),
        spanId: String(record.spanId),
        parentSpanId: String(record.parentSpanId ?? ''),
        name: String(record.name),
        kind: Number(record.kind),
        startNs: BigInt(String(record.start)),
        endNs: BigInt(String(record.end)),
        attributes: record.attributes as NativeSpan['attributes'],
        status: record.status as NativeSpan['status'],
        events: (record.events as { name: string; attributes: NativeSpan['attributes'] }[]).map((e) => ({ ...e, timeNs: BigInt(String(record.start)) })),
        scope: String(record.scope),
      });
    } else if (record.signal === 'log') {
      batch.logs.push({
        timeNs: BigInt(String(record.time)),
        severityNumber: 9,
        severityText: '',
        body: String(record.body),
        eventName: '',
        attributes: record.attributes as NativeLog['attributes'],
        traceId: String(record.traceId),
        spanId: String(record.spanId),
        scope: String(record.scope),
      });
    } else if (record.signal === 'metric') {
      for (const point of record.points as { attributes: NativeMetricPoint['attributes']; value: number }[])
        batch.metrics.push({
          name: String(record.name),
          unit: String(record.unit),
          description: '',
          type: 'sum',
          monotonic: true,
          temporality: 1,
          attributes: point.attributes,
          value: point.value,
          startNs: 0n,
          timeNs: 0n,
        });
    }
  }
  return batch;
}

function ms(ns: bigint): number {
  return Number(ns / 1000n) / 1000;
}

/** Our side of the same session, timed like Claude's, as the span mapper names it. */
function ourSpans(native: NativeSpan[], options: { markToolError: boolean }): ReadableSpan[] {
  const buffer = new SpanBuffer();
  const tracer = new BasicTracerProvider({ spanProcessors: [buffer] }).getTracer('claude-otel');
  const interaction = native.find((s) => s.name === 'claude_code.interaction');
  assert.ok(interaction);
  const start = ms(interaction.startNs) - 50;
  const session = tracer.startSpan(SPAN_SESSION, { startTime: start }, ROOT_CONTEXT);
  const sessionContext = trace.setSpan(ROOT_CONTEXT, session);
  const prompt = tracer.startSpan(
    SPAN_PROMPT,
    { startTime: ms(interaction.startNs) + 5, attributes: { 'gen_ai.operation.name': 'invoke_agent' } },
    sessionContext,
  );
  const promptContext = trace.setSpan(sessionContext, prompt);
  const ended: Span[] = [];
  for (const call of native.filter((s) => s.name === 'claude_code.llm_request')) {
    const attributes: Attributes = {
      'gen_ai.operation.name': 'chat',
      [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 145,
      'gen_ai.usage.output_tokens': 25,
      'gen_ai.usage.cache_read.input_tokens': 40,
      [ATTR_CLAUDE_TTFT_MS]: 999,
    };
    const span = tracer.startSpan('chat claude', { kind: SpanKind.CLIENT, startTime: ms(call.startNs) + 10, attributes }, promptContext);
    span.end(ms(call.endNs) + 2);
  }
  for (const tool of native.filter((s) => s.name === 'claude_code.tool')) {
    const span = tracer.startSpan(
      'execute_tool Bash',
      {
        startTime: ms(tool.startNs) + 1,
        attributes: { 'gen_ai.operation.name': 'execute_tool', [ATTR_GEN_AI_TOOL_CALL_ID]: String(tool.attributes.tool_use_id), 'claude.tool.exit_code': 3 },
      },
      promptContext,
    );
    if (options.markToolError) span.setStatus({ code: SpanStatusCode.ERROR, message: 'Exit code 3' });
    span.end(ms(tool.endNs));
    ended.push(span);
  }
  prompt.end(ms(interaction.endNs) + 3);
  session.end(ms(interaction.endNs) + 20);
  return buffer.drain();
}

function join(version: string, options: { markToolError?: boolean; extraSpans?: (spans: NativeSpan[]) => NativeSpan[] } = {}) {
  const batch = sample(version);
  const ours = ourSpans(batch.spans, { markToolError: options.markToolError ?? true });
  if (options.extraSpans) batch.spans.push(...options.extraSpans(batch.spans));
  const reader = new ManualMetricReader();
  const meter = new MeterProvider({ readers: [reader] }).getMeter('claude-otel');
  const joiner = new NativeJoin(
    { take: () => batch },
    {
      meter,
      redact: createRedactor(),
      prompts: 'preview',
      responses: 'preview',
      latestSemconv: false,
      spanValueLimit: Number.POSITIVE_INFINITY,
      logValueLimit: Number.POSITIVE_INFINITY,
    },
  );
  const joined = joiner.apply(ours, []);
  return { ours, spans: joined.spans, logs: joined.logs, reader, batch };
}

for (const version of ['2.1.197', '2.1.337']) {
  test(`${version}: one span per prompt, model call and tool call, Claude's facts on ours`, () => {
    const { ours, spans } = join(version);
    const names = spans.map((s) => s.name).sort();
    assert.deepEqual(names, ['chat claude', 'chat claude', 'claude.session', 'claude_code.tool.execution', 'execute_tool Bash', SPAN_PROMPT].sort());
    const traceId = ours[0]?.spanContext().traceId;
    assert.ok(
      spans.every((s) => s.spanContext().traceId === traceId),
      'one trace',
    );
    const chats = spans.filter((s) => s.name === 'chat claude').sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1]);
    assert.deepEqual(
      chats.map((c) => c.attributes[ATTR_CLAUDE_REQUEST_ID]),
      version === '2.1.197' ? ['req_acc_2', 'req_acc_3'] : ['req_acc_1', 'req_acc_2'],
    );
    for (const chat of chats) {
      assert.notEqual(chat.attributes[ATTR_CLAUDE_TTFT_MS], 999, "Claude's first-token time replaces ours");
      assert.equal(chat.attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS], 145, 'ours, once');
      assert.equal(chat.attributes.input_tokens, undefined);
      assert.equal(typeof chat.attributes[ATTR_CLAUDE_QUERY_SOURCE] === 'string' || version === '2.1.197', true);
    }
    if (version === '2.1.337') assert.equal(chats[0]?.attributes[ATTR_CLAUDE_EFFORT], 'medium');
    const tool = spans.find((s) => s.name === 'execute_tool Bash');
    assert.ok(tool);
    assert.equal(typeof tool.attributes[ATTR_CLAUDE_TOOL_PERMISSION_WAIT_MS], 'number');
    const execution = spans.find((s) => s.name === 'claude_code.tool.execution');
    assert.equal(execution?.parentSpanContext?.spanId, tool.spanContext().spanId);
    assert.equal(execution?.status.code, SpanStatusCode.ERROR);
    assert.equal(execution?.attributes[ATTR_CLAUDE_NATIVE], true);
    const tokens = spans.reduce(
      (sum, s) => sum + (typeof s.attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS] === 'number' ? (s.attributes[ATTR_GEN_AI_USAGE_INPUT_TOKENS] as number) : 0),
      0,
    );
    assert.equal(tokens, 2 * 145, 'a sum over the trace counts each call once');
  });

  test(`${version}: a failed call Claude saw and ours did not mark gets the error status`, () => {
    const { spans } = join(version, { markToolError: false });
    const tool = spans.find((s) => s.name === 'execute_tool Bash');
    // The tool span of Claude's has no error itself; its execution has, which stays the child's.
    assert.equal(tool?.status.code, SpanStatusCode.UNSET);
    const execution = spans.find((s) => s.name === 'claude_code.tool.execution');
    assert.equal(execution?.status.message, 'ShellError');
  });

  test(`${version}: an unknown span is carried under the span its parent became, and redacted`, () => {
    const secret = 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH';
    const { spans } = join(version, {
      extraSpans: (native) => {
        const tool = native.find((s) => s.name === 'claude_code.tool');
        assert.ok(tool);
        return [
          {
            ...tool,
            spanId: 'aaaaaaaaaaaaaaaa',
            parentSpanId: tool.spanId,
            name: 'claude_code.future_thing',
            attributes: { note: `key ${secret}`, 'session.id': 'x' },
          },
        ];
      },
    });
    const tool = spans.find((s) => s.name === 'execute_tool Bash');
    const future = spans.find((s) => s.name === 'claude_code.future_thing');
    assert.ok(tool && future);
    assert.equal(future.parentSpanContext?.spanId, tool.spanContext().spanId);
    assert.ok(!String(future.attributes.note).includes(secret), String(future.attributes.note));
    assert.equal(future.attributes['session.id'], undefined, "Claude's process labels are the session span's");
  });

  test(`${version}: Claude's events tied to our spans, its prompt and tool result records left out; its token and cost metrics too`, async () => {
    const { spans, logs, reader } = join(version);
    const ids = new Set(spans.map((s) => s.spanContext().spanId));
    const events = logs.map((l) => l.eventName);
    assert.ok(!events.includes('claude_code.user_prompt') && !events.includes('claude_code.tool_result') && !events.includes('claude_code.assistant_response'));
    assert.equal(events.filter((e) => e === 'claude_code.api_request').length, 2);
    for (const record of logs) if (record.spanContext) assert.ok(ids.has(record.spanContext.spanId), `${record.eventName} tied to a span of the trace`);
    const metrics = await reader.read();
    const names = metrics?.scopeMetrics.flatMap((s) => s.metrics.map((m) => m.descriptor.name)) ?? [];
    assert.ok(names.includes('claude_code.active_time.total'));
    for (const name of NATIVE_METRICS_LEFT_OUT) assert.ok(!names.includes(name), name);
  });
}
