import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  startScenario,
  waitForSession,
  childrenOf,
  spansNamed,
  intAttr,
  WRAPPER_BIN,
  CLAUDE_CLI_VERSION,
  CLI_DEFAULTS,
  cliAtLeast,
} from '../support/scenario.ts';
import { assertNested } from '../support/span-nesting.ts';
import type { Scenario } from '../support/scenario.ts';
import type { ReceivedSpan } from '../support/otlp-receiver.ts';
import { DEFAULT_PERMISSION_MODE_ARGS, TmuxTerminal, promptReady } from '../support/tmux-terminal.ts';
import { once } from '../support/once.ts';

// Interactive mode on the real CLI's terminal UI, driven in tmux: the screen is claude's
// own, and the trace comes from the hooks and the transcript.

/** The wrapper's hook spools in a temporary directory (claude keeps its own things there too). */
function spoolDirs(tmp: string): string[] {
  return readdirSync(tmp).filter((name) => name.startsWith('claude-otel-hooks-'));
}

interface Interactive {
  terminal: TmuxTerminal;
  /** The wrapper's temporary directory: the hook spool lives (and must die) here. */
  tmp: string;
}

function startInteractive(s: Scenario, args: string[], env: Record<string, string | undefined> = {}): Interactive {
  const tmp = join(s.sandbox.home, 'tmp');
  mkdirSync(tmp, { recursive: true });
  // 2.1.332 starts in auto mode, whose classifier asks the model about commands that write;
  // the scripted API has no answer for it, so these runs use the default mode (rules decide).

  const terminal = TmuxTerminal.start(WRAPPER_BIN, [...DEFAULT_PERMISSION_MODE_ARGS, ...args], {
    cwd: s.sandbox.cwd,
    env: { ...s.sandbox.env, ...s.env(), TMPDIR: tmp, ...env },
    dir: s.sandbox.home,
  });
  return { terminal, tmp };
}

