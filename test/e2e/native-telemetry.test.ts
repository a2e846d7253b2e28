import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startScenario, waitForSession, childrenOf, spansNamed, intAttr, ALLOW_TOOLS } from '../support/scenario.ts';
import { INSTALLED_BIN, runInstalled } from '../support/installed-package.ts';
import { DEFAULT_PERMISSION_MODE_ARGS, TmuxTerminal, promptReady } from '../support/tmux-terminal.ts';
import type { Scenario } from '../support/scenario.ts';
import type { RunResult } from '../support/claude-run.ts';
import type { ReceivedSpan } from '../support/otlp-receiver.ts';
import type { StubStep } from '../support/anthropic-stub.ts';
import { assertNested } from '../support/span-nesting.ts';
import { PromptStream, collectTurns, sdkOptions, startQuery } from '../support/agent-sdk.ts';
import {
  ATTR_CLAUDE_PROMPT_ID,
  ATTR_CLAUDE_REQUEST_ID,
  ATTR_CLAUDE_TOOL_EXIT_CODE,
  ATTR_CLAUDE_TOOL_INPUT_SIZE_BYTES,
  ATTR_CLAUDE_TOOL_PERMISSION_DECISION,
  ATTR_CLAUDE_TOOL_PERMISSION_WAIT_MS,
  ATTR_CLAUDE_TTFT_MS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  EVENT_SESSION_END,
  EVENT_TOOL_ERROR,
  EVENT_USER_PROMPT,
  METRIC_CLAUDE_COST_USAGE,
  METRIC_CLAUDE_TOKEN_USAGE,
} from '../../src/telemetry/names.ts';
import { once } from '../support/once.ts';

// End to end, on both CLIs (each sends its own telemetry differently), through the installed package.
// Claude Code's own telemetry (metrics, events and the enhanced beta's spans) turned on by the
// user, sent where their OTLP settings say: the wrapper takes it in and the collector gets one
// tree, each call once, no doubled records or metrics.

const STATUS_ERROR = 2;

/** One Bash call, then an answer: two model calls. */
function oneBashCall(command: string): StubStep[] {
  return [
    { kind: 'tools', tools: [{ name: 'Bash', input: { command } }] },
    { kind: 'text', text: 'done' },
  ];
}

/** A Bash command that exits 3, then an answer, as the samples were taken. */
const SCRIPT = oneBashCall('echo native; exit 3');

/** Where the probe below writes the status codes the wrapper's receiver answered. */
const PROBE_ANSWERS = 'receiver-answers.txt';

/**
 * From inside the session, two requests to the wrapper's receiver of Claude's telemetry: one with a
 * wrong token, one with the run's token but a body that is not OTLP. Claude keeps its OTEL_* variables
 * from its tools, so the command reads them from claude's own environment (the first ancestor that has them).
 */
function receiverProbe(): string {
  const find = `p=$PPID; while [ "$p" -gt 1 ] && ! grep -qa 'OTEL_EXPORTER_OTLP_HEADERS=x-claude' /proc/$p/environ; do p=$(cut -d' ' -f4 /proc/$p/stat); done`;
  const read = (name: string) => `$(tr '\\0' '\\n' < /proc/$p/environ | sed -n 's/^${name}=//p')`;
  const post = (header: string) =>
    `curl -s -o /dev/null -w '%{http_code} ' -X POST "$E/v1/traces" -H "${header}" -H 'content-type: application/x-protobuf' --data-binary junk`;
  // The token header as curl takes it: `name: value` from claude's `name=value`.
  const tokenHeader = '$' + '{H/=/: }';
  const posts = `{ ${post('x-claude-otel-token: wrong')}; ${post(tokenHeader)}; } > ${PROBE_ANSWERS}`;
  return `${find}; E=${read('OTEL_EXPORTER_OTLP_ENDPOINT')}; H=${read('OTEL_EXPORTER_OTLP_HEADERS')}; ${posts}`;
}

/** SCRIPT's session, its command probing the receiver first: the probe's answers go to a file, not to the model. */
const PRINT_SCRIPT = oneBashCall(`${receiverProbe()}; echo native; exit 3`);

/** What the user sets to turn Claude Code's own telemetry on, everything over OTLP. */
const CLAUDE_TELEMETRY_ON = {
  CLAUDE_CODE_ENABLE_TELEMETRY: '1',
  CLAUDE_CODE_ENHANCED_TELEMETRY_BETA: '1',
  OTEL_METRICS_EXPORTER: 'otlp',
  OTEL_LOGS_EXPORTER: 'otlp',
  OTEL_TRACES_EXPORTER: 'otlp',
};

