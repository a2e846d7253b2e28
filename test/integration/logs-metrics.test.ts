import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startScenario, waitForSession, spansNamed, intAttr, ALLOW_TOOLS } from '../support/scenario.ts';
import type { ReceivedMetric } from '../support/otlp-receiver.ts';
import {
  ATTR_CLAUDE_COST_USD,
  ATTR_CLAUDE_PROMPT_LENGTH,
  ATTR_CLAUDE_SOURCE,
  ATTR_CLAUDE_TOOL_DURATION_MS,
  ATTR_CLAUDE_TOOL_ERROR,
  ATTR_CLAUDE_TOOL_EXIT_CODE,
  ATTR_EVENT_NAME,
  ATTR_GEN_AI_TOKEN_TYPE,
  ATTR_GEN_AI_TOOL_CALL_ID,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_SERVICE_NAME,
  ATTR_SESSION_ID,
  EVENT_ASSISTANT_RESPONSE,
  EVENT_SESSION_END,
  EVENT_SESSION_START,
  EVENT_TOOL_END,
  EVENT_TOOL_ERROR,
  EVENT_TOOL_START,
  EVENT_USER_PROMPT,
  METRIC_CLAUDE_COST_USAGE,
  METRIC_CLAUDE_SESSION_COUNT,
  METRIC_CLAUDE_SESSION_DURATION,
  METRIC_CLAUDE_TOKEN_USAGE,
  METRIC_CLAUDE_TOOL_CALLS,
  METRIC_CLAUDE_TOOL_DURATION,
  METRIC_GEN_AI_CLIENT_TOKEN_USAGE,
} from '../../src/telemetry/names.ts';

// Log records and metrics of a print-mode session, as a real OTLP receiver decoded them.

const SEVERITY_ERROR = 17;

function script() {
  return [
    {
      kind: 'tools' as const,
      tools: [
        { name: 'Bash', input: { command: 'echo fine' } },
        { name: 'Bash', input: { command: 'exit 4' } },
      ],
    },
    { kind: 'text' as const, text: 'Done here.' },
  ];
}

function metric(metrics: ReceivedMetric[], name: string): ReceivedMetric {
  const found = metrics.find((m) => m.name === name);
  if (!found) throw new Error(`no metric ${name}; got ${metrics.map((m) => m.name).join(', ')}`);
  return found;
}

