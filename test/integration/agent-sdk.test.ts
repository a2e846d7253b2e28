import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSdkMcpServer, tool } from '@anthropic-ai/claude-agent-sdk';
import type { Options, Query, SDKMessage } from '@anthropic-ai/claude-agent-sdk';
import { z } from 'zod';
import { startScenario, waitForSession, spansNamed, childrenOf, intAttr, CTL_BIN } from '../support/scenario.ts';
import { assertNested } from '../support/span-nesting.ts';
import type { Scenario } from '../support/scenario.ts';
import type { StubStep } from '../support/anthropic-stub.ts';
import type { ReceivedSpan } from '../support/otlp-receiver.ts';
import { startOtlpReceiver } from '../support/otlp-receiver.ts';
import { runCommand } from '../support/claude-run.ts';
import { PromptStream, collect, collectTurns, normalizeMessages, observedSpawn, sdkOptions, startQuery } from '../support/agent-sdk.ts';
import type { ProcessExit, Target } from '../support/agent-sdk.ts';

// A bot's view: the real Agent SDK starts claude-otel (pathToClaudeCodeExecutable) and must
// get exactly the messages bare claude gives it on the same script, while every turn is traced.

type Drive = (s: Scenario, target: Target) => Promise<SDKMessage[]>;

/** Runs a script against bare claude: only its messages are kept. */
async function bareRun(script: () => StubStep[], drive: Drive): Promise<SDKMessage[]> {
  const b = await startScenario(script());
  try {
    return await drive(b, 'bare');
  } finally {
    await b.close();
  }
}

/** Runs a script through the wrapper; its scenario is kept for its telemetry, and the caller closes it. */
async function wrappedRun(script: () => StubStep[], drive: Drive): Promise<{ wrapped: SDKMessage[]; s: Scenario }> {
  const s = await startScenario(script());
  try {
    return { wrapped: await drive(s, 'wrapped'), s };
  } catch (error) {
    await s.close();
    throw error;
  }
}

/** Runs the same script bare and wrapped; the wrapped run's scenario is kept for its telemetry. */
async function bareAndWrapped(script: () => StubStep[], drive: Drive): Promise<{ bare: SDKMessage[]; wrapped: SDKMessage[]; s: Scenario }> {
  const bare = await bareRun(script, drive);
  return { bare, ...(await wrappedRun(script, drive)) };
}

function assertSameMessages(wrapped: SDKMessage[], bare: SDKMessage[]): void {
  assert.deepEqual(normalizeMessages(wrapped), normalizeMessages(bare));
}

function resultOf(messages: SDKMessage[]): Extract<SDKMessage, { type: 'result' }>[] {
  return messages.filter((m): m is Extract<SDKMessage, { type: 'result' }> => m.type === 'result');
}

/** The one session in the local store: its summary, and which of its chunks the collector took. */
async function storedSession(s: Scenario): Promise<{ mode: string; prompts: number; chunks: number; delivered: number }> {
  const runs = await readdir(join(s.stateDir, 'sessions'));
  assert.equal(runs.length, 1);
  const dir = join(s.stateDir, 'sessions', runs[0] ?? '');
  const meta = JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')) as { mode: string; prompts: number };
  const files = await readdir(dir);
  const chunks = files.filter((f) => /^chunk-\d+\.json$/.test(f));
  return {
    mode: meta.mode,
    prompts: meta.prompts,
    chunks: chunks.length,
    delivered: chunks.filter((c) => files.includes(c.replace(/\.json$/, '.delivered'))).length,
  };
}

/** The session's turns, in order of their index. */
function turns(s: Scenario, root: ReceivedSpan): ReceivedSpan[] {
  return childrenOf(s.receiver.spans, root)
    .filter((span) => span.name === 'invoke_agent claude-code')
    .sort((a, b) => intAttr(a, 'claude.prompt.index') - intAttr(b, 'claude.prompt.index'));
}

async function waitForTurns(s: Scenario, count: number): Promise<ReceivedSpan> {
  const root = await waitForSession(s.receiver);
  await s.receiver.waitFor((r) => r.spans.filter((span) => span.name === 'invoke_agent claude-code').length >= count, 20_000);
  return root;
}

