// A small host program, as a bot would be: it registers its own tracer provider with an
// in-memory exporter, opens a span for "handling a message", calls runClaude inside it, and
// prints what it saw as JSON. With HOST_PROVIDERS=none it registers nothing, and the library
// sets up its own telemetry from OTEL_*. With HOST_MESSAGES=N it handles N messages at once,
// each in its own span ("answer the user N"), and prints `handled`, one entry per message.
import { trace } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { runClaude } from 'claude-otel';

const memory = new InMemorySpanExporter();
if (process.env.HOST_PROVIDERS !== 'none') {
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
  provider.register();
}

const tracer = trace.getTracer('bot');
const handle = (prompt: string) =>
  tracer.startActiveSpan('handle message', async (span) => {
    try {
      const result = await runClaude({ args: ['--allowedTools', 'Bash', '--', prompt], cwd: process.cwd() });
      return { result, hostTraceId: span.spanContext().traceId, hostSpanId: span.spanContext().spanId };
    } finally {
      span.end();
    }
  });
const messages = Number(process.env.HOST_MESSAGES ?? 0);
const output =
  messages > 0
    ? { handled: await Promise.all(Array.from({ length: messages }, (_, i) => handle(`answer the user ${i + 1}`))) }
    : await handle('answer the user');

const spans = memory.getFinishedSpans().map((s) => ({
  name: s.name,
  traceId: s.spanContext().traceId,
  spanId: s.spanContext().spanId,
  parentSpanId: s.parentSpanContext?.spanId ?? '',
  attributes: s.attributes,
}));
process.stdout.write(`${JSON.stringify({ ...output, spans })}\n`);