/** Token totals of the session, as the stand-in API counted them: what a sum over the trace must give. */
function scriptedTotals(s: Scenario, script: StubStep[]): { input: number; output: number } {
  // Agent-loop calls: input 120 + cache read 50 + cache creation 7; output 20 + 10 per tool, 12 for text. Side calls: 30 in, 5 out.
  let input = 0;
  let output = 0;
  let step = 0;
  for (const request of s.stub.requests) {
    if (!request.path.startsWith('/v1/messages') || request.path.includes('count_tokens')) continue;
    if (request.agentLoop) {
      const scripted = script[step];
      step += 1;
      input += 120 + 50 + 7;
      output += scripted?.kind === 'tools' ? 20 + 10 * scripted.tools.length : 12;
    } else {
      input += 30;
      output += 5;
    }
  }
  return { input, output };
}

function sum(spans: ReceivedSpan[], key: string): number {
  return spans.reduce((total, span) => total + (typeof span.attributes[key] === 'number' ? (span.attributes[key] as number) : 0), 0);
}

/** A PreToolUse hook in the project's settings, so that Claude has a hook span to send. */
async function withHook(s: Scenario): Promise<void> {
  const dir = join(s.sandbox.cwd, '.claude');
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'settings.json'),
    `${JSON.stringify({ hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'true' }] }] } })}\n`,
  );
}

const opened: Scenario[] = [];
after(() => Promise.all(opened.map((s) => s.close())));

/**
 * The print-mode session with Claude Code telemetry on and a hook in the project, made once: the
 * tree test reads its telemetry, the refusal test what its probe was answered. The refused requests
 * leave nothing in the telemetry (only the debug log says so).
 */
const printModeRun = once(async (): Promise<{ s: Scenario; run: RunResult }> => {
  const s = await startScenario(PRINT_SCRIPT, { protocol: 'http/protobuf' });
  opened.push(s);
  await withHook(s);
  const run = await runInstalled(s, INSTALLED_BIN.wrapper, ['-p', 'run it', ...ALLOW_TOOLS], { env: CLAUDE_TELEMETRY_ON });
  return { s, run };
});

