import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startScenario, waitForSession, childrenOf, spansNamed, intAttr, ALLOW_TOOLS } from '../support/scenario.ts';
import type { Scenario } from '../support/scenario.ts';
import type { RunResult } from '../support/claude-run.ts';
import type { ReceivedMetric, ReceivedSpan } from '../support/otlp-receiver.ts';
import { listPriceParts } from '../../src/telemetry/pricing.ts';
import { once } from '../support/once.ts';

// Where a print-mode session's money went: cost by component on every span, cache rebuilds,
// context size, compactions, the GenAI names by default and on request, and conversation
// content on request, as a real OTLP receiver decoded them.

const COMPONENTS = ['claude.cost.input_usd', 'claude.cost.output_usd', 'claude.cost.cache_read_usd', 'claude.cost.cache_write_usd'];

function num(span: ReceivedSpan, key: string): number {
  const value = span.attributes[key];
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  throw new Error(`${span.name}: ${key} is ${String(value)}`);
}

function assertPartsAddUp(span: ReceivedSpan): void {
  const parts = COMPONENTS.map((key) => num(span, key));
  const sum = parts.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - num(span, 'claude.cost_usd')) < 1e-12, `${span.name}: ${parts.join(' + ')} = ${num(span, 'claude.cost_usd')}`);
}

function metric(metrics: ReceivedMetric[], name: string): ReceivedMetric {
  const found = metrics.find((m) => m.name === name);
  if (!found) throw new Error(`no metric ${name}; got ${metrics.map((m) => m.name).join(', ')}`);
  return found;
}

const opened: Scenario[] = [];
after(() => Promise.all(opened.map((s) => s.close())));

interface PricedSession {
  s: Scenario;
  run: RunResult;
  root: ReceivedSpan;
}

/**
 * A print session whose cache expires between its two calls, in a git work tree, metrics on; made
 * once: the cost test reads it, the compaction test resumes it. The resumed run exports no metrics,
 * so the metrics the receiver holds are this session's alone.
 */
const pricedSession = once(async (): Promise<PricedSession> => {
  const s = await startScenario([
    // The first call writes the context to the cache; the tool then idles longer than CLAUDE_OTEL_CACHE_TTL_S.
    {
      kind: 'tools',
      tools: [{ name: 'Bash', input: { command: 'sleep 2' } }],
      usage: { input_tokens: 100, output_tokens: 30, cache_read_input_tokens: 0, cache_creation_input_tokens: 2000 },
    },
    // The cache expired: this call writes its whole context again, 1-hour writes for part of it.
    {
      kind: 'text',
      text: 'Slept.',
      usage: {
        input_tokens: 50,
        output_tokens: 12,
        cache_read_input_tokens: 100,
        cache_creation_input_tokens: 3000,
        cache_creation: { ephemeral_5m_input_tokens: 2000, ephemeral_1h_input_tokens: 1000 },
      },
    },
    // The resumed run's /compact: the summary.
    { kind: 'text', text: '<summary>What happened.</summary>' },
  ]);
  opened.push(s);
  // A git work tree: its name is an attribute of the session metrics.
  execFileSync('git', ['init', '-q'], { cwd: s.sandbox.cwd });
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-q', '--allow-empty', '-m', 'start'], { cwd: s.sandbox.cwd });
  const run = await s.wrapper(['-p', 'sleep a little', '--output-format', 'json', ...ALLOW_TOOLS], {
    env: { CLAUDE_OTEL_CACHE_TTL_S: '1', OTEL_METRICS_EXPORTER: 'otlp' },
  });
  assert.equal(run.exitCode, 0, run.stderr);
  return { s, run, root: await waitForSession(s.receiver) };
});