// One prompt whose Bash command fails, run with Bash allowed: the single-prompt test and the
// unreachable-collector test both run it through the wrapper.
const failingBashScript = (): StubStep[] => [
  { kind: 'tools', tools: [{ name: 'Bash', input: { command: 'echo about to fail; exit 3' } }] },
  { kind: 'text', text: 'It failed with 3.' },
];
const FAILING_BASH_PROMPT = 'run the failing thing';
const failingBashOptions = (sc: Scenario, target: Target, extra: Options = {}): Options => sdkOptions(sc, target, { allowedTools: ['Bash'], ...extra });

// Bare claude sends no telemetry of its own (nothing enables it), so one bare run is the
// baseline for both, whichever collector the wrapper is given.
let failingBashBareRun: Promise<SDKMessage[]> | undefined;
function failingBashBare(): Promise<SDKMessage[]> {
  failingBashBareRun ??= bareRun(failingBashScript, (sc, target) => collect(startQuery(FAILING_BASH_PROMPT, failingBashOptions(sc, target))));
  return failingBashBareRun;
}

test('a single prompt with a failing Bash command, iterated to its end: the same messages, one traced turn in SDK mode, the process ends by itself, the session is delivered', async () => {
  const exits: ProcessExit[] = [];
  const bare = await failingBashBare();
  const { wrapped, s } = await wrappedRun(failingBashScript, (sc, target) =>
    collect(startQuery(FAILING_BASH_PROMPT, failingBashOptions(sc, target, { spawnClaudeCodeProcess: observedSpawn((e) => exits.push(e)) }))),
  );
  try {
    assertSameMessages(wrapped, bare);
    assert.equal(wrapped.at(-1)?.type, 'result');
    assert.equal(resultOf(wrapped)[0]?.subtype, 'success');
    const root = await waitForTurns(s, 1);
    assertNested(s.receiver.spans);
    assert.equal(root.attributes['claude.mode'], 'sdk');
    assert.equal(root.attributes['claude.prompt.preview'], 'run the failing thing');
    const [turn] = turns(s, root);
    assert.ok(turn);
    assert.equal(intAttr(turn, 'claude.prompt.index'), 1);
    assert.equal(turn.attributes['claude.prompt.preview'], 'run the failing thing');
    const [bash] = spansNamed(s.receiver.spans, 'execute_tool Bash');
    assert.ok(bash);
    assert.equal(bash.parentSpanId, turn.spanId);
    assert.equal(intAttr(bash, 'claude.tool.exit_code'), 3);
    assert.equal(bash.attributes['claude.tool.error'], true);
    // Allowed by --allowedTools: nobody was asked.
    assert.equal(bash.attributes['claude.tool.permission_wait_ms'], undefined);
    assert.equal(spansNamed(s.receiver.spans, 'chat').length, 2);
    // Nothing of the wrapper's own hooks reached the SDK.
    assert.ok(!JSON.stringify(wrapped).includes('hook_started'));
    // The query was iterated to its end: the process ended by itself, and the session was delivered.
    assert.equal(intAttr(root, 'process.exit.code'), 0);
    await s.receiver.waitFor(() => exits.length > 0, 10_000);
    assert.deepEqual(exits, [{ code: 0, signal: null }]);
    const stored = await storedSession(s);
    assert.deepEqual([stored.mode, stored.prompts], ['sdk', 1]);
    assert.ok(stored.chunks > 0);
    assert.equal(stored.delivered, stored.chunks, 'every chunk delivered');
  } finally {
    await s.close();
  }
});

