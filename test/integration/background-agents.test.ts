import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { startScenario, waitForSession, childrenOf, spansNamed, intAttr, ALLOW_TOOLS, WRAPPER_BIN, cliAtLeast } from '../support/scenario.ts';
import { assertNested, backgroundAgentOutlives } from '../support/span-nesting.ts';
import type { ReceivedSpan } from '../support/otlp-receiver.ts';

// Background agents (Claude Code 2.1.332): the Agent call returns at once and the agent works
// beside the main agent; its span lasts until the CLI reports it done.

const skip = cliAtLeast('2.1.332') ? false : 'agents run in the background from Claude Code 2.1.332 on';
const ALLOW = [...ALLOW_TOOLS, 'SendMessage'];
const AGENT_CALL = { name: 'Agent', input: { description: 'sub work', prompt: 'run echo sub', subagent_type: 'general-purpose' } };

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Span times in ms since the epoch. */
const startMs = (span: ReceivedSpan) => Number(span.startTimeUnixNano / 1_000_000n);
const endMs = (span: ReceivedSpan) => Number(span.endTimeUnixNano / 1_000_000n);

test('a background agent whose work outlasts the main agent’s next call: its span runs to its completion, its calls under it', { skip }, async () => {
  const mainNext = deferred();
  const s = await startScenario(
    [
      { kind: 'tools', tools: [AGENT_CALL] },
      // The main agent's next call; the agent's first call is answered only after it.
      { kind: 'tools', tools: [{ name: 'Bash', input: { command: 'echo main' } }], onAnswer: mainNext.resolve },
      { kind: 'text', text: 'All done.' },
    ],
    {
      agents: {
        'run echo sub': [
          { kind: 'tools', tools: [{ name: 'Bash', input: { command: 'echo sub' } }], until: mainNext.promise },
          { kind: 'text', text: 'sub done' },
        ],
      },
    },
  );
  try {
    const run = await s.wrapper(['-p', 'delegate', ...ALLOW]);
    assert.equal(run.exitCode, 0, run.stderr);
    const root = await waitForSession(s.receiver);
    assertNested(s.receiver.spans, { mayOutlive: backgroundAgentOutlives });
    const spans = s.receiver.spans.filter((x) => x.traceId === root.traceId);
    const prompts = childrenOf(spans, root);
    const [prompt] = prompts;
    assert.ok(prompt);
    const agentTool = childrenOf(spans, prompt).find((x) => x.name === 'execute_tool Agent');
    assert.ok(agentTool, 'the Agent call is under the prompt');
    const [agent] = childrenOf(spans, agentTool);
    assert.equal(agent?.name, 'invoke_agent general-purpose');
    if (!agent) return;
    assert.equal(agent.attributes['claude.agent.background'], true);
    assert.equal(agent.attributes['claude.agent.status'], 'completed');
    assert.equal(agent.attributes['claude.agent.unfinished'], undefined);
    // The figures the CLI reported at completion (task_notification).
    assert.equal(intAttr(agent, 'claude.agent.tool_uses'), 1);
    assert.ok(intAttr(agent, 'claude.agent.total_tokens') > 0);
    assert.ok(intAttr(agent, 'claude.agent.duration_ms') >= 0);

    // Its own calls are under it; the main agent's go on beside it, under the prompt.
    const inside = childrenOf(spans, agent);
    assert.deepEqual(
      spansNamed(inside, 'execute_tool').map((x) => x.attributes['claude.tool.input_summary']),
      ['echo sub'],
    );
    assert.equal(spansNamed(inside, 'chat').length, 2);
    const mainBash = prompts.flatMap((p) => childrenOf(spans, p)).find((x) => x.name === 'execute_tool Bash');
    assert.ok(mainBash, 'the main agent’s Bash call is under a prompt');
    assert.equal(mainBash.attributes['claude.tool.input_summary'], 'echo main');

    // The Agent call returned at once; the agent's span lasts past it and past the main
    // agent's next call, to the agent's own last call.
    const subBash = spansNamed(inside, 'execute_tool')[0];
    assert.ok(subBash);
    assert.ok(endMs(agent) > endMs(agentTool), 'the agent outlives its tool call');
    // The agent's first answer was held until the main agent's second call had been answered; the
    // two Bash calls then start in the same moment, in either order.
    const mainCalls = prompts.flatMap((p) => spansNamed(childrenOf(spans, p), 'chat')).sort((a, b) => startMs(a) - startMs(b));
    // Its calls come one after another: the Agent call, the Bash call, the last answer, and
    // another once the CLI tells it the agent completed, when that comes after its last answer.
    const mainNextCall = mainCalls[1];
    assert.ok(mainCalls.length >= 3 && mainNextCall, `the main agent's model calls: ${mainCalls.length}`);
    assert.ok(startMs(mainNextCall) <= startMs(mainBash), 'its second call asked for the Bash call');
    assert.ok(startMs(subBash) >= startMs(mainNextCall), 'its work came after the main agent’s next call');
    assert.ok(endMs(agent) >= endMs(subBash), 'its span covers its own calls');
    for (const chat of spansNamed(inside, 'chat')) assert.ok(endMs(chat) <= endMs(agent));
    // A turn claude starts on the agent's notification is a prompt of its own, after the first
    // (2.1.337 writes the first one's result only once that turn is done), with its own call.
    const turns = prompts.filter((x) => x.name === 'invoke_agent claude-code').sort((a, b) => startMs(a) - startMs(b));
    for (let i = 1; i < turns.length; i++) assert.ok(endMs(turns[i - 1] as ReceivedSpan) <= startMs(turns[i] as ReceivedSpan), 'the turns follow each other');
    for (const turn of turns) assert.ok(spansNamed(childrenOf(spans, turn), 'chat').length > 0, `turn ${turn.attributes['claude.prompt.index']} made a call`);
    // Permission decisions come with each tool result.
    assert.equal(mainBash.attributes['claude.tool.permission.decision'], 'accept');
    assert.equal(typeof mainBash.attributes['claude.tool.permission.source'], 'string');
    assert.ok(typeof root.attributes['claude.context.window'] === 'number' && intAttr(root, 'claude.context.window') > 0);
    assert.equal(intAttr(root, 'gen_ai.usage.reasoning.output_tokens'), 0);
  } finally {
    await s.close();
  }
});

