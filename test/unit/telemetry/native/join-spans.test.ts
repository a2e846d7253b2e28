import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { SpanBuffer } from '../../../../src/export/session-buffer.ts';
import { createRedactor } from '../../../../src/privacy/redact.ts';
import { NativeSpanJoin } from '../../../../src/telemetry/native/join-spans.ts';
import type { NativeSpan } from '../../../../src/sources/native-otlp/native-records.ts';
import { NATIVE_SPAN_INTERACTION, SPAN_PROMPT, SPAN_SESSION } from '../../../../src/telemetry/names.ts';

// Interactive mode sends each finished prompt while the session goes on: Claude's spans that
// belong to no prompt (a slash command's interaction) must not leave before the session span
// they hang under is known.

const T0 = 1_800_000_000_000;

function nativeSpan(spanId: string, parentSpanId: string, name: string, startMs: number, endMs: number): NativeSpan {
  return {
    traceId: 'c'.repeat(32),
    spanId,
    parentSpanId,
    name,
    kind: 1,
    startNs: BigInt(startMs) * 1_000_000n,
    endNs: BigInt(endMs) * 1_000_000n,
    attributes: {},
    status: { code: 0, message: '' },
    events: [],
    scope: 'com.anthropic.claude_code.tracing',
  };
}

test('a command’s interaction, and what hangs under it, wait for the session span when a prompt leaves before the session ends', () => {
  const buffer = new SpanBuffer();
  const tracer = new BasicTracerProvider({ spanProcessors: [buffer] }).getTracer('claude-otel');
  const session = tracer.startSpan(SPAN_SESSION, { startTime: T0 }, ROOT_CONTEXT);
  const prompt = tracer.startSpan(
    SPAN_PROMPT,
    { startTime: T0 + 100, attributes: { 'gen_ai.operation.name': 'invoke_agent' } },
    trace.setSpan(ROOT_CONTEXT, session),
  );
  prompt.end(T0 + 2_000);
  const join = new NativeSpanJoin({ redact: createRedactor(), keepContent: false, latestSemconv: false, valueLengthLimit: Number.POSITIVE_INFINITY });

  // The prompt's flush: Claude's interaction of the prompt, and of a command typed after it.
  const ofPrompt = nativeSpan('1'.repeat(16), '', NATIVE_SPAN_INTERACTION, T0 + 90, T0 + 2_010);
  const ofCommand = nativeSpan('2'.repeat(16), '', NATIVE_SPAN_INTERACTION, T0 + 10_000, T0 + 10_050);
  const underCommand = nativeSpan('3'.repeat(16), '2'.repeat(16), 'claude_code.hook', T0 + 10_010, T0 + 10_020);
  const first = join.join(buffer.drain(), [ofPrompt, ofCommand, underCommand], [], false);
  assert.deepEqual(
    first.map((s) => s.name),
    [SPAN_PROMPT],
    'the prompt goes, with its interaction joined; the command waits',
  );

  // The session's last flush brings the session span: the command goes under it.
  session.end(T0 + 11_000);
  const last = join.join(buffer.drain(), [], [], true);
  const sessionId = session.spanContext().spanId;
  const command = last.find((s) => s.spanContext().spanId === ofCommand.spanId);
  assert.equal(command?.parentSpanContext?.spanId, sessionId);
  assert.equal(command?.spanContext().traceId, session.spanContext().traceId);
  assert.equal(last.find((s) => s.spanContext().spanId === underCommand.spanId)?.parentSpanContext?.spanId, ofCommand.spanId);
  assert.deepEqual(last.map((s) => s.name).sort(), [NATIVE_SPAN_INTERACTION, SPAN_SESSION, 'claude_code.hook'].sort());
});