test('two prompts in the terminal UI: the screen is claude’s, the trace has both turns, the user’s hooks still fire', async () => {
  const s = await startScenario([
    { kind: 'tools', text: 'Running it.', tools: [{ name: 'Bash', input: { command: 'echo hi' } }] },
    { kind: 'text', text: 'First answer done.' },
    { kind: 'text', text: 'Second answer here.' },
  ]);
  // The user's own hook, in their own settings: it must keep firing next to the wrapper's.
  const userHookLog = join(s.sandbox.home, 'user-hook.log');
  const userSettings = join(s.sandbox.home, '.claude', 'settings.json');
  const userSettingsText = `${JSON.stringify({ hooks: { UserPromptSubmit: [{ hooks: [{ type: 'command', command: `echo prompt >> '${userHookLog}'` }] }] } }, null, 2)}\n`;
  writeFileSync(userSettings, userSettingsText);
  const { terminal, tmp } = startInteractive(s, ['--allowedTools', 'Bash']);
  try {
    await terminal.waitForScreen(promptReady, 15_000, 'the prompt');
    await terminal.type('run echo hi');
    await terminal.waitForScreen((x) => x.includes('First answer done.'), 20_000, 'the first answer');
    // A finished prompt is exported while the session goes on.
    await s.receiver.waitFor((r) => r.spans.some((x) => x.name === 'invoke_agent claude-code'), 15_000);
    assert.ok(!s.receiver.spans.some((x) => x.name === 'claude.session'), 'the session is still open');
    await terminal.type('second question');
    const screen = await terminal.waitForScreen((x) => x.includes('Second answer here.'), 20_000, 'the second answer');
    // 2.1.332 folds the call into a summary line.
    assert.match(screen, cliAtLeast('2.1.332') ? /Ran 1 shell command/ : /Bash\(echo hi\)/);
    assert.doesNotMatch(screen, /claude-otel/);
    await terminal.type('/exit');
    assert.equal(await terminal.waitForExit(), 0);

    const root = await waitForSession(s.receiver);
    assertNested(s.receiver.spans);
    const spans = s.receiver.spans.filter((x) => x.traceId === root.traceId);
    assert.equal(root.parentSpanId, '');
    assert.equal(root.attributes['claude.mode'], 'interactive');
    assert.equal(root.attributes['claude.version'], CLAUDE_CLI_VERSION);
    assert.match(String(root.attributes['session.id']), /^[0-9a-f-]{36}$/);
    assert.equal(intAttr(root, 'claude.prompt_count'), 2);
    assert.equal(intAttr(root, 'claude.tool_count'), 1);
    assert.equal(intAttr(root, 'process.exit.code'), 0);
    assert.equal(root.attributes['claude.prompt.preview'], 'run echo hi');

    const prompts = childrenOf(spans, root).filter((x) => x.name === 'invoke_agent claude-code');
    prompts.sort((a, b) => intAttr(a, 'claude.prompt.index') - intAttr(b, 'claude.prompt.index'));
    assert.equal(prompts.length, 2);
    const [first, second] = prompts;
    assert.ok(first && second);
    assert.equal(first.attributes['claude.prompt.preview'], 'run echo hi');
    assert.equal(second.attributes['claude.prompt.preview'], 'second question');
    assert.ok(first.endTimeUnixNano <= second.startTimeUnixNano, 'the turns follow each other');

    const firstChats = spansNamed(childrenOf(spans, first), 'chat');
    assert.deepEqual(
      firstChats.map((c) => intAttr(c, 'gen_ai.usage.output_tokens')).sort((a, b) => a - b),
      [12, 30],
    );
    for (const chat of firstChats) {
      assert.equal(chat.name, `chat ${CLI_DEFAULTS.model}`);
      assert.equal(intAttr(chat, 'gen_ai.usage.input_tokens'), 120 + 50 + 7);
      assert.equal(intAttr(chat, 'gen_ai.usage.cache_read.input_tokens'), 50);
      assert.match(String(chat.attributes['gen_ai.response.id']), /^msg_/);
      assert.ok(typeof chat.attributes['claude.cost_usd'] === 'number');
    }
    const [bash, ...otherTools] = spansNamed(childrenOf(spans, first), 'execute_tool');
    assert.equal(otherTools.length, 0);
    assert.equal(bash?.name, 'execute_tool Bash');
    assert.ok(bash);
    assert.equal(bash.attributes['claude.tool.input_summary'], 'echo hi');
    assert.equal(intAttr(bash, 'claude.tool.exit_code'), 0);
    assert.equal(intAttr(bash, 'claude.tool.stdout_bytes'), 2);
    assert.equal(intAttr(bash, 'claude.tool.output_bytes'), 2);
    assert.equal(bash.attributes['claude.tool.output_truncated'], false);
    assert.ok(intAttr(bash, 'claude.tool.duration_ms') > 0, 'the hook’s duration');

    const secondChats = spansNamed(childrenOf(spans, second), 'chat');
    assert.deepEqual(
      secondChats.map((c) => intAttr(c, 'gen_ai.usage.output_tokens')),
      [12],
    );
    assert.equal(intAttr(root, 'gen_ai.usage.output_tokens'), 30 + 12 + 12);

    await s.receiver.waitFor((r) => r.logs.some((l) => l.eventName === 'claude.session.end'), 15_000);
    const userPrompts = s.receiver.logs.filter((l) => l.eventName === 'claude.user_prompt');
    assert.equal(userPrompts.length, 2);
    assert.deepEqual(userPrompts.map((l) => l.spanId).sort(), prompts.map((p) => p.spanId).sort());
    assert.equal(userPrompts[0]?.attributes['session.id'], root.attributes['session.id']);

    assert.equal(readFileSync(userHookLog, 'utf8'), 'prompt\nprompt\n', 'the user’s hook fired for both prompts');
    assert.equal(readFileSync(userSettings, 'utf8'), userSettingsText, 'the user’s settings are untouched');
    assert.deepEqual(spoolDirs(tmp), [], 'the spool is gone');
  } finally {
    terminal.close();
    await s.close();
  }
});

test('not a session (--version, mcp list): exactly what claude prints, no hooks, no telemetry', async () => {
  const s = await startScenario([]);
  try {
    const tmp = join(s.sandbox.home, 'tmp');
    mkdirSync(tmp, { recursive: true });
    for (const args of [['--version'], ['mcp', 'list']]) {
      const bare = await s.claude(args);
      const wrapped = await s.wrapper(args, { env: { TMPDIR: tmp } });
      assert.equal(wrapped.stdout.toString(), bare.stdout.toString(), args.join(' '));
      assert.equal(wrapped.stderr, bare.stderr, args.join(' '));
      assert.equal(wrapped.exitCode, bare.exitCode, args.join(' '));
    }
    assert.deepEqual(spoolDirs(tmp), [], 'no hook spool');
    assert.ok(!existsSync(join(s.stateDir, 'sessions')), 'nothing in the local store');
    assert.equal(s.receiver.requests.length, 0, 'nothing exported');
  } finally {
    await s.close();
  }
});