test('print mode, Claude Code telemetry on: one tree, each call once, Claude’s facts on our spans', async () => {
  const { s, run } = await printModeRun();
  assert.equal(run.exitCode, 0, run.stderr);
  assert.equal(run.stdout.toString(), 'done\n');
  const root = await waitForSession(s.receiver);
  await s.receiver.waitFor((r) => r.logs.some((l) => l.eventName === EVENT_SESSION_END));
  const spans = s.receiver.spans;
  assertNested(spans);
  assert.ok(
    spans.every((x) => x.traceId === root.traceId),
    'one trace',
  );
  assert.deepEqual(
    spans.filter((x) => x.parentSpanId === '').map((x) => x.name),
    ['claude.session'],
    'one root',
  );

  // One prompt span, Claude's interaction joined into it.
  const prompts = spans.filter((x) => x.name === 'invoke_agent claude-code' || x.name === 'claude_code.interaction');
  assert.deepEqual(
    prompts.map((p) => p.name),
    ['invoke_agent claude-code'],
  );
  const [prompt] = prompts;
  assert.ok(prompt);

  // One span per model call: ours, with Claude's request id and first-token time.
  const calls = spans.filter((x) => x.name.startsWith('chat ') || x.name === 'claude_code.llm_request');
  assert.equal(calls.length, s.stub.requests.filter((r) => r.path.startsWith('/v1/messages') && !r.path.includes('count_tokens')).length);
  const mainCalls = spansNamed(childrenOf(spans, prompt), 'chat');
  assert.equal(mainCalls.length, 2);
  for (const call of mainCalls) {
    assert.match(String(call.attributes[ATTR_CLAUDE_REQUEST_ID]), /^req_/);
    assert.equal(typeof call.attributes[ATTR_CLAUDE_TTFT_MS], 'number');
    assert.equal(call.attributes.input_tokens, undefined, 'Claude’s token counts are not repeated');
  }
  assert.notEqual(mainCalls[0]?.attributes[ATTR_CLAUDE_REQUEST_ID], mainCalls[1]?.attributes[ATTR_CLAUDE_REQUEST_ID]);

  // GenAI token sums over the trace are the session's true totals.
  const totals = scriptedTotals(s, PRINT_SCRIPT);
  assert.equal(sum(calls, ATTR_GEN_AI_USAGE_INPUT_TOKENS), totals.input);
  assert.equal(sum(calls, ATTR_GEN_AI_USAGE_OUTPUT_TOKENS), totals.output);

  // One span per tool call: ours, failed, with the permission wait; Claude's execution and hook under it.
  const tools = spans.filter((x) => x.name.startsWith('execute_tool') || x.name === 'claude_code.tool');
  assert.deepEqual(
    tools.map((t) => t.name),
    ['execute_tool Bash'],
  );
  const [tool] = tools;
  assert.ok(tool);
  assert.equal(intAttr(tool, ATTR_CLAUDE_TOOL_EXIT_CODE), 3);
  assert.equal(tool.status.code, STATUS_ERROR);
  assert.equal(typeof tool.attributes[ATTR_CLAUDE_TOOL_PERMISSION_WAIT_MS], 'number');
  assert.equal(typeof tool.attributes[ATTR_CLAUDE_TOOL_PERMISSION_DECISION], 'string');
  assert.equal(spans.filter((x) => x.name === 'claude_code.tool.blocked_on_user').length, 0, 'the wait is on the tool span');
  const execution = spans.filter((x) => x.name === 'claude_code.tool.execution');
  assert.equal(execution.length, 1);
  assert.equal(execution[0]?.parentSpanId, tool.spanId);
  assert.equal(execution[0]?.status.code, STATUS_ERROR);
  // Claude sends hook spans only with its internal detailed tracing; any that come hang under the tool.
  const hooks = spans.filter((x) => x.name.startsWith('claude_code.hook'));
  for (const hook of hooks) assert.ok([tool.spanId, prompt.spanId].includes(hook.parentSpanId), `${hook.name} under its tool`);
  // Nothing of Claude's stands apart: every span of its scope hangs in our tree.
  for (const span of spans.filter((x) => x.scope.name.startsWith('com.anthropic'))) assert.notEqual(span.parentSpanId, '');

  // Log records: one prompt record, one tool result, Claude's extras on ours; its own events kept once.
  const logs = s.receiver.logs;
  const promptRecords = logs.filter((l) => l.eventName === EVENT_USER_PROMPT || l.eventName.endsWith('user_prompt'));
  assert.equal(promptRecords.length, 1);
  assert.match(String(promptRecords[0]?.attributes[ATTR_CLAUDE_PROMPT_ID]), /^[0-9a-f-]{36}$/);
  const toolRecords = logs.filter((l) => l.eventName === EVENT_TOOL_ERROR || l.eventName.endsWith('tool_result') || l.eventName === 'claude.tool.end');
  assert.equal(toolRecords.length, 1);
  assert.equal(typeof toolRecords[0]?.attributes[ATTR_CLAUDE_TOOL_INPUT_SIZE_BYTES], 'number');
  assert.equal(logs.filter((l) => l.eventName.endsWith('assistant_response')).length, 1);
  // The hook in the project's settings, as Claude's events, tied to the session's trace.
  const hookEvents = logs.filter((l) => l.eventName === 'claude_code.hook_execution_complete');
  assert.equal(hookEvents.length, 1);
  assert.ok(spans.some((x) => x.spanId === hookEvents[0]?.spanId));
  const apiRequests = logs.filter((l) => l.eventName === 'claude_code.api_request');
  assert.equal(apiRequests.length, 2);
  for (const record of [...apiRequests, ...logs.filter((l) => l.eventName === 'claude_code.tool_decision')]) {
    assert.equal(record.traceId, root.traceId);
    assert.ok(
      spans.some((x) => x.spanId === record.spanId),
      `${record.eventName} tied to a span of the trace`,
    );
  }

  // Metrics: ours count tokens and cost; Claude's own counts of them are not added.
  const names = s.receiver.metrics.map((m) => m.name);
  assert.ok(names.includes(METRIC_CLAUDE_TOKEN_USAGE) || names.length === 0);
  assert.ok(names.includes(METRIC_CLAUDE_COST_USAGE) || names.length === 0);
  assert.ok(!names.includes('claude_code.token.usage') && !names.includes('claude_code.cost.usage'));
  // Nothing of Claude's reached the collector on its own: everything came with the wrapper's resource.
  for (const item of [...spans, ...logs, ...s.receiver.metrics]) assert.equal(item.resource['service.name'], 'claude-otel');
});

