import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  startScenario,
  waitForSession,
  childrenOf,
  spansNamed,
  intAttr,
  ALLOW_TOOLS,
  CLAUDE_CLI_VERSION,
  CLI_DEFAULTS,
  cliAtLeast,
} from '../support/scenario.ts';
import { assertNested, backgroundAgentOutlives } from '../support/span-nesting.ts';
import type { Scenario } from '../support/scenario.ts';
import type { RunResult } from '../support/claude-run.ts';
import type { ReceivedSpan } from '../support/otlp-receiver.ts';
import {
  ATTR_CLAUDE_AGENT_ID,
  ATTR_CLAUDE_AGENT_TOOL_USES,
  ATTR_CLAUDE_AGENT_TOTAL_TOKENS,
  ATTR_CLAUDE_COST_CACHE_READ_USD,
  ATTR_CLAUDE_COST_CACHE_WRITE_USD,
  ATTR_CLAUDE_COST_INPUT_USD,
  ATTR_CLAUDE_COST_OUTPUT_USD,
  ATTR_CLAUDE_COST_USD,
  ATTR_CLAUDE_MODE,
  ATTR_CLAUDE_NUM_TURNS,
  ATTR_CLAUDE_PROMPT_PREVIEW,
  ATTR_CLAUDE_RESULT_IS_ERROR,
  ATTR_CLAUDE_RESULT_SUBTYPE,
  ATTR_CLAUDE_TOOL_COUNT,
  ATTR_CLAUDE_TOOL_DURATION_MS,
  ATTR_CLAUDE_TOOL_ERROR,
  ATTR_CLAUDE_TOOL_ERROR_MESSAGE,
  ATTR_CLAUDE_TOOL_EXIT_CODE,
  ATTR_CLAUDE_TOOL_INPUT_SUMMARY,
  ATTR_CLAUDE_TOOL_OUTPUT_BYTES,
  ATTR_CLAUDE_TOOL_OUTPUT_TRUNCATED,
  ATTR_CLAUDE_TOOL_STDERR_BYTES,
  ATTR_CLAUDE_TOOL_STDOUT_BYTES,
  ATTR_CLAUDE_TTFT_MS,
  ATTR_CLAUDE_VERSION,
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_CONVERSATION_ID,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_TOOL_CALL_ID,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_TOOL_TYPE,
  ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_PROCESS_EXIT_CODE,
  ATTR_SERVICE_NAME,
  ATTR_SESSION_ID,
  EVENT_API_ERROR,
} from '../../src/telemetry/names.ts';
import { once } from '../support/once.ts';

// The trace of a print-mode session, as a real OTLP receiver decoded it.

const SPAN_KIND_INTERNAL = 1;
const SPAN_KIND_CLIENT = 3;
const STATUS_ERROR = 2;

/** Everything the local store holds for the scenario's sessions, as text. */
async function storedText(s: Scenario): Promise<string> {
  const root = join(s.stateDir, 'sessions');
  const files = await readdir(root, { recursive: true, withFileTypes: true });
  const texts = await Promise.all(files.filter((f) => f.isFile()).map((f) => readFile(join(f.parentPath, f.name), 'utf8')));
  return texts.join('\n');
}