test('streaming input with two user messages: two turns, each with its index and preview, ending at its own result', async () => {
  const script = (): StubStep[] => [
    { kind: 'tools', tools: [{ name: 'Bash', input: { command: 'printf hi > f.txt' } }] },
    { kind: 'text', text: 'first answer' },
    { kind: 'text', text: 'second answer' },
  ];
  // How long the callback itself took, on the wrapper's clock: the round-trip cannot be shorter.
  const callbackMs: Partial<Record<Target, number>> = {};
  const drive: Drive = (sc, target) => {
    const prompts = new PromptStream();
    prompts.push('write a file');
    const q = startQuery(
      prompts,
      sdkOptions(sc, target, {
        canUseTool: async (_name, input) => {
          const called = Date.now();
          await new Promise((resolve) => setTimeout(resolve, 200));
          callbackMs[target] = Date.now() - called;
          return { behavior: 'allow', updatedInput: input };
        },
      }),
    );
    return collectTurns(q, prompts, ['and again']);
  };
  const { bare, wrapped, s } = await bareAndWrapped(script, drive);
  try {
    assertSameMessages(wrapped, bare);
    assert.deepEqual(
      resultOf(wrapped).map((r) => (r.subtype === 'success' ? r.result : r.subtype)),
      ['first answer', 'second answer'],
    );
    const root = await waitForTurns(s, 2);
    assertNested(s.receiver.spans);
    assert.equal(root.attributes['claude.mode'], 'sdk');
    assert.equal(intAttr(root, 'claude.prompt_count'), 2);
    const [first, second] = turns(s, root);
    assert.ok(first && second);
    assert.deepEqual([intAttr(first, 'claude.prompt.index'), intAttr(second, 'claude.prompt.index')], [1, 2]);
    assert.equal(first.attributes['claude.prompt.preview'], 'write a file');
    assert.equal(second.attributes['claude.prompt.preview'], 'and again');
    assert.ok(first.endTimeUnixNano <= second.startTimeUnixNano, 'the first turn ended at its own result');
    assert.equal(childrenOf(s.receiver.spans, first).filter((c) => c.name.startsWith('chat')).length, 2);
    assert.equal(childrenOf(s.receiver.spans, second).filter((c) => c.name.startsWith('chat')).length, 1);
    // The write asked the caller: the tool span carries the round-trip, which holds the callback's time.
    const [bash] = spansNamed(s.receiver.spans, 'execute_tool Bash');
    assert.ok(bash);
    assert.equal(bash.parentSpanId, first.spanId);
    assert.ok(callbackMs.wrapped !== undefined);
    assert.ok(
      intAttr(bash, 'claude.tool.permission_wait_ms') >= callbackMs.wrapped - 1,
      `${String(bash.attributes['claude.tool.permission_wait_ms'])} ms round-trip, ${callbackMs.wrapped} ms callback`,
    );
    assert.equal(bash.attributes['claude.tool.permission_denied'], false);
    // claude reports running totals: each turn's calls cost what that turn added, the session the total.
    const [afterFirst, afterSecond] = resultOf(wrapped).map((r) => r.total_cost_usd);
    const chatCost = (turn: ReceivedSpan) =>
      childrenOf(s.receiver.spans, turn)
        .filter((c) => c.name.startsWith('chat'))
        .reduce((sum, c) => sum + Number(c.attributes['claude.cost_usd']), 0);
    assert.ok(afterFirst !== undefined && afterSecond !== undefined && afterSecond > afterFirst);
    assert.ok(Math.abs(chatCost(first) - afterFirst) < 1e-9);
    assert.ok(Math.abs(chatCost(second) - (afterSecond - afterFirst)) < 1e-9);
    assert.ok(Math.abs(Number(root.attributes['claude.cost_usd']) - afterSecond) < 1e-9);
  } finally {
    await s.close();
  }
});

test('/compact streamed as a user message: the same messages as bare claude, its status lines included; the compaction on its turn', async () => {
  const script = (): StubStep[] => [
    { kind: 'text', text: 'hello there' },
    // /compact's own call: the summary.
    { kind: 'text', text: '<summary>Said hello.</summary>' },
  ];
  const drive: Drive = (sc, target) => {
    const prompts = new PromptStream();
    prompts.push('hello');
    const q = startQuery(prompts, sdkOptions(sc, target));
    return collectTurns(q, prompts, ['/compact']);
  };
  const { bare, wrapped, s } = await bareAndWrapped(script, drive);
  try {
    assertSameMessages(wrapped, bare);
    const statuses = wrapped.filter((m) => m.type === 'system' && m.subtype === 'status');
    assert.deepEqual(
      statuses.map((m) => (m.type === 'system' && m.subtype === 'status' ? m.status : undefined)),
      ['compacting', null],
      'claude says it is compacting, then that it is done',
    );
    const root = await waitForTurns(s, 2);
    assert.equal(intAttr(root, 'claude.compactions'), 1);
    const [, compactTurn] = turns(s, root);
    assert.equal(compactTurn?.attributes['claude.prompt.preview'], '/compact');
    assert.deepEqual(
      compactTurn?.events.filter((e) => e.name === 'claude.compaction').map((e) => e.attributes['claude.compaction.trigger']),
      ['manual'],
    );
  } finally {
    await s.close();
  }
});