test('print mode, the same session with Claude Code telemetry off: today’s trace, nothing of Claude’s', async () => {
  const s = await startScenario(SCRIPT, { protocol: 'http/protobuf' });
  try {
    const run = await runInstalled(s, INSTALLED_BIN.wrapper, ['-p', 'run it', ...ALLOW_TOOLS], { env: { ...CLAUDE_TELEMETRY_ON, CLAUDE_OTEL_NATIVE: 'off' } });
    assert.equal(run.exitCode, 0, run.stderr);
    const root = await waitForSession(s.receiver);
    await s.receiver.waitFor((r) => r.logs.some((l) => l.eventName === EVENT_SESSION_END));
    // Off: claude's environment is the user's, so Claude sends its own telemetry straight to the collector, beside ours.
    const ours = s.receiver.spans.filter((x) => x.traceId === root.traceId && !x.scope.name.startsWith('com.anthropic'));
    assert.deepEqual(ours.map((x) => x.name.replace(/^chat .*/, 'chat')).sort(), [
      'chat',
      'chat',
      'claude.session',
      'execute_tool Bash',
      'invoke_agent claude-code',
    ]);
    assert.equal(ours.filter((x) => x.attributes['claude.native'] !== undefined || x.attributes[ATTR_CLAUDE_REQUEST_ID] !== undefined).length, 0);
  } finally {
    await s.close();
  }
});

test('a request to the receiver that is not this run’s OTLP is refused, and the session is joined as ever', async () => {
  const { s, run } = await printModeRun();
  assert.equal(run.exitCode, 0, run.stderr);
  assert.equal(run.stdout.toString(), 'done\n');
  assert.equal(await readFile(join(s.sandbox.cwd, PROBE_ANSWERS), 'utf8'), '401 400 ');
  await waitForSession(s.receiver);
  const spans = s.receiver.spans;
  assert.equal(spans.filter((x) => x.name.startsWith('chat ')).length, 2);
  assert.ok(spans.filter((x) => x.name.startsWith('chat ')).every((x) => typeof x.attributes[ATTR_CLAUDE_REQUEST_ID] === 'string'));
  assert.equal(spans.filter((x) => x.name === 'claude_code.tool.execution').length, 1);
});

test('SDK mode, two prompts, a tool the caller allows: each prompt, call and tool once, Claude’s permission wait on the tool', async () => {
  const script: StubStep[] = [
    { kind: 'tools', tools: [{ name: 'Bash', input: { command: 'printf hi > f.txt' } }] },
    { kind: 'text', text: 'first answer' },
    { kind: 'text', text: 'second answer' },
  ];
  const s = await startScenario(script, { protocol: 'http/protobuf' });
  try {
    const prompts = new PromptStream();
    prompts.push('write a file');
    const q = startQuery(
      prompts,
      sdkOptions(s, 'wrapped', {
        pathToClaudeCodeExecutable: INSTALLED_BIN.wrapper,
        env: CLAUDE_TELEMETRY_ON,
        canUseTool: async (_name, input) => {
          await new Promise((resolve) => setTimeout(resolve, 100));
          return { behavior: 'allow', updatedInput: input };
        },
      }),
    );
    const messages = await collectTurns(q, prompts, ['and again']);
    assert.equal(messages.filter((m) => m.type === 'result').length, 2);
    const root = await waitForSession(s.receiver);
    await s.receiver.waitFor((r) => r.logs.some((l) => l.eventName === EVENT_SESSION_END));
    const spans = s.receiver.spans;
    assertNested(spans);
    assert.ok(
      spans.every((x) => x.traceId === root.traceId),
      'one trace',
    );
    assert.deepEqual(
      spans.filter((x) => x.parentSpanId === '').map((x) => x.name),
      ['claude.session'],
    );
    const turns = childrenOf(spans, root).filter((x) => x.name === 'invoke_agent claude-code');
    assert.equal(turns.length, 2);
    assert.equal(spans.filter((x) => x.name === 'claude_code.interaction').length, 0);
    const calls = spans.filter((x) => x.name.startsWith('chat ') || x.name === 'claude_code.llm_request');
    assert.equal(calls.length, 3);
    for (const call of calls) {
      assert.ok(
        turns.some((t) => t.spanId === call.parentSpanId),
        'under its prompt',
      );
      assert.match(String(call.attributes[ATTR_CLAUDE_REQUEST_ID]), /^req_/);
    }
    const totals = scriptedTotals(s, script);
    assert.equal(sum(calls, ATTR_GEN_AI_USAGE_INPUT_TOKENS), totals.input);
    assert.equal(sum(calls, ATTR_GEN_AI_USAGE_OUTPUT_TOKENS), totals.output);
    const tools = spans.filter((x) => x.name.startsWith('execute_tool') || x.name === 'claude_code.tool');
    assert.deepEqual(
      tools.map((t) => t.name),
      ['execute_tool Bash'],
    );
    const [tool] = tools;
    assert.ok(tool);
    assert.ok(intAttr(tool, ATTR_CLAUDE_TOOL_PERMISSION_WAIT_MS) >= 100, 'the wait for the caller');
    assert.equal(spans.filter((x) => x.name === 'claude_code.tool.execution' && x.parentSpanId === tool.spanId).length, 1);
    const logs = s.receiver.logs;
    assert.equal(logs.filter((l) => l.eventName.endsWith('user_prompt')).length, 2);
    assert.equal(logs.filter((l) => l.eventName.endsWith('assistant_response')).length, 2);
    assert.equal(logs.filter((l) => l.eventName === 'claude_code.api_request').length, 3);
    for (const item of [...spans, ...logs, ...s.receiver.metrics]) assert.equal(item.resource['service.name'], 'claude-otel');
  } finally {
    await s.close();
  }
});