test('an agent continued with SendMessage: a second span, linked to its first run', { skip }, async () => {
  const firstRunDone = deferred();
  const agentIdIn = (body: unknown) => /agentId: (\w+)/.exec(JSON.stringify(body))?.[1] ?? 'unknown';
  const s = await startScenario(
    [
      { kind: 'tools', tools: [AGENT_CALL] },
      { kind: 'text', text: 'Waiting for it.' },
      // Once the first run has finished: continue it with more work. This call comes with the
      // CLI's notice that the agent completed, once the agent's last answer was sent.
      {
        kind: 'tools',
        tools: [{ name: 'SendMessage', input: (body) => ({ to: agentIdIn(body), summary: 'more work', message: 'now echo more' }) }],
        until: firstRunDone.promise,
      },
      { kind: 'text', text: 'All done.' },
    ],
    {
      agents: {
        'run echo sub': [
          { kind: 'text', text: 'sub done', onAnswer: firstRunDone.resolve },
          { kind: 'tools', tools: [{ name: 'Bash', input: { command: 'echo more' } }] },
          { kind: 'text', text: 'more done' },
        ],
      },
    },
  );
  try {
    const run = await s.wrapper(['-p', 'delegate', ...ALLOW]);
    assert.equal(run.exitCode, 0, run.stderr);
    const root = await waitForSession(s.receiver);
    assertNested(s.receiver.spans, { mayOutlive: backgroundAgentOutlives });
    const spans = s.receiver.spans.filter((x) => x.traceId === root.traceId);
    const runs = spansNamed(spans, 'invoke_agent').filter((x) => x.name === 'invoke_agent general-purpose');
    assert.equal(runs.length, 2, runs.map((r) => r.name).join());
    runs.sort((a, b) => startMs(a) - startMs(b));
    const [first, second] = runs;
    assert.ok(first && second);
    assert.equal(second.attributes['claude.agent.id'], first.attributes['claude.agent.id']);
    const sendMessage = spans.find((x) => x.spanId === second.parentSpanId);
    assert.equal(sendMessage?.name, 'execute_tool SendMessage');
    assert.deepEqual(
      second.links.map((l) => l.spanId),
      [first.spanId],
    );
    assert.equal(first.links.length, 0);
    // The second run's calls are its own, not the first run's.
    assert.deepEqual(
      spansNamed(childrenOf(spans, second), 'execute_tool').map((x) => x.attributes['claude.tool.input_summary']),
      ['echo more'],
    );
    assert.deepEqual(spansNamed(childrenOf(spans, first), 'execute_tool'), []);
    assert.equal(intAttr(second, 'claude.agent.tool_uses'), 1);
  } finally {
    await s.close();
  }
});

test('an agent still working when claude ends: its span ends with the session, marked unfinished', { skip }, async () => {
  const never = deferred();
  const mainDone = deferred();
  const s = await startScenario(
    [
      { kind: 'tools', tools: [AGENT_CALL] },
      { kind: 'text', text: 'All done.', onAnswer: mainDone.resolve },
    ],
    { agents: { 'run echo sub': [{ kind: 'tools', tools: [{ name: 'Bash', input: { command: 'echo sub' } }], until: never.promise }] } },
  );
  try {
    const child = spawn(WRAPPER_BIN, ['-p', 'delegate', ...ALLOW], {
      cwd: s.sandbox.cwd,
      env: { ...s.sandbox.env, ...s.env() } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await mainDone.promise;
    // claude -p waits for a background agent before it prints its answer: it is stopped as a user
    // would, once its last model call has been answered.
    child.kill('SIGTERM');
    await exited;
    const root = await waitForSession(s.receiver);
    assertNested(s.receiver.spans, { mayOutlive: backgroundAgentOutlives });
    const agent = s.receiver.spans.find((x) => x.name === 'invoke_agent general-purpose');
    assert.ok(agent);
    assert.equal(agent.attributes['claude.agent.unfinished'], true);
    assert.equal(agent.attributes['claude.agent.background'], true);
    assert.ok(endMs(agent) <= endMs(root));
  } finally {
    never.resolve();
    await s.close();
  }
});