test('cost by component adds up on every span; a call after an idle gap longer than the cache lifetime is a rebuild', async () => {
  const { s, run, root } = await pricedSession();
  const claudeTotal = (JSON.parse(run.stdout.toString()) as { total_cost_usd: number }).total_cost_usd;
  const [prompt] = childrenOf(s.receiver.spans, root).filter((x) => x.name === 'invoke_agent claude-code');
  assert.ok(prompt);
  const chats = spansNamed(childrenOf(s.receiver.spans, prompt), 'chat').sort((a, b) => Number(a.startTimeUnixNano - b.startTimeUnixNano));
  assert.equal(chats.length, 2);
  const [first, second] = chats;
  assert.ok(first && second);

  for (const span of [...chats, prompt, root]) assertPartsAddUp(span);
  assert.ok(Math.abs(num(root, 'claude.cost_usd') - claudeTotal) < 1e-12, 'the session costs what claude says');
  assert.ok(Math.abs(num(prompt, 'claude.cost_usd') - (num(first, 'claude.cost_usd') + num(second, 'claude.cost_usd'))) < 1e-12);
  for (const key of COMPONENTS) assert.ok(Math.abs(num(prompt, key) - (num(first, key) + num(second, key))) < 1e-12, `${key} summed on the prompt`);
  // In the proportions of the model's list prices: 5-minute cache writes 1.25x input, 1-hour ones 2x.
  const model = String(second.attributes['gen_ai.request.model']);
  const list = listPriceParts(model, { input: 50, output: 12, cacheRead: 100, cacheCreation: 3000, cacheWrite1h: 1000 });
  assert.ok(list, `${model} has a list price`);
  assert.ok(Math.abs(num(second, 'claude.cost.cache_read_usd') / num(second, 'claude.cost.input_usd') - list.cacheRead / list.input) < 1e-9);
  assert.ok(Math.abs(num(second, 'claude.cost.cache_write_usd') / num(second, 'claude.cost.input_usd') - (2000 * 1.25 + 1000 * 2) / 50) < 1e-9);

  assert.equal(intAttr(first, 'claude.context.tokens'), 2100);
  assert.equal(intAttr(second, 'claude.context.tokens'), 3150);
  assert.equal(first.attributes['claude.cache.rebuild'], undefined, 'an agent’s first call is no rebuild');
  assert.equal(second.attributes['claude.cache.rebuild'], true);
  assert.equal(intAttr(root, 'claude.cache.rebuilds'), 1);
  assert.ok(Math.abs(num(root, 'claude.cache.rebuild_cost_usd') - num(second, 'claude.cost.cache_write_usd')) < 1e-12);
  assert.ok(Math.abs(num(root, 'claude.cache.hit_ratio') - 100 / (2100 + 3150)) < 1e-12);
  assert.equal(intAttr(root, 'claude.compactions'), 0);

  // Today's names by default, and no content.
  assert.equal(intAttr(second, 'gen_ai.usage.cache_creation.input_tokens'), 3000);
  for (const span of s.receiver.spans.filter((x) => x.traceId === root.traceId)) {
    for (const key of [
      'gen_ai.usage.cache_write.input_tokens',
      'gen_ai.input.messages',
      'gen_ai.output.messages',
      'gen_ai.tool.call.arguments',
      'gen_ai.tool.call.result',
    ]) {
      assert.equal(span.attributes[key], undefined, `${span.name} has no ${key}`);
    }
  }

  await s.receiver.waitFor((r) => r.metrics.some((m) => m.name === 'claude.session.count'), 15_000);
  const metrics = s.receiver.metrics;
  const cost = metric(metrics, 'claude.cost.usage').dataPoints;
  assert.deepEqual([...new Set(cost.map((p) => p.attributes['claude.cost.component']))].sort(), ['cache_read', 'cache_write', 'input', 'output']);
  const costSum = cost.reduce((sum, p) => sum + (p.value ?? 0), 0);
  assert.ok(Math.abs(costSum - num(root, 'claude.cost_usd')) < 1e-9);
  assert.equal(
    metric(metrics, 'claude.cache.rebuilds').dataPoints.reduce((n, p) => n + (p.value ?? 0), 0),
    1,
  );
  assert.equal(root.attributes['vcs.repository.name'], 'project');
  assert.equal(metric(metrics, 'claude.session.count').dataPoints[0]?.attributes['vcs.repository.name'], 'project');
  assert.equal(metric(metrics, 'claude.session.duration').dataPoints[0]?.attributes['vcs.repository.name'], 'project');
  assert.equal(metric(metrics, 'claude.session.count').dataPoints[0]?.attributes['vcs.ref.head.name'], undefined, 'not the branch');
  assert.ok(metrics.some((m) => m.name === 'gen_ai.client.token.usage'));
  assert.ok(!metrics.some((m) => m.name.startsWith('gen_ai.client.inference.') || m.name === 'gen_ai.execute_tool.duration'));
});