test('interactive mode: Claude’s per-prompt traces join the session’s tree, each call once', async () => {
  const script: StubStep[] = [
    { kind: 'tools', tools: [{ name: 'Bash', input: { command: 'echo hi' } }] },
    { kind: 'text', text: 'First answer done.' },
    { kind: 'text', text: 'Second answer here.' },
  ];
  const s = await startScenario(script, { protocol: 'http/protobuf' });
  const tmp = join(s.sandbox.home, 'tmp');
  await mkdir(tmp, { recursive: true });
  const terminal = TmuxTerminal.start(INSTALLED_BIN.wrapper, [...DEFAULT_PERMISSION_MODE_ARGS, '--allowedTools', 'Bash'], {
    cwd: s.sandbox.cwd,
    env: { ...s.sandbox.env, ...s.env(), TMPDIR: tmp, ...CLAUDE_TELEMETRY_ON },
    dir: s.sandbox.home,
  });
  try {
    await terminal.waitForScreen(promptReady, 15_000, 'the prompt');
    await terminal.type('run echo hi');
    await terminal.waitForScreen((x) => x.includes('First answer done.'), 20_000, 'the first answer');
    await terminal.type('second question');
    await terminal.waitForScreen((x) => x.includes('Second answer here.'), 20_000, 'the second answer');
    await terminal.type('/exit');
    assert.equal(await terminal.waitForExit(), 0);

    const root = await waitForSession(s.receiver);
    await s.receiver.waitFor((r) => r.logs.some((l) => l.eventName === EVENT_SESSION_END));
    const spans = s.receiver.spans;
    assertNested(spans);
    assert.ok(
      spans.every((x) => x.traceId === root.traceId),
      'one trace: Claude’s per-prompt traces are re-parented',
    );
    assert.deepEqual(
      spans.filter((x) => x.parentSpanId === '').map((x) => x.name),
      ['claude.session'],
    );
    const turns = childrenOf(spans, root).filter((x) => x.name === 'invoke_agent claude-code');
    assert.equal(turns.length, 2);
    // Claude's interactions are our prompts; one left is a command typed between them (/exit), under the session.
    for (const interaction of spans.filter((x) => x.name === 'claude_code.interaction')) assert.equal(interaction.parentSpanId, root.spanId);
    const calls = spans.filter((x) => x.name.startsWith('chat ') || x.name === 'claude_code.llm_request');
    const stubCalls = s.stub.requests.filter((r) => r.path.startsWith('/v1/messages') && !r.path.includes('count_tokens'));
    assert.equal(calls.length, stubCalls.length, 'one span per model call');
    const mainCalls = calls.filter((x) => x.name.startsWith('chat '));
    assert.equal(mainCalls.length, 3);
    for (const call of mainCalls) assert.match(String(call.attributes[ATTR_CLAUDE_REQUEST_ID]), /^req_/);
    const totals = scriptedTotals(s, script);
    assert.equal(sum(calls, ATTR_GEN_AI_USAGE_INPUT_TOKENS), totals.input);
    assert.equal(sum(calls, ATTR_GEN_AI_USAGE_OUTPUT_TOKENS), totals.output);
    const tools = spans.filter((x) => x.name.startsWith('execute_tool') || x.name === 'claude_code.tool');
    assert.deepEqual(
      tools.map((t) => t.name),
      ['execute_tool Bash'],
    );
    assert.equal(spans.filter((x) => x.name === 'claude_code.tool.execution' && x.parentSpanId === tools[0]?.spanId).length, 1);
    const logs = s.receiver.logs;
    assert.equal(logs.filter((l) => l.eventName.endsWith('user_prompt')).length, 2);
    for (const item of [...spans, ...logs, ...s.receiver.metrics]) assert.equal(item.resource['service.name'], 'claude-otel');
  } finally {
    terminal.close();
    await s.close();
  }
});