test('several tools in one run: session → prompt → chat and tool spans, exact tokens', async () => {
  const s = await startScenario([
    {
      kind: 'tools',
      text: 'Let me look.',
      tools: [
        { name: 'Bash', input: { command: 'echo hello; echo warn >&2' } },
        { name: 'Write', input: { file_path: 'a.txt', content: 'line1\nline2\n' } },
      ],
    },
    { kind: 'tools', tools: [{ name: 'Read', input: { file_path: 'a.txt' } }] },
    { kind: 'text', text: 'All done.' },
  ]);
  try {
    const run = await s.wrapper(['-p', 'list the files please', ...ALLOW_TOOLS]);
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(run.stdout.toString(), 'All done.\n');
    assert.equal(run.stderr, '');
    const root = await waitForSession(s.receiver);
    assertNested(s.receiver.spans);
    const spans = s.receiver.spans;
    assert.ok(
      spans.every((x) => x.traceId === root.traceId),
      'one trace',
    );
    assert.equal(root.parentSpanId, '');
    assert.equal(root.kind, SPAN_KIND_INTERNAL);
    assert.equal(root.attributes[ATTR_CLAUDE_MODE], 'print');
    assert.equal(root.attributes[ATTR_CLAUDE_VERSION], CLAUDE_CLI_VERSION);
    assert.equal(root.attributes[ATTR_CLAUDE_PROMPT_PREVIEW], 'list the files please');
    assert.equal(root.attributes[ATTR_SESSION_ID], root.attributes[ATTR_GEN_AI_CONVERSATION_ID]);
    assert.match(String(root.attributes[ATTR_SESSION_ID]), /^[0-9a-f-]{36}$/);
    assert.equal(intAttr(root, ATTR_CLAUDE_TOOL_COUNT), 3);
    assert.equal(intAttr(root, ATTR_CLAUDE_NUM_TURNS), 4);
    assert.equal(intAttr(root, ATTR_PROCESS_EXIT_CODE), 0);
    assert.equal(root.attributes[ATTR_CLAUDE_RESULT_SUBTYPE], 'success');
    assert.equal(root.attributes[ATTR_CLAUDE_RESULT_IS_ERROR], false);
    assert.equal(root.status.code, 0);
    assert.equal(root.resource[ATTR_SERVICE_NAME], 'claude-otel');

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
      assert.equal(chat.name, `chat ${CLI_DEFAULTS.model}`);
      assert.equal(chat.kind, SPAN_KIND_CLIENT);
      assert.equal(chat.attributes[ATTR_GEN_AI_OPERATION_NAME], 'chat');
      assert.equal(chat.attributes[ATTR_GEN_AI_PROVIDER_NAME], 'anthropic');
      assert.match(String(chat.attributes[ATTR_GEN_AI_RESPONSE_ID]), /^msg_/);
      // input + cache read + cache creation, per the GenAI conventions for Anthropic.
      assert.equal(intAttr(chat, ATTR_GEN_AI_USAGE_INPUT_TOKENS), 120 + 50 + 7);
      assert.equal(intAttr(chat, ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS), 50);
      assert.equal(intAttr(chat, ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS), 7);
      assert.ok(typeof chat.attributes[ATTR_CLAUDE_TTFT_MS] === 'number');
      assert.ok(typeof chat.attributes[ATTR_CLAUDE_COST_USD] === 'number');
    }
    // The stub's final output per call: 20+10×2 tools, 20+10×1 tool, 12 for text; never the first chunk's 1.
    assert.deepEqual(
      chats.map((c) => intAttr(c, ATTR_GEN_AI_USAGE_OUTPUT_TOKENS)).sort((a, b) => a - b),
      [12, 30, 40],
    );
    const outputSum = chats.reduce((sum, c) => sum + intAttr(c, ATTR_GEN_AI_USAGE_OUTPUT_TOKENS), 0);
    assert.equal(intAttr(root, ATTR_GEN_AI_USAGE_OUTPUT_TOKENS), outputSum);
    assert.equal(intAttr(root, ATTR_GEN_AI_USAGE_INPUT_TOKENS), 3 * 177);
    const costSum = chats.reduce((sum, c) => sum + Number(c.attributes[ATTR_CLAUDE_COST_USD]), 0);
    assert.ok(Math.abs(costSum - Number(root.attributes[ATTR_CLAUDE_COST_USD])) < 1e-9, 'chat costs add up to the session cost');
    assert.deepEqual(chats.flatMap((c) => c.attributes[ATTR_GEN_AI_RESPONSE_FINISH_REASONS]).sort(), ['end_turn', 'tool_use', 'tool_use']);

    const bash = tools.find((t) => t.name === 'execute_tool Bash');
    assert.ok(bash);
    assert.equal(bash.attributes[ATTR_GEN_AI_TOOL_NAME], 'Bash');
    assert.equal(bash.attributes[ATTR_GEN_AI_TOOL_TYPE], 'function');
    assert.match(String(bash.attributes[ATTR_GEN_AI_TOOL_CALL_ID]), /^toolu_/);
    assert.equal(bash.attributes[ATTR_CLAUDE_TOOL_INPUT_SUMMARY], 'echo hello; echo warn >&2');
    assert.equal(intAttr(bash, ATTR_CLAUDE_TOOL_EXIT_CODE), 0);
    // The CLI merges stderr into stdout: "hello\nwarn".
    assert.equal(intAttr(bash, ATTR_CLAUDE_TOOL_STDOUT_BYTES), 10);
    assert.equal(intAttr(bash, ATTR_CLAUDE_TOOL_STDERR_BYTES), 0);
    assert.equal(bash.attributes[ATTR_CLAUDE_TOOL_ERROR], false);
    assert.equal(bash.attributes[ATTR_CLAUDE_TOOL_OUTPUT_TRUNCATED], false);
    assert.ok(intAttr(bash, ATTR_CLAUDE_TOOL_DURATION_MS) >= 0);
    assert.ok(bash.endTimeUnixNano >= bash.startTimeUnixNano);
    const read = tools.find((t) => t.name === 'execute_tool Read');
    assert.match(String(read?.attributes[ATTR_CLAUDE_TOOL_INPUT_SUMMARY]), /a\.txt$/);
    // Every span lies within the session span.
    for (const span of spans) {
      assert.ok(span.startTimeUnixNano >= root.startTimeUnixNano && span.endTimeUnixNano <= root.endTimeUnixNano, `${span.name} within the session`);
    }
    // Claude Code's own telemetry is not turned on: nothing of it, and no span claims to join it.
    await s.receiver.waitFor((r) => r.logs.some((l) => l.eventName === 'claude.session.end'));
    assert.equal(spans.filter((x) => x.scope.name.startsWith('com.anthropic')).length, 0);
    assert.equal(spans.filter((x) => x.attributes['claude.native'] !== undefined).length, 0);
    assert.equal(s.receiver.logs.filter((l) => l.eventName.startsWith('claude_code.')).length, 0);
  } finally {
    await s.close();
  }
});