/** The user's text that each turn sent the model: the last user message of the calls that start turns, in order. */
function turnTextsSentToModel(s: Scenario): string[] {
  const texts: string[] = [];
  for (const request of s.stub.requests) {
    if (!request.agentLoop) continue;
    const body = request.body as { messages?: { role: string; content: unknown }[] };
    const last = body.messages?.filter((m) => m.role === 'user').at(-1);
    const blocks = Array.isArray(last?.content) ? (last.content as { type: string; text?: string }[]) : [];
    // The turn's own text: not the context claude adds in front of it, nor tool results.
    const text = blocks.filter((b) => b.type === 'text' && b.text !== undefined && !b.text.startsWith('<system-reminder>')).at(-1)?.text;
    if (text !== undefined && texts.at(-1) !== text) texts.push(text);
  }
  return texts;
}

test('user messages streamed before claude answered the first: every turn has the preview of the messages it answered', async () => {
  const script = (): StubStep[] => [
    { kind: 'text', text: 'first answer' },
    { kind: 'text', text: 'second answer' },
    { kind: 'text', text: 'third answer' },
  ];
  // All at once, then the end of input: claude starts on the first and answers the ones that
  // queued up meanwhile in one turn of their own.
  const drive: Drive = (sc, target) => {
    const prompts = new PromptStream();
    for (const text of ['first message', 'second message', 'third message']) prompts.push(text);
    prompts.end();
    return collect(startQuery(prompts, sdkOptions(sc, target)));
  };
  const { bare, wrapped, s } = await bareAndWrapped(script, drive);
  try {
    assertSameMessages(wrapped, bare);
    const answered = turnTextsSentToModel(s);
    assert.equal(resultOf(wrapped).length, answered.length);
    assert.ok(answered.length >= 2, `claude answered ${JSON.stringify(answered)}`);
    const root = await waitForTurns(s, answered.length);
    assertNested(s.receiver.spans);
    const all = turns(s, root);
    assert.deepEqual(
      all.map((t) => t.attributes['claude.prompt.preview']),
      answered,
    );
    assert.deepEqual(
      all.map((t) => intAttr(t, 'claude.prompt.length')),
      answered.map((text) => text.length),
    );
    assert.equal(root.attributes['claude.prompt.preview'], 'first message');
    // A turn claude started on when the previous one ended begins there, not when its message arrived.
    for (let i = 1; i < all.length; i++)
      assert.ok((all[i - 1]?.endTimeUnixNano ?? 0n) <= (all[i]?.startTimeUnixNano ?? 0n), `turn ${i + 1} starts after turn ${i}`);
  } finally {
    await s.close();
  }
});

test('SDK callbacks work through it (hooks, an in-process MCP server, canUseTool): the same messages and hook calls; an allowed MCP tool span; a denied Bash span, with its wait', async () => {
  const script = (): StubStep[] => [
    { kind: 'tools', tools: [{ name: 'mcp__bot__lookup', input: { key: 'colour' } }] },
    { kind: 'tools', tools: [{ name: 'Bash', input: { command: 'printf blue > refused.txt' } }] },
    { kind: 'text', text: 'It is blue; not writing it down.' },
  ];
  const hookCalls: Record<Target, string[]> = { bare: [], wrapped: [] };
  const options = (sc: Scenario, target: Target): Options =>
    sdkOptions(sc, target, {
      mcpServersDelivery: 'argv',
      mcpServers: {
        bot: createSdkMcpServer({
          name: 'bot',
          tools: [tool('lookup', 'Looks a key up', { key: z.string() }, async ({ key }) => ({ content: [{ type: 'text', text: `${key} is blue` }] }))],
        }),
      },
      // The caller allows the lookup and refuses the write.
      canUseTool: async (name, input) =>
        name === 'mcp__bot__lookup' ? { behavior: 'allow', updatedInput: input } : { behavior: 'deny', message: 'writing files is not allowed here' },
      hooks: {
        PreToolUse: [
          {
            hooks: [
              async (input) => {
                if (input.hook_event_name === 'PreToolUse') hookCalls[target].push(input.tool_name);
                return {};
              },
            ],
          },
        ],
      },
    });
  const { bare, wrapped, s } = await bareAndWrapped(script, (sc, target) =>
    collect(startQuery('look up the colour and write it to refused.txt', options(sc, target))),
  );
  try {
    assertSameMessages(wrapped, bare);
    assert.deepEqual(hookCalls.wrapped, hookCalls.bare);
    assert.deepEqual(hookCalls.wrapped, ['mcp__bot__lookup', 'Bash']);
    assert.equal(existsSync(join(s.sandbox.cwd, 'refused.txt')), false);
    const root = await waitForTurns(s, 1);
    assertNested(s.receiver.spans);
    const [lookup] = spansNamed(s.receiver.spans, 'execute_tool mcp__bot__lookup');
    assert.ok(lookup);
    assert.equal(lookup.attributes['gen_ai.tool.type'], 'extension');
    assert.equal(lookup.attributes['claude.tool.error'], false);
    assert.equal(lookup.attributes['claude.tool.permission_denied'], false);
    const [bash] = spansNamed(s.receiver.spans, 'execute_tool Bash');
    assert.ok(bash);
    assert.equal(bash.attributes['claude.tool.permission_denied'], true);
    assert.equal(bash.attributes['error.type'], 'permission_denied');
    assert.equal(bash.status.code, 2);
    assert.equal(typeof bash.attributes['claude.tool.permission_wait_ms'], 'number');
    assert.equal(intAttr(turns(s, root)[0] ?? root, 'claude.permission_denials'), 1);
  } finally {
    await s.close();
  }
});