test('/clear starts a new session: two traces, each with its own session id; a --settings of the user’s own is kept', async () => {
  const s = await startScenario([
    { kind: 'text', text: 'One.' },
    { kind: 'text', text: 'Two.' },
  ]);
  const hookLog = join(s.sandbox.home, 'flag-hook.log');
  const settings = JSON.stringify({ hooks: { UserPromptSubmit: [{ hooks: [{ type: 'command', command: `echo flag >> '${hookLog}'` }] }] } });
  const { terminal } = startInteractive(s, ['--settings', settings]);
  try {
    await terminal.waitForScreen(promptReady, 15_000, 'the prompt');
    await terminal.type('first');
    await terminal.waitForScreen((x) => x.includes('One.'), 20_000, 'the first answer');
    await terminal.type('/clear');
    // The first session's trace goes out when /clear ends it.
    await waitForSession(s.receiver);
    await terminal.waitForScreen(promptReady, 5_000, 'the prompt after /clear');
    await terminal.type('second');
    await terminal.waitForScreen((x) => x.includes('Two.'), 20_000, 'the second answer');
    await terminal.type('/exit');
    assert.equal(await terminal.waitForExit(), 0);

    await s.receiver.waitFor((r) => r.spans.filter((x) => x.name === 'claude.session').length === 2, 15_000);
    const roots = s.receiver.spans.filter((x) => x.name === 'claude.session');
    const [one, two] = roots.sort((a, b) => Number(a.startTimeUnixNano - b.startTimeUnixNano));
    assert.ok(one && two);
    assert.notEqual(one.traceId, two.traceId);
    assert.notEqual(one.attributes['session.id'], two.attributes['session.id']);
    assert.ok(one.endTimeUnixNano <= two.startTimeUnixNano, 'the first session ends before the second starts');
    for (const [root, text] of [
      [one, 'first'],
      [two, 'second'],
    ] as const) {
      assert.equal(root.attributes['claude.mode'], 'interactive');
      assert.equal(root.attributes['gen_ai.request.model'], CLI_DEFAULTS.initModel);
      const prompts = childrenOf(s.receiver.spans, root);
      assert.deepEqual(
        prompts.map((p) => p.attributes['claude.prompt.preview']),
        [text],
      );
      const [prompt] = prompts;
      assert.ok(prompt);
      assert.equal(intAttr(prompt, 'claude.prompt.index'), 1);
      assert.equal(spansNamed(childrenOf(s.receiver.spans, prompt), 'chat').length, 1);
    }
    assert.equal(readFileSync(hookLog, 'utf8'), 'flag\nflag\n', 'the hook from the user’s --settings fired');
    // The local store: one run per session.
    const sessionsDir = join(s.stateDir, 'sessions');
    const metas = readdirSync(sessionsDir).map(
      (run) => JSON.parse(readFileSync(join(sessionsDir, run, 'meta.json'), 'utf8')) as { sessionId: string; mode: string; prompts: number },
    );
    assert.deepEqual(
      metas.map((m) => [m.sessionId, m.mode, m.prompts]).sort(),
      [one, two].map((root) => [root.attributes['session.id'], 'interactive', 1]).sort(),
    );
  } finally {
    terminal.close();
    await s.close();
  }
});

const opened: Scenario[] = [];
after(() => Promise.all(opened.map((s) => s.close())));

interface EndedByCtrlC {
  s: Scenario;
  exitCode: number;
  /** The screen once claude had exited. */
  screen: string;
  root: ReceivedSpan;
  /** The spans received by then (the --resume test clears the receiver). */
  spans: ReceivedSpan[];
}

/**
 * Claude's own way out: Ctrl-C, and again while it shows "again to exit" (about 0.8 s). On a busy
 * machine the second press can miss that window, and two presses sent at once can reach the UI
 * in one read, which it takes for no press at all; so the presses go one at a time, each after
 * the screen shows what the last did, and a pair that did not end the UI is pressed again.
 */
async function exitByDoubleCtrlC(terminal: TmuxTerminal): Promise<number> {
  for (let attempt = 1; attempt < 4; attempt++) {
    terminal.keys('C-c');
    const prompted = await terminal
      .waitForScreen((x) => /again to exit/i.test(x), 3_000, "claude's own Ctrl-C prompt")
      .then(
        () => true,
        () => false,
      );
    if (prompted) terminal.keys('C-c');
    const exitCode = await terminal.waitForExit(3_000).catch(() => undefined);
    if (exitCode !== undefined) return exitCode;
  }
  // The last pair: its failure shows the screen.
  terminal.keys('C-c');
  await terminal.waitForScreen((x) => /again to exit/i.test(x), 3_000, "claude's own Ctrl-C prompt");
  terminal.keys('C-c');
  return terminal.waitForExit();
}