const FAILING = 'echo out; echo oops >&2; exit 7';
const LONG = 'seq 1 200000';

/** One session with a failing Bash command, then one whose output the CLI truncates: each test below reads its own span. */
const failingThenLongBash = once(async (): Promise<{ run: RunResult; spans: ReceivedSpan[] }> => {
  const s = await startScenario([
    { kind: 'tools', tools: [{ name: 'Bash', input: { command: FAILING } }] },
    { kind: 'tools', tools: [{ name: 'Bash', input: { command: LONG } }] },
    { kind: 'text', text: 'Done.' },
  ]);
  try {
    const run = await s.wrapper(['-p', 'fail, then count', ...ALLOW_TOOLS]);
    await waitForSession(s.receiver);
    return { run, spans: [...s.receiver.spans] };
  } finally {
    await s.close();
  }
});

function bashSpan(spans: ReceivedSpan[], command: string): ReceivedSpan {
  const span = spansNamed(spans, 'execute_tool Bash').find((x) => x.attributes[ATTR_CLAUDE_TOOL_INPUT_SUMMARY] === command);
  assert.ok(span, `a Bash span for ${command}`);
  return span;
}

test('a failing Bash command: exit code 7 and an ERROR span', async () => {
  const { run, spans } = await failingThenLongBash();
  assert.equal(run.exitCode, 0);
  assertNested(spans);
  const bash = bashSpan(spans, FAILING);
  assert.equal(intAttr(bash, ATTR_CLAUDE_TOOL_EXIT_CODE), 7);
  assert.equal(bash.status.code, STATUS_ERROR);
  assert.equal(bash.attributes[ATTR_CLAUDE_TOOL_ERROR], true);
  assert.equal(bash.attributes[ATTR_ERROR_TYPE], 'exit_code');
  assert.match(String(bash.attributes[ATTR_CLAUDE_TOOL_ERROR_MESSAGE]), /^Exit code 7/);
  assert.equal(intAttr(bash, ATTR_CLAUDE_TOOL_OUTPUT_BYTES), Buffer.byteLength('out\noops'));
});