test('resume: a second query continues the first session through the wrapper, the same messages as bare claude; a third, with forkSession, gets a new session id, resumed_from the first, a link to its latest run', async () => {
  const script = (): StubStep[] => [
    { kind: 'text', text: 'First, noted.' },
    { kind: 'text', text: 'Second, resumed.' },
    { kind: 'text', text: 'Forked.' },
  ];
  let forkId: string | undefined;
  const drive: Drive = async (sc, target) => {
    const first = await collect(startQuery('remember this', sdkOptions(sc, target)));
    const init = first.find((m) => m.type === 'system' && m.subtype === 'init');
    assert.ok(init);
    // The first run is stored (then sent) before the second starts, so the second can link to it.
    if (target === 'wrapped') await waitForSession(sc.receiver);
    const second = await collect(startQuery('what did I say?', sdkOptions(sc, target, { resume: init.session_id })));
    if (target === 'wrapped') {
      // The second run too is stored before the fork starts: a fork links to the session's latest run.
      await sc.receiver.waitFor((r) => r.spans.filter((span) => span.name === 'claude.session').length === 2, 20_000);
      const forked = await collect(startQuery('and now?', sdkOptions(sc, target, { resume: init.session_id, forkSession: true })));
      forkId = forked.find((m) => m.type === 'result')?.session_id;
    }
    return [...first, ...second];
  };
  const { bare, wrapped, s } = await bareAndWrapped(script, drive);
  try {
    assertSameMessages(wrapped, bare);
    const ids = new Set(wrapped.filter((m) => m.type === 'result').map((m) => m.session_id));
    assert.equal(ids.size, 1, 'the second query resumed the first session');
    await s.receiver.waitFor((r) => r.spans.filter((span) => span.name === 'claude.session').length === 3, 20_000);
    const roots = s.receiver.spans.filter((span) => span.name === 'claude.session').sort((a, b) => Number(a.startTimeUnixNano - b.startTimeUnixNano));
    const [first, second, fork] = roots;
    assert.ok(first && second && fork);
    assert.deepEqual(
      [first, second].map((r) => r.attributes['session.id']),
      [...ids, ...ids],
    );
    assert.deepEqual(
      roots.map((r) => r.attributes['claude.mode']),
      ['sdk', 'sdk', 'sdk'],
    );
    // The SDK's resume option: the second run names the session and links to the first run's root span.
    assert.deepEqual(
      [first, second].map((r) => r.attributes['claude.session.resumed_from']),
      [undefined, ...ids],
    );
    assert.deepEqual(first.links, []);
    assert.deepEqual(second.links, [{ traceId: first.traceId, spanId: first.spanId, attributes: { 'claude.link.type': 'resumes' } }]);
    // forkSession: a new id, resumed from the first session, linked to that session's latest run.
    assert.ok(forkId);
    assert.ok(!ids.has(forkId), 'a fork gets a new id');
    assert.equal(fork.attributes['session.id'], forkId);
    assert.equal(fork.attributes['claude.session.resumed_from'], [...ids][0]);
    assert.deepEqual(fork.links, [{ traceId: second.traceId, spanId: second.spanId, attributes: { 'claude.link.type': 'resumes' } }]);
  } finally {
    await s.close();
  }
});