const SECRET = 'sk-ant-api03-PLANTEDSECRETvalue0123456789';

test('OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental and CLAUDE_OTEL_LOG_CONTENT=on: today’s names, the conversation, secrets scrubbed', async () => {
  const s = await startScenario([
    { kind: 'tools', text: 'Checking.', tools: [{ name: 'Bash', input: { command: `echo ${SECRET} >/dev/null; printf done` } }] },
    { kind: 'text', text: 'All done.' },
  ]);
  try {
    const run = await s.wrapper(['-p', 'run the check', ...ALLOW_TOOLS], {
      env: { OTEL_SEMCONV_STABILITY_OPT_IN: 'http,gen_ai_latest_experimental', CLAUDE_OTEL_LOG_CONTENT: 'on', OTEL_METRICS_EXPORTER: 'otlp' },
    });
    assert.equal(run.exitCode, 0, run.stderr);
    const root = await waitForSession(s.receiver);
    const spans = s.receiver.spans.filter((x) => x.traceId === root.traceId);
    const chats = spansNamed(spans, 'chat').sort((a, b) => Number(a.startTimeUnixNano - b.startTimeUnixNano));
    assert.equal(chats.length, 2);
    const [first, second] = chats;
    assert.ok(first && second);
    for (const span of [...chats, root]) {
      assert.equal(intAttr(span, 'gen_ai.usage.cache_write.input_tokens'), span === root ? 14 : 7);
      assert.equal(span.attributes['gen_ai.usage.cache_creation.input_tokens'], undefined);
    }

    assert.deepEqual(JSON.parse(String(first.attributes['gen_ai.input.messages'])), [{ role: 'user', parts: [{ type: 'text', content: 'run the check' }] }]);
    const firstOut = JSON.parse(String(first.attributes['gen_ai.output.messages'])) as {
      role: string;
      parts: { type: string; id?: string; name?: string; arguments?: { command?: string } }[];
      finish_reason: string;
    }[];
    assert.equal(firstOut.length, 1);
    assert.equal(firstOut[0]?.role, 'assistant');
    assert.equal(firstOut[0]?.finish_reason, 'tool_use');
    assert.deepEqual(
      firstOut[0]?.parts.map((p) => p.type),
      ['text', 'tool_call'],
    );
    const call = firstOut[0]?.parts[1];
    assert.equal(call?.name, 'Bash');
    assert.equal(call?.arguments?.command, 'echo [REDACTED] >/dev/null; printf done');

    const secondIn = JSON.parse(String(second.attributes['gen_ai.input.messages'])) as {
      role: string;
      parts: { type: string; id: string; response: unknown }[];
    }[];
    assert.deepEqual(
      secondIn.map((m) => m.role),
      ['tool'],
    );
    assert.equal(secondIn[0]?.parts[0]?.type, 'tool_call_response');
    assert.equal(secondIn[0]?.parts[0]?.id, call?.id);
    assert.match(JSON.stringify(secondIn[0]?.parts[0]?.response), /done/);
    assert.deepEqual(JSON.parse(String(second.attributes['gen_ai.output.messages'])), [
      { role: 'assistant', parts: [{ type: 'text', content: 'All done.' }], finish_reason: 'end_turn' },
    ]);

    const [bash] = spansNamed(spans, 'execute_tool');
    assert.ok(bash);
    assert.deepEqual(JSON.parse(String(bash.attributes['gen_ai.tool.call.arguments'])), { command: 'echo [REDACTED] >/dev/null; printf done' });
    assert.match(String(bash.attributes['gen_ai.tool.call.result']), /done/);
    await s.receiver.waitFor((r) => r.metrics.some((m) => m.name === 'claude.session.count'), 15_000);
    assert.ok(
      !JSON.stringify(s.receiver.spans, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)).includes('PLANTEDSECRET'),
      'the secret is nowhere',
    );

    const metrics = s.receiver.metrics;
    for (const name of [
      'gen_ai.client.inference.usage.input_tokens',
      'gen_ai.client.inference.usage.output_tokens',
      'gen_ai.client.inference.usage.cache_read.input_tokens',
      'gen_ai.client.inference.usage.cache_write.input_tokens',
      'gen_ai.client.inference.operation.input_tokens',
      'gen_ai.client.inference.operation.output_tokens',
      'gen_ai.client.operation.duration',
      'gen_ai.invoke_agent.duration',
      'gen_ai.execute_tool.duration',
    ]) {
      assert.ok(
        metrics.some((m) => m.name === name),
        `metric ${name}`,
      );
    }
    assert.equal(
      metric(metrics, 'gen_ai.client.inference.usage.input_tokens').dataPoints.reduce((n, p) => n + (p.value ?? 0), 0),
      intAttr(root, 'gen_ai.usage.input_tokens'),
    );
    assert.equal(
      metric(metrics, 'gen_ai.client.operation.duration').dataPoints.reduce((n, p) => n + (p.count ?? 0), 0),
      2,
    );
    assert.equal(metric(metrics, 'gen_ai.execute_tool.duration').dataPoints[0]?.attributes['gen_ai.tool.name'], 'Bash');
    assert.ok(!metrics.some((m) => m.name === 'gen_ai.client.token.usage'), 'the old histogram is not emitted with the opt-in');
  } finally {
    await s.close();
  }
});

