import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startScenario, waitForSession, childrenOf, spansNamed, intAttr, ALLOW_TOOLS } from '../support/scenario.ts';

// The trace of a print-mode session, as a real OTLP receiver decoded it.

const SPAN_KIND_INTERNAL = 1;
const SPAN_KIND_CLIENT = 3;
const STATUS_ERROR = 2;

test('several tools in one run: session → prompt → chat and tool spans, exact tokens', async () => {
  const s = await startScenario([
    { kind: 'tools', text: 'Let me look.', tools: [{ name: 'Bash', input: { command: 'echo hello; echo warn >&2' } }, { name: 'Write', input: { file_path: 'a.txt', content: 'line1\nline2\n' } }] },
    { kind: 'tools', tools: [{ name: 'Read', input: { file_path: 'a.txt' } }] },
    { kind: 'text', text: 'All done.' },
  ]);
  try {
    const run = await s.wrapper(['-p', 'list the files please', ...ALLOW_TOOLS]);
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(run.stdout.toString(), 'All done.\n');
    assert.equal(run.stderr, '');
    const root = await waitForSession(s.receiver);
    const spans = s.receiver.spans;
    assert.ok(spans.every((x) => x.traceId === root.traceId), 'one trace');
    assert.equal(root.parentSpanId, '');
    assert.equal(root.kind, SPAN_KIND_INTERNAL);
    assert.equal(root.attributes['claude.mode'], 'print');
    assert.equal(root.attributes['claude.version'], '2.1.197');
    assert.equal(root.attributes['claude.prompt.preview'], 'list the files please');
    assert.equal(root.attributes['session.id'], root.attributes['gen_ai.conversation.id']);
    assert.match(String(root.attributes['session.id']), /^[0-9a-f-]{36}$/);
    assert.equal(intAttr(root, 'claude.tool_count'), 3);
    assert.equal(intAttr(root, 'claude.num_turns'), 4);
    assert.equal(intAttr(root, 'process.exit.code'), 0);
    assert.equal(root.attributes['claude.result.subtype'], 'success');
    assert.equal(root.attributes['claude.result.is_error'], false);
    assert.equal(root.status.code, 0);
    assert.equal(root.resource['service.name'], 'claude-otel');

    const [prompt, ...otherPrompts] = childrenOf(spans, root);
    assert.equal(otherPrompts.length, 0);
    assert.equal(prompt?.name, 'invoke_agent claude-code');
    if (!prompt) return;
    const children = childrenOf(spans, prompt);
    const chats = spansNamed(children, 'chat');
    const tools = spansNamed(children, 'execute_tool');
    assert.equal(chats.length, 3);
    assert.deepEqual(tools.map((t) => t.name).sort(), ['execute_tool Bash', 'execute_tool Read', 'execute_tool Write']);
    for (const chat of chats) {
      assert.equal(chat.name, 'chat claude-opus-4-8');
      assert.equal(chat.kind, SPAN_KIND_CLIENT);
      assert.equal(chat.attributes['gen_ai.operation.name'], 'chat');
      assert.equal(chat.attributes['gen_ai.provider.name'], 'anthropic');
      assert.match(String(chat.attributes['gen_ai.response.id']), /^msg_/);
      // input + cache read + cache creation, per the GenAI conventions for Anthropic.
      assert.equal(intAttr(chat, 'gen_ai.usage.input_tokens'), 120 + 50 + 7);
      assert.equal(intAttr(chat, 'gen_ai.usage.cache_read.input_tokens'), 50);
      assert.equal(intAttr(chat, 'gen_ai.usage.cache_creation.input_tokens'), 7);
      assert.ok(typeof chat.attributes['claude.ttft_ms'] === 'number');
      assert.ok(typeof chat.attributes['claude.cost_usd'] === 'number');
    }
    // The stub's final output per call: 20+10×2 tools, 20+10×1 tool, 12 for text; never the first chunk's 1.
    assert.deepEqual(chats.map((c) => intAttr(c, 'gen_ai.usage.output_tokens')).sort((a, b) => a - b), [12, 30, 40]);
    const outputSum = chats.reduce((sum, c) => sum + intAttr(c, 'gen_ai.usage.output_tokens'), 0);
    assert.equal(intAttr(root, 'gen_ai.usage.output_tokens'), outputSum);
    assert.equal(intAttr(root, 'gen_ai.usage.input_tokens'), 3 * 177);
    const costSum = chats.reduce((sum, c) => sum + Number(c.attributes['claude.cost_usd']), 0);
    assert.ok(Math.abs(costSum - Number(root.attributes['claude.cost_usd'])) < 1e-9, 'chat costs add up to the session cost');
    assert.deepEqual(chats.map((c) => c.attributes['gen_ai.response.finish_reasons']).flat().sort(), ['end_turn', 'tool_use', 'tool_use']);

    const bash = tools.find((t) => t.name === 'execute_tool Bash');
    assert.ok(bash);
    assert.equal(bash.attributes['gen_ai.tool.name'], 'Bash');
    assert.equal(bash.attributes['gen_ai.tool.type'], 'function');
    assert.match(String(bash.attributes['gen_ai.tool.call.id']), /^toolu_/);
    assert.equal(bash.attributes['claude.tool.input_summary'], 'echo hello; echo warn >&2');
    assert.equal(intAttr(bash, 'claude.tool.exit_code'), 0);
    // The CLI merges stderr into stdout: "hello\nwarn".
    assert.equal(intAttr(bash, 'claude.tool.stdout_bytes'), 10);
    assert.equal(intAttr(bash, 'claude.tool.stderr_bytes'), 0);
    assert.equal(bash.attributes['claude.tool.error'], false);
    assert.equal(bash.attributes['claude.tool.output_truncated'], false);
    assert.ok(intAttr(bash, 'claude.tool.duration_ms') >= 0);
    assert.ok(bash.endTimeUnixNano >= bash.startTimeUnixNano);
    const read = tools.find((t) => t.name === 'execute_tool Read');
    assert.match(String(read?.attributes['claude.tool.input_summary']), /a\.txt$/);
    // Every span lies within the session span.
    for (const span of spans) {
      assert.ok(span.startTimeUnixNano >= root.startTimeUnixNano && span.endTimeUnixNano <= root.endTimeUnixNano, `${span.name} within the session`);
    }
  } finally {
    await s.close();
  }
});