test("interrupt() during a slow model call: the same messages; the turn ends at the interrupt's result", async () => {
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  const script = (): StubStep[] => [{ kind: 'text', text: 'too late', until: held }];
  // The SDK ends such a query by throwing what the interrupted turn's result said: that is compared too.
  const errors: Partial<Record<Target, string>> = {};
  const exits: Partial<Record<Target, ProcessExit>> = {};
  const drive: Drive = async (sc, target) => {
    const prompts = new PromptStream();
    prompts.push('take your time');
    const q: Query = startQuery(prompts, sdkOptions(sc, target, { spawnClaudeCodeProcess: observedSpawn((e) => (exits[target] = e)) }));
    const waiting = (async () => {
      await sc.stub.waitForRequests((requests) => requests.some((r) => r.agentLoop));
      assert.ok(
        sc.stub.requests.some((r) => r.agentLoop),
        'claude is waiting for the model',
      );
      await q.interrupt();
    })();
    const messages: SDKMessage[] = [];
    try {
      for await (const message of q) {
        messages.push(message);
        if (message.type === 'result') prompts.end();
      }
    } catch (error) {
      errors[target] = error instanceof Error ? error.message : String(error);
    }
    await waiting;
    return messages;
  };
  try {
    const { bare, wrapped, s } = await bareAndWrapped(script, drive);
    try {
      assertSameMessages(wrapped, bare);
      assert.equal(errors.wrapped, errors.bare);
      const [result] = resultOf(wrapped);
      assert.ok(result);
      const root = await waitForTurns(s, 1);
      assertNested(s.receiver.spans);
      const [turn] = turns(s, root);
      assert.ok(turn);
      assert.equal(turn.attributes['claude.result.subtype'], result.subtype);
      await s.receiver.waitFor(() => exits.wrapped !== undefined, 10_000);
      // claude's own exit status after an interrupted turn, passed on as it was.
      assert.deepEqual(exits.wrapped, exits.bare);
      assert.equal(intAttr(root, 'process.exit.code'), exits.wrapped?.code ?? -1);
      assert.equal(spansNamed(s.receiver.spans, 'invoke_agent claude-code').length, 1);
    } finally {
      await s.close();
    }
  } finally {
    release();
  }
});

test('a collector that never answers: the query ends and the process exits by itself; replay later delivers the session once', async () => {
  const hole = await startOtlpReceiver({ protocol: 'grpc', behaviour: 'black-hole' });
  const exits: ProcessExit[] = [];
  let exitSeen = () => {};
  const exited = new Promise<void>((resolve) => {
    exitSeen = resolve;
  });
  const drive: Drive = (sc, target) =>
    collect(
      startQuery(
        FAILING_BASH_PROMPT,
        failingBashOptions(sc, target, {
          env: { OTEL_EXPORTER_OTLP_ENDPOINT: hole.endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_METRICS_EXPORTER: 'otlp' },
          spawnClaudeCodeProcess: observedSpawn((e) => {
            exits.push(e);
            exitSeen();
          }),
        }),
      ),
    );
  try {
    const bare = await failingBashBare();
    const { wrapped, s } = await wrappedRun(failingBashScript, drive);
    try {
      assertSameMessages(wrapped, bare);
      // Well inside the SDK's grace: no SIGTERM was needed (the SDK sends one 2 s after the query).
      await exited;
      assert.deepEqual(exits, [{ code: 0, signal: null }]);
      // Complete in the store, and not delivered.
      const stored = await storedSession(s);
      assert.equal(stored.mode, 'sdk');
      assert.ok(stored.chunks > 0);
      assert.equal(stored.delivered, 0);
      assert.equal(s.receiver.spans.length, 0);

      const replay = () => runCommand(CTL_BIN, ['replay'], { sandbox: s.sandbox, env: s.env({ OTEL_METRICS_EXPORTER: 'otlp' }) });
      const first = await replay();
      assert.equal(first.exitCode, 0, first.stderr);
      const root = await waitForTurns(s, 1);
      assertNested(s.receiver.spans);
      assert.equal(root.attributes['claude.mode'], 'sdk');
      const second = await replay();
      assert.equal(second.exitCode, 0, second.stderr);
      assert.equal(s.receiver.spans.filter((span) => span.name === 'claude.session').length, 1, 'delivered once');
      assert.equal(spansNamed(s.receiver.spans, 'execute_tool Bash').length, 1);
    } finally {
      await s.close();
    }
  } finally {
    await hole.close();
  }
});