/** One prompt, then Ctrl-C twice; made once: the Ctrl-C test reads it, the --resume test resumes it. */
const sessionEndedByCtrlC = once(async (): Promise<EndedByCtrlC> => {
  const s = await startScenario([
    { kind: 'text', text: 'One.' },
    // The resumed run's turn.
    { kind: 'text', text: 'Two.' },
  ]);
  opened.push(s);
  const { terminal } = startInteractive(s, []);
  try {
    await terminal.waitForScreen(promptReady, 15_000, 'the prompt');
    await terminal.type('first');
    await terminal.waitForScreen((x) => x.includes('One.'), 20_000, 'the answer');
    // The turn is over once its span has gone out (its Stop hook fired).
    await s.receiver.waitFor((r) => r.spans.some((x) => x.name === 'invoke_agent claude-code'), 15_000);
    const exitCode = await exitByDoubleCtrlC(terminal);
    const screen = terminal.screen();
    const root = await waitForSession(s.receiver);
    return { s, exitCode, screen, root, spans: [...s.receiver.spans] };
  } finally {
    terminal.close();
  }
});

test('Ctrl-C is claude’s: pressed twice, it exits the UI as in bare claude, and the session is recorded', async () => {
  const { exitCode, screen, root, spans } = await sessionEndedByCtrlC();
  assert.equal(exitCode, 0);
  assert.match(screen, /Resume this session with/, 'claude ended by itself, as after its own double Ctrl-C');
  assertNested(spans);
  assert.equal(intAttr(root, 'process.exit.code'), 0);
  assert.equal(root.attributes['claude.interrupted'], false);
  assert.equal(intAttr(root, 'claude.prompt_count'), 1);
});

test('--resume: the resumed session id, resumed_from and a link to the first run, and only the new turn’s model calls', async () => {
  // The first run: the session the Ctrl-C test reads (claude's last screen says how to resume it).
  const { s, exitCode, root: first } = await sessionEndedByCtrlC();
  assert.equal(exitCode, 0);
  const sessionId = String(first.attributes['session.id']);
  s.receiver.clear();

  const { terminal } = startInteractive(s, ['--resume', sessionId]);
  try {
    await terminal.waitForScreen((x) => promptReady(x) && x.includes('One.'), 15_000, 'the resumed conversation');
    await terminal.type('second');
    await terminal.waitForScreen((x) => x.includes('Two.'), 20_000, 'the second answer');
    await terminal.type('/exit');
    assert.equal(await terminal.waitForExit(), 0);

    const root = await waitForSession(s.receiver);
    assertNested(s.receiver.spans);
    assert.equal(root.attributes['session.id'], sessionId);
    assert.notEqual(root.traceId, first.traceId);
    assert.equal(first.attributes['claude.session.resumed_from'], undefined);
    assert.equal(root.attributes['claude.session.resumed_from'], sessionId);
    assert.deepEqual(root.links, [{ traceId: first.traceId, spanId: first.spanId, attributes: { 'claude.link.type': 'resumes' } }]);
    const [prompt, ...more] = childrenOf(s.receiver.spans, root);
    assert.equal(more.length, 0);
    assert.ok(prompt);
    assert.equal(prompt.attributes['claude.prompt.preview'], 'second');
    const chats = spansNamed(s.receiver.spans, 'chat');
    assert.equal(chats.length, 1, 'the first run’s call is not counted again');
    assert.equal(intAttr(root, 'gen_ai.usage.output_tokens'), 12);
  } finally {
    terminal.close();
  }
});

