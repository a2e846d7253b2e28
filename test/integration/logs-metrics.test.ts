import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startScenario, waitForSession, spansNamed, intAttr, ALLOW_TOOLS } from '../support/scenario.ts';
import type { ReceivedMetric } from '../support/otlp-receiver.ts';

// Log records and metrics of a print-mode session, as a real OTLP receiver decoded them.

const SEVERITY_ERROR = 17;

function script() {
  return [
    { kind: 'tools' as const, tools: [{ name: 'Bash', input: { command: 'echo fine' } }, { name: 'Bash', input: { command: 'exit 4' } }] },
    { kind: 'text' as const, text: 'Done here.' },
  ];
}

for (const protocol of ['grpc', 'http/protobuf', 'http/json'] as const) {
  test(`log records over ${protocol}: lifecycle events tied to their spans`, async () => {
    const s = await startScenario(script(), { protocol });
    try {
      const run = await s.wrapper(['-p', 'run two commands', ...ALLOW_TOOLS]);
      assert.equal(run.exitCode, 0, run.stderr);
      const root = await waitForSession(s.receiver);
      await s.receiver.waitFor((r) => r.logs.some((l) => l.eventName === 'claude.session.end'));
      const logs = s.receiver.logs;
      const names = logs.map((l) => l.eventName);
      assert.deepEqual(
        [...new Set(names)].sort(),
        ['claude.assistant_response', 'claude.session.end', 'claude.session.start', 'claude.tool.end', 'claude.tool.error', 'claude.tool.start', 'claude.user_prompt'],
      );
      assert.equal(names.filter((n) => n === 'claude.tool.start').length, 2);
      const sessionId = root.attributes['session.id'];
      for (const log of logs) {
        assert.equal(log.attributes['event.name'], log.eventName);
        assert.equal(log.attributes['session.id'], sessionId);
        assert.equal(log.traceId, root.traceId, `${log.eventName} is in the session's trace`);
        assert.ok(s.receiver.spans.some((span) => span.spanId === log.spanId), `${log.eventName} names an exported span`);
        assert.equal(log.resource['service.name'], 'claude-otel');
      }
      const start = logs.find((l) => l.eventName === 'claude.session.start');
      assert.equal(start?.spanId, root.spanId);
      const prompt = spansNamed(s.receiver.spans, 'invoke_agent')[0];
      const userPrompt = logs.find((l) => l.eventName === 'claude.user_prompt');
      assert.equal(userPrompt?.spanId, prompt?.spanId);
      assert.equal(userPrompt?.attributes['claude.prompt.length'], 'run two commands'.length);
      const error = logs.find((l) => l.eventName === 'claude.tool.error');
      assert.equal(error?.severityNumber, SEVERITY_ERROR);
      assert.equal(error?.attributes['claude.tool.exit_code'], 4);
      const toolSpan = s.receiver.spans.find((x) => x.attributes['gen_ai.tool.call.id'] === error?.attributes['gen_ai.tool.call.id']);
      assert.equal(error?.spanId, toolSpan?.spanId, 'a tool record belongs to its tool span');
      assert.equal(intAttr(toolSpan!, 'claude.tool.exit_code'), 4);
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
    await s.receiver.waitFor((r) => r.logs.some((l) => l.eventName === 'claude.session.end'));
    assert.equal(s.receiver.metrics.length, 0);
    assert.ok(!s.receiver.requests.some((r) => r.signal === 'metrics'));
  } finally {
    await s.close();
  }
});

function metric(metrics: ReceivedMetric[], name: string): ReceivedMetric {
  const found = metrics.find((m) => m.name === name);
  if (!found) throw new Error(`no metric ${name}; got ${metrics.map((m) => m.name).join(', ')}`);
  return found;
}

for (const protocol of ['grpc', 'http/protobuf', 'http/json'] as const) {
  test(`metrics over ${protocol} with OTEL_METRICS_EXPORTER=otlp`, async () => {
    const s = await startScenario(script(), { protocol });
    try {
      const run = await s.wrapper(['-p', 'go', ...ALLOW_TOOLS], { env: { OTEL_METRICS_EXPORTER: 'otlp' } });
      assert.equal(run.exitCode, 0, run.stderr);
      const root = await waitForSession(s.receiver);
      await s.receiver.waitFor((r) => r.metrics.some((m) => m.name === 'claude.session.count'));
      const metrics = s.receiver.metrics;
      assert.equal(metric(metrics, 'claude.session.count').dataPoints[0]?.value, 1);
      assert.equal(metric(metrics, 'claude.session.count').resource['service.name'], 'claude-otel');
      assert.equal(metric(metrics, 'claude.session.duration').type, 'histogram');
      assert.equal(metric(metrics, 'claude.session.duration').unit, 's');
      const calls = metric(metrics, 'claude.tool.calls').dataPoints;
      assert.equal(calls.find((p) => p.attributes['claude.tool.error'] === false)?.value, 1);
      assert.equal(calls.find((p) => p.attributes['claude.tool.error'] === true)?.value, 1);
      assert.equal(calls[0]?.attributes['gen_ai.tool.name'], 'Bash');
      assert.equal(metric(metrics, 'claude.tool.duration').dataPoints[0]?.count, 2);
      const tokens = metric(metrics, 'claude.token.usage').dataPoints;
      const outputTokens = tokens.find((p) => p.attributes['type'] === 'output')?.value;
      assert.equal(outputTokens, intAttr(root, 'gen_ai.usage.output_tokens'));
      assert.equal(tokens.find((p) => p.attributes['type'] === 'cache_read')?.value, 100);
      const genAi = metric(metrics, 'gen_ai.client.token.usage');
      assert.equal(genAi.type, 'histogram');
      const inputPoint = genAi.dataPoints.find((p) => p.attributes['gen_ai.token.type'] === 'input');
      assert.equal(inputPoint?.count, 2);
      assert.equal(inputPoint?.sum, intAttr(root, 'gen_ai.usage.input_tokens'));
      const cost = metric(metrics, 'claude.cost.usage').dataPoints.reduce((sum, p) => sum + (p.value ?? 0), 0);
      assert.ok(Math.abs(cost - Number(root.attributes['claude.cost_usd'])) < 1e-9);
    } finally {
      await s.close();
    }
  });
}