test('an output the CLI truncates: the full size and the truncation flag', async () => {
  const { run, spans } = await failingThenLongBash();
  assert.equal(run.exitCode, 0);
  assertNested(spans);
  const bash = bashSpan(spans, LONG);
  assert.equal(intAttr(bash, ATTR_CLAUDE_TOOL_STDOUT_BYTES), 1288895);
  assert.equal(bash.attributes[ATTR_CLAUDE_TOOL_OUTPUT_TRUNCATED], true);
  assert.equal(intAttr(bash, ATTR_CLAUDE_TOOL_EXIT_CODE), 0);
});

test('a subagent is nested under its tool call, with its own chat and tool spans', async () => {
  // The subagent's calls have their own script: on 2.1.332 it runs beside the main agent.
  const s = await startScenario(
    [
      { kind: 'tools', tools: [{ name: 'Agent', input: { description: 'sub work', prompt: 'run echo sub', subagent_type: 'general-purpose' } }] },
      { kind: 'text', text: 'All done.' },
    ],
    {
      agents: {
        'run echo sub': [
          { kind: 'tools', tools: [{ name: 'Bash', input: { command: 'echo sub' } }] },
          { kind: 'text', text: 'sub done' },
        ],
      },
    },
  );
  try {
    const run = await s.wrapper(['-p', 'delegate', ...ALLOW_TOOLS]);
    assert.equal(run.exitCode, 0, run.stderr);
    // 2.1.332: the agent's completion may start one more turn, whose answer follows a blank line.
    if (cliAtLeast('2.1.332')) assert.match(run.stdout.toString(), /^All done\.\n(\ndone\n)?$/);
    else assert.equal(run.stdout.toString(), 'All done.\n');
    const root = await waitForSession(s.receiver);
    // From 2.1.332 the agent runs in the background: its span outlasts the Agent call.
    assertNested(s.receiver.spans, { mayOutlive: backgroundAgentOutlives });
    const spans = s.receiver.spans;
    const prompt = childrenOf(spans, root)[0];
    assert.ok(prompt);
    const agentTool = childrenOf(spans, prompt).find((x) => x.name === 'execute_tool Agent');
    assert.ok(agentTool, 'the Agent tool span is under the prompt');
    const [subagent] = childrenOf(spans, agentTool);
    assert.equal(subagent?.name, 'invoke_agent general-purpose');
    if (!subagent) return;
    assert.equal(subagent.attributes[ATTR_GEN_AI_OPERATION_NAME], 'invoke_agent');
    assert.equal(subagent.attributes[ATTR_GEN_AI_AGENT_NAME], 'general-purpose');
    assert.ok(typeof subagent.attributes[ATTR_CLAUDE_AGENT_ID] === 'string');
    assert.equal(intAttr(subagent, ATTR_CLAUDE_AGENT_TOOL_USES), 1);
    assert.ok(intAttr(subagent, ATTR_CLAUDE_AGENT_TOTAL_TOKENS) > 0);
    const inside = childrenOf(spans, subagent);
    assert.deepEqual(
      spansNamed(inside, 'execute_tool').map((x) => x.name),
      ['execute_tool Bash'],
    );
    // Exact usage for the subagent's calls too: from its transcript, never the first chunk's 1.
    assert.deepEqual(
      spansNamed(inside, 'chat')
        .map((c) => intAttr(c, ATTR_GEN_AI_USAGE_OUTPUT_TOKENS))
        .sort((a, b) => a - b),
      [12, 30],
    );
    // stream-json gives no stop reason for a subagent's call: its transcript does.
    assert.deepEqual(
      spansNamed(inside, 'chat')
        .flatMap((c) => c.attributes[ATTR_GEN_AI_RESPONSE_FINISH_REASONS])
        .sort(),
      ['end_turn', 'tool_use'],
    );
    // The subagent's cost is the sum of its calls', by component.
    const subChats = spansNamed(inside, 'chat');
    for (const key of [
      ATTR_CLAUDE_COST_USD,
      ATTR_CLAUDE_COST_INPUT_USD,
      ATTR_CLAUDE_COST_OUTPUT_USD,
      ATTR_CLAUDE_COST_CACHE_READ_USD,
      ATTR_CLAUDE_COST_CACHE_WRITE_USD,
    ]) {
      const sum = subChats.reduce((n, c) => n + Number(c.attributes[key]), 0);
      assert.ok(sum > 0 && Math.abs(Number(subagent.attributes[key]) - sum) < 1e-12, `${key} of the subagent`);
    }
    // The main agent's own calls stay under the prompts (one more for a turn the agent's completion started).
    const mainChats = childrenOf(spans, root).flatMap((p) => spansNamed(childrenOf(spans, p), 'chat')).length;
    if (cliAtLeast('2.1.332')) assert.ok(mainChats === 2 || mainChats === 3, `${mainChats} main calls`);
    else assert.equal(mainChats, 2);
    assert.equal(intAttr(root, ATTR_CLAUDE_TOOL_COUNT), 2);
  } finally {
    await s.close();
  }
});