test('a failing Bash command: exit code 7 and an ERROR span', async () => {
  const s = await startScenario([{ kind: 'tools', tools: [{ name: 'Bash', input: { command: 'echo out; echo oops >&2; exit 7' } }] }, { kind: 'text', text: 'Failed.' }]);
  try {
    const run = await s.wrapper(['-p', 'fail please', ...ALLOW_TOOLS]);
    assert.equal(run.exitCode, 0);
    await waitForSession(s.receiver);
    const bash = spansNamed(s.receiver.spans, 'execute_tool')[0];
    assert.ok(bash);
    assert.equal(intAttr(bash, 'claude.tool.exit_code'), 7);
    assert.equal(bash.status.code, STATUS_ERROR);
    assert.equal(bash.attributes['claude.tool.error'], true);
    assert.equal(bash.attributes['error.type'], 'exit_code');
    assert.match(String(bash.attributes['claude.tool.error_message']), /^Exit code 7/);
    assert.equal(intAttr(bash, 'claude.tool.output_bytes'), Buffer.byteLength('out\noops'));
  } finally {
    await s.close();
  }
});

test('an output the CLI truncates: the full size and the truncation flag', async () => {
  const s = await startScenario([{ kind: 'tools', tools: [{ name: 'Bash', input: { command: 'seq 1 200000' } }] }, { kind: 'text', text: 'Big.' }]);
  try {
    const run = await s.wrapper(['-p', 'count', ...ALLOW_TOOLS]);
    assert.equal(run.exitCode, 0);
    await waitForSession(s.receiver);
    const bash = spansNamed(s.receiver.spans, 'execute_tool')[0];
    assert.ok(bash);
    assert.equal(intAttr(bash, 'claude.tool.stdout_bytes'), 1288895);
    assert.equal(bash.attributes['claude.tool.output_truncated'], true);
    assert.equal(intAttr(bash, 'claude.tool.exit_code'), 0);
  } finally {
    await s.close();
  }
});