test('a subagent in the terminal UI: under its Agent call, its calls and tools inside it, every span within its parent', async () => {
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
  const { terminal } = startInteractive(s, ['--allowedTools', 'Bash', 'Agent', 'Task']);
  try {
    await terminal.waitForScreen(promptReady, 15_000, 'the prompt');
    await terminal.type('delegate');
    await terminal.waitForScreen((x) => x.includes('All done.'), 30_000, 'the answer');
    // The agent's span goes out once it has ended (from 2.1.332 it may outlast the answer).
    await s.receiver.waitFor((r) => r.spans.some((x) => x.name === 'invoke_agent general-purpose'), 30_000);
    await terminal.type('/exit');
    assert.equal(await terminal.waitForExit(), 0);

    const root = await waitForSession(s.receiver);
    const spans = s.receiver.spans.filter((x) => x.traceId === root.traceId);
    const [agent] = spansNamed(spans, 'invoke_agent general-purpose');
    assert.ok(agent);
    const parent = spans.find((x) => x.spanId === agent.parentSpanId);
    assert.match(parent?.name ?? '', /^execute_tool (Agent|Task)$/);
    // From 2.1.332 an agent can run in the background: its span then outlasts the Agent call.
    assertNested(spans, { mayOutlive: (child, p) => cliAtLeast('2.1.332') && child === agent && p === parent });
    const inside = childrenOf(spans, agent);
    assert.deepEqual(
      spansNamed(inside, 'execute_tool').map((x) => x.name),
      ['execute_tool Bash'],
    );
    assert.equal(spansNamed(inside, 'chat').length, 2);
    // A background agent's tool call outlives its turn's Stop (2.1.337): still one span, ended by its own hook.
    const callIds = spansNamed(spans, 'execute_tool').map((x) => x.attributes['gen_ai.tool.call.id']);
    assert.equal(new Set(callIds).size, callIds.length, `one span per tool call: ${callIds.join(' ')}`);
    assert.equal(spansNamed(inside, 'execute_tool')[0]?.attributes['claude.tool.interrupted'], false);
    // Its hooks open no turn: every turn has the prompt that started it.
    for (const turn of spansNamed(spans, 'invoke_agent claude-code'))
      assert.ok(turn.attributes['claude.prompt.preview'] !== undefined, 'a turn without a prompt');
  } finally {
    terminal.close();
    await s.close();
  }
});

test('a session ended by a signal is still recorded, the running tool as interrupted', async () => {
  // Not `sleep 30`: 2.1.332 refuses a long standalone sleep.
  const s = await startScenario([{ kind: 'tools', tools: [{ name: 'Bash', input: { command: 'tail -f /dev/null' } }] }]);
  const { terminal, tmp } = startInteractive(s, ['--allowedTools', 'Bash']);
  try {
    await terminal.waitForScreen(promptReady, 15_000, 'the prompt');
    await terminal.type('run sleep');
    await terminal.waitForScreen((x) => x.includes('Bash(tail -f /dev/null)') || x.includes('$ tail -f /dev/null'), 20_000, 'the tool call');
    const pid = terminal.pid();
    assert.ok(pid);
    process.kill(pid, 'SIGTERM');
    const exitCode = await terminal.waitForExit();
    assert.ok(exitCode !== 0);

    const root = await waitForSession(s.receiver);
    assertNested(s.receiver.spans);
    assert.equal(intAttr(root, 'process.exit.code'), exitCode);
    assert.equal(root.attributes['claude.interrupted'], true);
    assert.equal(root.status.code, 2);
    const [bash] = spansNamed(s.receiver.spans, 'execute_tool');
    assert.ok(bash);
    assert.equal(bash.attributes['claude.tool.interrupted'], true);
    assert.equal(bash.status.code, 2);
    assert.deepEqual(spoolDirs(tmp), [], 'the spool is gone');
  } finally {
    terminal.close();
    await s.close();
  }
});

test('an inbound TRACEPARENT makes the interactive session a child of the caller; commands claude runs join the trace', async () => {
  const callerTrace = '0af7651916cd43dd8448eb211c80319c';
  const callerSpan = 'b7ad6b7169203331';
  const s = await startScenario([
    { kind: 'tools', tools: [{ name: 'Bash', input: { command: 'printf %s "$TRACEPARENT" > tp.txt' } }] },
    { kind: 'text', text: 'Context noted.' },
  ]);
  const { terminal } = startInteractive(s, ['--allowedTools', 'Bash'], { TRACEPARENT: `00-${callerTrace}-${callerSpan}-01` });
  try {
    await terminal.waitForScreen(promptReady, 15_000, 'the prompt');
    await terminal.type('note the context');
    await terminal.waitForScreen((x) => x.includes('Context noted.'), 20_000, 'the answer');
    await terminal.type('/exit');
    assert.equal(await terminal.waitForExit(), 0);
    const root = await waitForSession(s.receiver);
    assertNested(s.receiver.spans);
    assert.equal(root.traceId, callerTrace);
    assert.equal(root.parentSpanId, callerSpan);
    assert.equal(root.attributes['claude.mode'], 'interactive');
    assert.ok(
      s.receiver.spans.every((x) => x.traceId === callerTrace),
      'every span in the given trace',
    );
    assert.equal(readFileSync(join(s.sandbox.cwd, 'tp.txt'), 'utf8'), `00-${callerTrace}-${root.spanId}-01`);
  } finally {
    terminal.close();
    await s.close();
  }
});