test('an API error: same stdout and exit code as claude, an ERROR session', async () => {
  const s = await startScenario(Array.from({ length: 2 * CLI_DEFAULTS.requestsPer400 }, () => ({ kind: 'error' as const, status: 400 })));
  try {
    const bare = await s.claude(['-p', 'hi']);
    const run = await s.wrapper(['-p', 'hi'], { env: { OTEL_METRICS_EXPORTER: 'otlp' } });
    assert.equal(bare.exitCode, 1);
    assert.equal(run.exitCode, 1);
    assert.equal(run.stdout.toString(), bare.stdout.toString());
    assert.match(run.stdout.toString(), /^API Error: 400 /);
    const root = await waitForSession(s.receiver);
    assertNested(s.receiver.spans);
    // claude shows the error as a message of model `<synthetic>` that no API call answered: no model call.
    assert.deepEqual(spansNamed(s.receiver.spans, 'chat'), []);
    await s.receiver.waitFor((r) => r.metrics.some((m) => m.name === 'claude.session.count'));
    const points = s.receiver.metrics.flatMap((m) => m.dataPoints.map((p) => ({ metric: m.name, attributes: p.attributes })));
    assert.deepEqual(
      points.filter((p) => Object.values(p.attributes).includes('<synthetic>')),
      [],
    );
    assert.ok(!(await storedText(s)).includes('<synthetic>'), 'the local store has no <synthetic> model');
    assert.equal(root.status.code, STATUS_ERROR);
    assert.equal(root.attributes[ATTR_ERROR_TYPE], 'api_error');
    assert.equal(root.attributes[ATTR_CLAUDE_RESULT_IS_ERROR], true);
    assert.equal(intAttr(root, ATTR_PROCESS_EXIT_CODE), 1);
    const prompt = childrenOf(s.receiver.spans, root)[0];
    assert.equal(prompt?.status.code, STATUS_ERROR);
    const event = prompt?.events.find((e) => e.name === EVENT_API_ERROR);
    assert.equal(event?.attributes[ATTR_HTTP_RESPONSE_STATUS_CODE], 400);
  } finally {
    await s.close();
  }
});