test('a subagent is nested under its tool call, with its own chat and tool spans', async () => {
  const s = await startScenario([
    { kind: 'tools', tools: [{ name: 'Agent', input: { description: 'sub work', prompt: 'run echo sub', subagent_type: 'general-purpose' } }] },
    { kind: 'tools', tools: [{ name: 'Bash', input: { command: 'echo sub' } }] },
    { kind: 'text', text: 'sub done' },
    { kind: 'text', text: 'All done.' },
  ]);
  try {
    const run = await s.wrapper(['-p', 'delegate', ...ALLOW_TOOLS]);
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(run.stdout.toString(), 'All done.\n');
    const root = await waitForSession(s.receiver);
    const spans = s.receiver.spans;
    const prompt = childrenOf(spans, root)[0];
    assert.ok(prompt);
    const agentTool = childrenOf(spans, prompt).find((x) => x.name === 'execute_tool Agent');
    assert.ok(agentTool, 'the Agent tool span is under the prompt');
    const [subagent] = childrenOf(spans, agentTool);
    assert.equal(subagent?.name, 'invoke_agent general-purpose');
    if (!subagent) return;
    assert.equal(subagent.attributes['gen_ai.operation.name'], 'invoke_agent');
    assert.equal(subagent.attributes['gen_ai.agent.name'], 'general-purpose');
    assert.ok(typeof subagent.attributes['claude.agent.id'] === 'string');
    assert.equal(intAttr(subagent, 'claude.agent.tool_uses'), 1);
    assert.ok(intAttr(subagent, 'claude.agent.total_tokens') > 0);
    const inside = childrenOf(spans, subagent);
    assert.deepEqual(spansNamed(inside, 'execute_tool').map((x) => x.name), ['execute_tool Bash']);
    // Exact usage for the subagent's calls too: from its transcript, never the first chunk's 1.
    assert.deepEqual(spansNamed(inside, 'chat').map((c) => intAttr(c, 'gen_ai.usage.output_tokens')).sort((a, b) => a - b), [12, 30]);
    // The subagent's cost is the sum of its calls', by component.
    const subChats = spansNamed(inside, 'chat');
    for (const key of ['claude.cost_usd', 'claude.cost.input_usd', 'claude.cost.output_usd', 'claude.cost.cache_read_usd', 'claude.cost.cache_write_usd']) {
      const sum = subChats.reduce((n, c) => n + Number(c.attributes[key]), 0);
      assert.ok(sum > 0 && Math.abs(Number(subagent.attributes[key]) - sum) < 1e-12, `${key} of the subagent`);
    }
    // The main agent's own calls stay under the prompt.
    assert.equal(spansNamed(childrenOf(spans, prompt), 'chat').length, 2);
    assert.equal(intAttr(root, 'claude.tool_count'), 2);
  } finally {
    await s.close();
  }
});

test('an API error: same stdout and exit code as claude, an ERROR session', async () => {
  const s = await startScenario([{ kind: 'error', status: 400 }, { kind: 'error', status: 400 }]);
  try {
    const bare = await s.claude(['-p', 'hi']);
    const run = await s.wrapper(['-p', 'hi']);
    assert.equal(bare.exitCode, 1);
    assert.equal(run.exitCode, 1);
    assert.equal(run.stdout.toString(), bare.stdout.toString());
    assert.match(run.stdout.toString(), /^API Error: 400 /);
    const root = await waitForSession(s.receiver);
    assert.equal(root.status.code, STATUS_ERROR);
    assert.equal(root.attributes['error.type'], 'api_error');
    assert.equal(root.attributes['claude.result.is_error'], true);
    assert.equal(intAttr(root, 'process.exit.code'), 1);
    const prompt = childrenOf(s.receiver.spans, root)[0];
    assert.equal(prompt?.status.code, STATUS_ERROR);
    const event = prompt?.events.find((e) => e.name === 'claude.api_error');
    assert.equal(event?.attributes['http.response.status_code'], 400);
  } finally {
    await s.close();
  }
});