for (const protocol of ['grpc', 'http/protobuf', 'http/json'] as const) {
  test(`log records and metrics over ${protocol} (OTEL_METRICS_EXPORTER=otlp): lifecycle events tied to their spans; counters and histograms of the session`, async () => {
    const s = await startScenario(script(), { protocol });
    try {
      const run = await s.wrapper(['-p', 'run two commands', ...ALLOW_TOOLS], { env: { OTEL_METRICS_EXPORTER: 'otlp' } });
      assert.equal(run.exitCode, 0, run.stderr);
      const root = await waitForSession(s.receiver);
      await s.receiver.waitFor((r) => r.logs.some((l) => l.eventName === EVENT_SESSION_END));
      const logs = s.receiver.logs;
      const names = logs.map((l) => l.eventName);
      assert.deepEqual([...new Set(names)].sort(), [
        EVENT_ASSISTANT_RESPONSE,
        EVENT_SESSION_END,
        EVENT_SESSION_START,
        EVENT_TOOL_END,
        EVENT_TOOL_ERROR,
        EVENT_TOOL_START,
        EVENT_USER_PROMPT,
      ]);
      assert.equal(names.filter((n) => n === EVENT_TOOL_START).length, 2);
      const sessionId = root.attributes[ATTR_SESSION_ID];
      for (const log of logs) {
        assert.equal(log.attributes[ATTR_EVENT_NAME], log.eventName);
        assert.equal(log.attributes[ATTR_SESSION_ID], sessionId);
        assert.equal(log.traceId, root.traceId, `${log.eventName} is in the session's trace`);
        assert.ok(
          s.receiver.spans.some((span) => span.spanId === log.spanId),
          `${log.eventName} names an exported span`,
        );
        assert.equal(log.resource[ATTR_SERVICE_NAME], 'claude-otel');
      }
      const start = logs.find((l) => l.eventName === EVENT_SESSION_START);
      assert.equal(start?.spanId, root.spanId);
      assert.equal(start?.attributes[ATTR_CLAUDE_SOURCE], 'wrapper');
      const prompt = spansNamed(s.receiver.spans, 'invoke_agent')[0];
      const userPrompt = logs.find((l) => l.eventName === EVENT_USER_PROMPT);
      assert.equal(userPrompt?.spanId, prompt?.spanId);
      assert.equal(userPrompt?.attributes[ATTR_CLAUDE_PROMPT_LENGTH], 'run two commands'.length);
      const error = logs.find((l) => l.eventName === EVENT_TOOL_ERROR);
      assert.equal(error?.severityNumber, SEVERITY_ERROR);
      assert.equal(error?.attributes[ATTR_CLAUDE_TOOL_EXIT_CODE], 4);
      const toolSpan = s.receiver.spans.find((x) => x.attributes[ATTR_GEN_AI_TOOL_CALL_ID] === error?.attributes[ATTR_GEN_AI_TOOL_CALL_ID]);
      assert.equal(error?.spanId, toolSpan?.spanId, 'a tool record belongs to its tool span');
      assert.ok(toolSpan);
      assert.equal(intAttr(toolSpan, ATTR_CLAUDE_TOOL_EXIT_CODE), 4);
      // Print mode has no hook figure: each record has its span's length, as the span does.
      for (const record of logs.filter((l) => l.eventName === EVENT_TOOL_END || l.eventName === EVENT_TOOL_ERROR)) {
        const span = s.receiver.spans.find((x) => x.attributes[ATTR_GEN_AI_TOOL_CALL_ID] === record.attributes[ATTR_GEN_AI_TOOL_CALL_ID]);
        assert.ok(span);
        assert.equal(record.attributes[ATTR_CLAUDE_TOOL_DURATION_MS], intAttr(span, ATTR_CLAUDE_TOOL_DURATION_MS), `${record.eventName} duration`);
      }

      // Metrics.
      await s.receiver.waitFor((r) => r.metrics.some((m) => m.name === METRIC_CLAUDE_SESSION_COUNT));
      const metrics = s.receiver.metrics;
      assert.equal(metric(metrics, METRIC_CLAUDE_SESSION_COUNT).dataPoints[0]?.value, 1);
      assert.equal(metric(metrics, METRIC_CLAUDE_SESSION_COUNT).resource[ATTR_SERVICE_NAME], 'claude-otel');
      assert.equal(metric(metrics, METRIC_CLAUDE_SESSION_DURATION).type, 'histogram');
      assert.equal(metric(metrics, METRIC_CLAUDE_SESSION_DURATION).unit, 's');
      const calls = metric(metrics, METRIC_CLAUDE_TOOL_CALLS).dataPoints;
      assert.equal(calls.find((p) => p.attributes[ATTR_CLAUDE_TOOL_ERROR] === false)?.value, 1);
      assert.equal(calls.find((p) => p.attributes[ATTR_CLAUDE_TOOL_ERROR] === true)?.value, 1);
      assert.equal(calls[0]?.attributes[ATTR_GEN_AI_TOOL_NAME], 'Bash');
      assert.equal(metric(metrics, METRIC_CLAUDE_TOOL_DURATION).dataPoints[0]?.count, 2);
      const tokens = metric(metrics, METRIC_CLAUDE_TOKEN_USAGE).dataPoints;
      const outputTokens = tokens.find((p) => p.attributes.type === 'output')?.value;
      assert.equal(outputTokens, intAttr(root, ATTR_GEN_AI_USAGE_OUTPUT_TOKENS));
      assert.equal(tokens.find((p) => p.attributes.type === 'cache_read')?.value, 100);
      const genAi = metric(metrics, METRIC_GEN_AI_CLIENT_TOKEN_USAGE);
      assert.equal(genAi.type, 'histogram');
      const inputPoint = genAi.dataPoints.find((p) => p.attributes[ATTR_GEN_AI_TOKEN_TYPE] === 'input');
      assert.equal(inputPoint?.count, 2);
      assert.equal(inputPoint?.sum, intAttr(root, ATTR_GEN_AI_USAGE_INPUT_TOKENS));
      const cost = metric(metrics, METRIC_CLAUDE_COST_USAGE).dataPoints.reduce((sum, p) => sum + (p.value ?? 0), 0);
      assert.ok(Math.abs(cost - Number(root.attributes[ATTR_CLAUDE_COST_USD])) < 1e-9);
    } finally {
      await s.close();
    }
  });
}

test('metrics are not exported by default', async () => {
  const s = await startScenario(script());
  try {
    const run = await s.wrapper(['-p', 'go', ...ALLOW_TOOLS]);
    assert.equal(run.exitCode, 0);
    await waitForSession(s.receiver);
    await s.receiver.waitFor((r) => r.logs.some((l) => l.eventName === EVENT_SESSION_END));
    assert.equal(s.receiver.metrics.length, 0);
    assert.ok(!s.receiver.requests.some((r) => r.signal === 'metrics'));
  } finally {
    await s.close();
  }
});