test('a compaction (/compact on a resumed session): a span event on its turn, a log record, and the session’s count', async () => {
  const { s, run: first } = await pricedSession();
  const sessionId = (JSON.parse(first.stdout.toString()) as { session_id: string }).session_id;
  const second = await s.wrapper(['-p', '--resume', sessionId, '/compact']);
  assert.equal(second.exitCode, 0, second.stderr);
  await s.receiver.waitFor((r) => r.spans.filter((x) => x.name === 'claude.session').length === 2, 20_000);
  await s.receiver.waitFor((r) => r.logs.some((l) => l.eventName === 'claude.compaction'), 15_000);
  const roots = s.receiver.spans.filter((x) => x.name === 'claude.session').sort((a, b) => Number(a.startTimeUnixNano - b.startTimeUnixNano));
  const [before, compacted] = roots;
  assert.ok(before && compacted);
  assert.equal(intAttr(before, 'claude.compactions'), 0);
  assert.equal(intAttr(compacted, 'claude.compactions'), 1);
  const [turn] = childrenOf(s.receiver.spans, compacted).filter((x) => x.name === 'invoke_agent claude-code');
  assert.ok(turn);
  const events = turn.events.filter((e) => e.name === 'claude.compaction');
  assert.equal(events.length, 1);
  assert.equal(events[0]?.attributes['claude.compaction.trigger'], 'manual');
  assert.ok(Number(events[0]?.attributes['claude.compaction.pre_tokens']) > 0);
  assert.ok(Number(events[0]?.attributes['claude.compaction.post_tokens']) > 0);
  const log = s.receiver.logs.find((l) => l.eventName === 'claude.compaction');
  assert.equal(log?.spanId, turn.spanId);
  assert.equal(log?.attributes['claude.compaction.trigger'], 'manual');
  assert.equal(log?.attributes['claude.compaction.pre_tokens'], events[0]?.attributes['claude.compaction.pre_tokens']);
});
