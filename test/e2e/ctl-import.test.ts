import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startScenario, ALLOW_TOOLS, childrenOf, spansNamed, intAttr, cliAtLeast, CLAUDE_BIN, CLAUDE_CLI_VERSION } from '../support/scenario.ts';
import type { Scenario } from '../support/scenario.ts';
import { startCommand } from '../support/claude-run.ts';
import type { RunResult } from '../support/claude-run.ts';
import type { StubRequest, StubStep } from '../support/anthropic-stub.ts';
import { git } from '../support/git-repo.ts';
import { DEFAULT_PERMISSION_MODE_ARGS, TmuxTerminal, promptReady } from '../support/tmux-terminal.ts';
import { INSTALLED_BIN, runInstalled } from '../support/installed-package.ts';
import { once } from '../support/once.ts';

// End to end, on both CLIs (their transcripts differ), with the installed claude-otel-ctl.
// `claude-otel-ctl import`: sessions run with bare claude (never through the wrapper) read from
// claude's transcripts into the store, checked against what the transcripts themselves say.

interface Meta {
  runId: string;
  traceId: string;
  spanId?: string;
  sessionId: string;
  mode: string;
  version: string;
  startTime: number;
  endTime: number;
  exitCode?: number;
  prompts: number;
  toolCalls: number;
  toolErrors: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
  promptPreview?: string;
  resumedFrom?: string;
  source?: string;
  git?: { repositoryName?: string; repositoryUrl?: string; branch?: string };
}

interface Tokens {
  input: number;
  output: number;
  cacheRead: number;
  cacheCreation: number;
}

const AGENT_TOOL = cliAtLeast('2.1.332') ? 'Agent' : 'Task';
const AGENT_CALL = { name: AGENT_TOOL, input: { description: 'sub work', prompt: 'run echo sub', subagent_type: 'general-purpose' } };
const SUBAGENT_SCRIPT: StubStep[] = [
  { kind: 'tools', tools: [{ name: 'Bash', input: { command: 'echo sub' } }] },
  { kind: 'text', text: 'sub done' },
];

function metas(stateDir: string): Meta[] {
  const root = join(stateDir, 'sessions');
  let runs: string[];
  try {
    runs = readdirSync(root).sort();
  } catch {
    return [];
  }
  return runs.filter((run) => existsSync(join(root, run, 'meta.json'))).map((run) => JSON.parse(readFileSync(join(root, run, 'meta.json'), 'utf8')) as Meta);
}

function ctl(s: Scenario, args: string[], env: Record<string, string | undefined> = {}): Promise<RunResult> {
  return runInstalled(s, INSTALLED_BIN.ctl, args, { env: { NO_COLOR: '1', ...env } });
}

/** Every transcript file (main and subagent) under the sandbox's ~/.claude/projects. */
function transcriptFiles(home: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.jsonl')) files.push(path);
    }
  };
  walk(join(home, '.claude', 'projects'));
  return files;
}

/** What the API stand-in was asked and what the transcripts hold, line kinds in order: said when a count is off. */
function conversationTrace(requests: readonly StubRequest[], home: string): string {
  const asked = requests
    .filter((r) => r.agentLoop)
    .map((r) => {
      const messages = isRecord(r.body) && Array.isArray(r.body.messages) ? (r.body.messages as unknown[]) : [];
      const last = messages.at(-1);
      const content = isRecord(last) && Array.isArray(last.content) ? (last.content as unknown[]) : [];
      return `${messages.length}:${content.map((b) => (isRecord(b) ? String(b.type) : '?')).join('+')}`;
    });
  const lines: string[] = [];
  for (const file of transcriptFiles(home)) {
    for (const text of readFileSync(file, 'utf8').split('\n')) {
      if (!text.trim()) continue;
      const line = JSON.parse(text) as { type?: string; message?: { content?: unknown } };
      const content = Array.isArray(line.message?.content) ? (line.message.content as { type?: string }[]) : [];
      lines.push(content.length > 0 ? `${line.type}(${content.map((b) => b.type).join('+')})` : String(line.type));
    }
  }
  return `agent-loop requests ${asked.join(' ')}; transcript ${lines.join(' ')}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Tool results the transcripts themselves mark as errors (each tool call once), read apart from the import. */
function transcriptToolErrors(home: string): number {
  const failed = new Set<string>();
  for (const file of transcriptFiles(home)) {
    for (const text of readFileSync(file, 'utf8').split('\n')) {
      if (!text.includes('"is_error":true')) continue;
      const line = JSON.parse(text) as { message?: { content?: unknown } };
      const content = Array.isArray(line.message?.content) ? (line.message.content as { type?: string; is_error?: boolean; tool_use_id?: string }[]) : [];
      for (const block of content) if (block.type === 'tool_result' && block.is_error === true && block.tool_use_id) failed.add(block.tool_use_id);
    }
  }
  return failed.size;
}

/**
 * The tokens the transcripts record, summed here without the import's code: every assistant
 * line of a model call repeats its message id (one line per content block), so each id counts
 * once, with the largest figure its lines give. Keyed by the local day of the call.
 */
function transcriptTokens(home: string): { total: Tokens; byDay: Map<string, Tokens>; bySession: Map<string, Tokens> } {
  const calls = new Map<string, { day: string; session: string; usage: Tokens }>();
  for (const file of transcriptFiles(home)) {
    for (const text of readFileSync(file, 'utf8').split('\n')) {
      if (!text.trim()) continue;
      const line = JSON.parse(text) as {
        type?: string;
        timestamp?: string;
        sessionId?: string;
        isApiErrorMessage?: boolean;
        message?: { id?: string; model?: string; usage?: Record<string, number> };
      };
      const usage = line.message?.usage;
      const id = line.message?.id;
      if (line.type !== 'assistant' || !usage || !id || line.message?.model === '<synthetic>' || line.isApiErrorMessage) continue;
      const date = new Date(Date.parse(line.timestamp ?? ''));
      const day = `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
      const seen = calls.get(id);
      const figures = {
        input: usage.input_tokens ?? 0,
        output: usage.output_tokens ?? 0,
        cacheRead: usage.cache_read_input_tokens ?? 0,
        cacheCreation: usage.cache_creation_input_tokens ?? 0,
      };
      const max = (a: Tokens, b: Tokens): Tokens => ({
        input: Math.max(a.input, b.input),
        output: Math.max(a.output, b.output),
        cacheRead: Math.max(a.cacheRead, b.cacheRead),
        cacheCreation: Math.max(a.cacheCreation, b.cacheCreation),
      });
      calls.set(id, { day: seen?.day ?? day, session: line.sessionId ?? '', usage: seen ? max(seen.usage, figures) : figures });
    }
  }
  const zero = (): Tokens => ({ input: 0, output: 0, cacheRead: 0, cacheCreation: 0 });
  const add = (into: Tokens, t: Tokens) => {
    into.input += t.input;
    into.output += t.output;
    into.cacheRead += t.cacheRead;
    into.cacheCreation += t.cacheCreation;
  };
  const total = zero();
  const byDay = new Map<string, Tokens>();
  const bySession = new Map<string, Tokens>();
  for (const call of calls.values()) {
    add(total, call.usage);
    if (!byDay.has(call.day)) byDay.set(call.day, zero());
    add(byDay.get(call.day) ?? zero(), call.usage);
    if (!bySession.has(call.session)) bySession.set(call.session, zero());
    add(bySession.get(call.session) ?? zero(), call.usage);
  }
  return { total, byDay, bySession };
}

function metaTokens(list: Meta[]): Tokens {
  return list.reduce(
    (t, m) => ({
      input: t.input + m.inputTokens,
      output: t.output + m.outputTokens,
      cacheRead: t.cacheRead + m.cacheReadTokens,
      cacheCreation: t.cacheCreation + m.cacheCreationTokens,
    }),
    { input: 0, output: 0, cacheRead: 0, cacheCreation: 0 },
  );
}

/** The sandbox's project, a git repository on a branch with an origin remote. */
function makeRepository(cwd: string): void {
  git(cwd, 'init', '-q', '-b', 'feature/import');
  writeFileSync(join(cwd, 'README.md'), 'hello\n');
  git(cwd, 'add', 'README.md');
  git(cwd, 'commit', '-q', '-m', 'initial');
  git(cwd, 'remote', 'add', 'origin', 'https://example.invalid/acme/widgets.git');
}

const sessionIdOf = (run: RunResult) => (JSON.parse(run.stdout.toString()) as { session_id: string }).session_id;

const opened: Scenario[] = [];
after(() => Promise.all(opened.map((s) => s.close())));

interface ResumedRuns {
  s: Scenario;
  id: string;
  /** How `import --follow` ended, and the store of its own it wrote. */
  follower: RunResult;
  followerStateDir: string;
}

/**
 * Two runs of one session with bare claude -p in a git repository, the first with a failing
 * Bash command and a subagent, the second resuming it; `import --follow`, started before them,
 * imports into a store of its own as they end. Made once: the import test reads the transcripts,
 * the follow test the follower's store.
 */
const resumedPrintRuns = once(async (): Promise<ResumedRuns> => {
  const s = await startScenario(
    [
      // 40 kB of output: before 2.1.332 claude then also writes its end-of-process line on the way.
      { kind: 'tools', tools: [{ name: 'Bash', input: { command: 'seq 8000; echo err >&2; exit 3' } }] },
      { kind: 'tools', tools: [AGENT_CALL] },
      { kind: 'text', text: 'All done.' },
      // 2.1.332: the background agent's notification is a turn of its own.
      ...(cliAtLeast('2.1.332') ? [{ kind: 'text' as const, text: 'Noted.' }] : []),
      { kind: 'text', text: 'Second run.' },
    ],
    { agents: { 'run echo sub': SUBAGENT_SCRIPT } },
  );
  opened.push(s);
  makeRepository(s.sandbox.cwd);
  const followerStateDir = join(s.sandbox.home, 'follower-state');
  const follow = startCommand(INSTALLED_BIN.ctl, ['import', '--follow', '--quiet-after', '600000', '--poll-every', '100'], {
    sandbox: s.sandbox,
    env: s.env({ CLAUDE_OTEL_STATE_DIR: followerStateDir }),
    timeoutMs: 120_000,
  });
  try {
    const first = await s.claude(['-p', 'do things', '--output-format', 'json', ...ALLOW_TOOLS]);
    assert.equal(first.exitCode, 0, first.stderr);
    // The process's end line ends the run: no need to wait for the quiet period. The follower
    // says what each pass imported once it is stored.
    const importedOne = /^imported 1 session run from /gm;
    await follow.stdoutMatches(importedOne, 1);
    const id = sessionIdOf(first);
    const second = await s.claude(['-p', '--resume', id, 'again', '--output-format', 'json', ...ALLOW_TOOLS]);
    assert.equal(second.exitCode, 0, second.stderr);
    await follow.stdoutMatches(importedOne, 2);
    follow.kill('SIGTERM');
    return { s, id, follower: await follow.result, followerStateDir };
  } finally {
    follow.kill('SIGKILL');
  }
});

test('bare claude -p with a failing Bash command and a subagent, resumed: import stores each run once, with its prompts, calls, tokens, tools, exit codes, nesting, repository and branch; --export delivers each once with its own times', async () => {
  const { s, id } = await resumedPrintRuns();
  const imported = await ctl(s, ['import', '--quiet-after', '0']);
  assert.equal(imported.exitCode, 0, imported.stderr);
  assert.match(imported.stdout.toString(), /^imported 2 session runs from 1 transcript\n$/);
  assert.equal(s.receiver.spans.length, 0, 'nothing is sent without --export');

  const stored = metas(s.stateDir);
  assert.equal(stored.length, 2, 'one stored session per run');
  const [run1, run2] = stored;
  assert.ok(run1 && run2);
  for (const m of stored) {
    assert.equal(m.sessionId, id);
    assert.equal(m.source, 'transcript');
    assert.equal(m.mode, 'print');
    assert.equal(m.version, CLAUDE_CLI_VERSION);
    assert.equal(m.exitCode, undefined, 'nobody saw claude exit: no exit code');
    assert.deepEqual(m.git, { repositoryName: 'widgets', repositoryUrl: 'https://example.invalid/acme/widgets', branch: 'feature/import', worktree: false });
  }
  assert.equal(run1.promptPreview, 'do things');
  assert.equal(run1.prompts, 1);
  assert.equal(run1.toolCalls, 3, 'Bash, the agent call and the subagent’s Bash');
  assert.equal(run1.toolErrors, 1);
  assert.equal(run1.resumedFrom, undefined);
  assert.equal(run2.promptPreview, 'again');
  assert.equal(run2.prompts, 1);
  assert.equal(run2.toolCalls, 0);
  assert.equal(run2.resumedFrom, id);
  assert.ok(run1.endTime <= run2.startTime, 'the runs follow each other');

  // Tokens as the transcripts say, per session and per day, summed independently of the import.
  const expected = transcriptTokens(s.sandbox.home);
  assert.deepEqual(metaTokens(stored), expected.total);
  assert.deepEqual(expected.bySession.get(id), expected.total);
  const byDay = await ctl(s, ['stats', '--by', 'day', '--since', '30d', '--json', '--source', 'transcript']);
  assert.equal(byDay.exitCode, 0, byDay.stderr);
  const days = (JSON.parse(byDay.stdout.toString()) as { groups: { key: string; tokens: Tokens }[] }).groups;
  assert.equal(
    JSON.stringify(
      days.map((d) => [d.key, { input: d.tokens.input, output: d.tokens.output, cacheRead: d.tokens.cacheRead, cacheCreation: d.tokens.cacheCreation }]),
    ),
    JSON.stringify([...expected.byDay.entries()].sort(([a], [b]) => a.localeCompare(b))),
  );

  // Importing again adds nothing.
  const again = await ctl(s, ['import', '--quiet-after', '0']);
  assert.match(again.stdout.toString(), /^imported 0 session runs from 1 transcript; 2 imported before\n$/);
  assert.equal(metas(s.stateDir).length, 2);

  // The views show the mark, and tell the sources apart.
  const listed = await ctl(s, ['sessions', '--wide']);
  assert.match(listed.stdout.toString(), /print, imported/);
  const wrapperOnly = await ctl(s, ['sessions', '--source', 'wrapper']);
  assert.match(wrapperOnly.stdout.toString(), /^no wrapper sessions recorded \(--source wrapper; state dir: /);
  const badSource = await ctl(s, ['sessions', '--source', 'ide']);
  assert.equal(badSource.exitCode, 2);
  assert.match(badSource.stderr, /--source "ide": expected wrapper or transcript/);
  const shown = await ctl(s, ['show', run1.runId, '--width', '200']);
  assert.match(shown.stdout.toString(), /print, imported from its transcript .* no exit code/);

  // --export: each run once, with the transcript's times.
  // Metrics go only where an exporter is set for them (OTEL_METRICS_EXPORTER, off by default).
  const exported = await ctl(s, ['import', '--export', '--quiet-after', '0'], { OTEL_METRICS_EXPORTER: 'otlp' });
  assert.equal(exported.exitCode, 0, exported.stderr);
  await s.receiver.waitFor((r) => r.spans.filter((x) => x.name === 'claude.session').length === 2, 15_000);
  const roots = s.receiver.spans.filter((x) => x.name === 'claude.session').sort((a, b) => Number(a.startTimeUnixNano - b.startTimeUnixNano));
  const [root1, root2] = roots;
  assert.ok(root1 && root2);
  assert.equal(root1.attributes['claude.source'], 'transcript');
  assert.equal(root1.attributes['process.exit.code'], undefined);
  assert.equal(root1.attributes['vcs.ref.head.name'], 'feature/import');
  assert.equal(root1.attributes['vcs.repository.name'], 'widgets');
  assert.equal(Number(root1.startTimeUnixNano / 1_000_000n), run1.startTime, 'the span starts at the prompt’s time in the transcript');
  assert.equal(root2.attributes['claude.session.resumed_from'], id);
  assert.deepEqual(root2.links, [{ traceId: root1.traceId, spanId: root1.spanId, attributes: { 'claude.link.type': 'resumes' } }]);
  const firstPromptTime = promptTime(s.sandbox.home, 'do things');
  assert.equal(run1.startTime, firstPromptTime);

  const spans = s.receiver.spans.filter((x) => x.traceId === root1.traceId);
  const [prompt] = childrenOf(spans, root1);
  assert.ok(prompt);
  assert.equal(prompt.attributes['claude.prompt.preview'], 'do things');
  const mainTools = spansNamed(childrenOf(spans, prompt), 'execute_tool');
  const bash = mainTools.find((x) => x.name === 'execute_tool Bash');
  assert.ok(bash);
  assert.equal(intAttr(bash, 'claude.tool.exit_code'), 3, 'the exit code from the Bash result');
  assert.equal(bash.status.code, 2);
  const agentTool = mainTools.find((x) => x.name === `execute_tool ${AGENT_TOOL}`);
  assert.ok(agentTool, 'the agent call is under the prompt');
  const [agent] = childrenOf(spans, agentTool);
  assert.equal(agent?.name, 'invoke_agent general-purpose', 'the subagent is nested under the call that started it');
  if (!agent) return;
  const inside = childrenOf(spans, agent);
  const subBash = spansNamed(inside, 'execute_tool');
  assert.deepEqual(
    subBash.map((x) => [x.attributes['claude.tool.input_summary'], x.attributes['claude.tool.exit_code']]),
    [['echo sub', 0]],
  );
  assert.equal(spansNamed(inside, 'chat').length, 2, 'the subagent’s own calls are under it');
  const chats = spans.filter((x) => x.name.startsWith('chat '));
  assert.equal(
    chats.reduce((n, c) => n + intAttr(c, 'gen_ai.usage.output_tokens'), 0),
    run1.outputTokens,
  );
  await s.receiver.waitFor((r) => r.metrics.some((m) => m.name === 'claude.session.count' && m.dataPoints.length > 0), 15_000);
  const sessionsMetric = s.receiver.metrics.find((m) => m.name === 'claude.session.count');
  assert.ok(sessionsMetric, 'the metric points are delivered');
  for (const point of sessionsMetric.dataPoints) assert.ok(Number(point.timeUnixNano / 1_000_000n) <= run2.endTime, 'metric points keep the sessions’ times');

  const spanCount = s.receiver.spans.length;
  const resent = await ctl(s, ['import', '--export', '--quiet-after', '0'], { OTEL_METRICS_EXPORTER: 'otlp' });
  assert.equal(resent.exitCode, 0, resent.stderr);
  assert.match(resent.stdout.toString(), /exported 0 of 0 chunks/);
  assert.equal(s.receiver.spans.length, spanCount, 'sending again delivers nothing');
});

/** When the transcript's line for this prompt was written. */
function promptTime(home: string, prompt: string): number {
  for (const file of transcriptFiles(home)) {
    for (const text of readFileSync(file, 'utf8').split('\n')) {
      if (!text.trim()) continue;
      const line = JSON.parse(text) as { type?: string; timestamp?: string; message?: { content?: unknown } };
      if (line.type === 'user' && line.message?.content === prompt) return Date.parse(line.timestamp ?? '');
    }
  }
  throw new Error(`no prompt "${prompt}" in the transcripts`);
}

test('a session the wrapper recorded is not imported again from its transcript', async () => {
  const s = await startScenario([{ kind: 'text', text: 'Hello.' }]);
  try {
    const run = await runInstalled(s, INSTALLED_BIN.wrapper, ['-p', 'hi', '--output-format', 'json']);
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(metas(s.stateDir).length, 1);
    const imported = await ctl(s, ['import', '--quiet-after', '0']);
    assert.equal(imported.exitCode, 0, imported.stderr);
    assert.match(imported.stdout.toString(), /^imported 0 session runs from 1 transcript; 1 recorded by the wrapper\n$/);
    const stored = metas(s.stateDir);
    assert.equal(stored.length, 1);
    assert.equal(stored[0]?.source, undefined, 'the wrapper’s own run');
    const dry = await ctl(s, ['import', '--dry-run', '--quiet-after', '0']);
    assert.match(dry.stdout.toString(), /^would import 0 session runs/);
  } finally {
    await s.close();
  }
});

/** How many `last-prompt` lines the transcripts hold between the lines of these two prompts. */
function markersBetween(home: string, first: string, second: string): number {
  let between: number | undefined;
  for (const file of transcriptFiles(home)) {
    for (const text of readFileSync(file, 'utf8').split('\n')) {
      if (!text.trim()) continue;
      const line = JSON.parse(text) as { type?: string; message?: { content?: unknown } };
      if (line.type === 'user' && line.message?.content === first) between = 0;
      else if (line.type === 'user' && line.message?.content === second && between !== undefined) return between;
      else if (line.type === 'last-prompt' && between !== undefined) between += 1;
    }
  }
  throw new Error(`no prompts "${first}" then "${second}" in the transcripts`);
}

test('interactive sessions in the terminal UI, one compacted, one resumed: each run imported once, with its prompts and the failing command’s exit code', async () => {
  // Each answer goes with what claude asks, so that a request the terminal UI sends again, or one it sends beside its own, gets the same.
  // The command's 40 kB of output makes claude write `last-prompt` within the first run too (every 32 KiB before 2.1.332, every turn after).
  const s = await startScenario([], {
    reply: ({ lastUserText, toolResults }): StubStep | undefined => {
      if (toolResults > 0) return { kind: 'text', text: 'First answer done.' };
      if (lastUserText.includes('run echo hi'))
        return { kind: 'tools', text: 'Running it.', tools: [{ name: 'Bash', input: { command: 'echo hi; seq 8000; exit 5' } }] };
      if (lastUserText.includes('second question')) return { kind: 'text', text: 'Second answer here.' };
      // /compact's own call.
      if (/summary/i.test(lastUserText)) return { kind: 'text', text: '<summary>Ran a command.</summary>' };
      if (lastUserText.includes('resumed question')) return { kind: 'text', text: 'Resumed answer.' };
      return undefined;
    },
  });
  const tmp = join(s.sandbox.home, 'tmp');
  mkdirSync(tmp, { recursive: true });
  const start = (args: string[]) =>
    TmuxTerminal.start(CLAUDE_BIN, [...DEFAULT_PERMISSION_MODE_ARGS, '--allowedTools', 'Bash', ...args], {
      cwd: s.sandbox.cwd,
      env: { ...s.sandbox.env, TMPDIR: tmp },
      dir: s.sandbox.home,
    });
  let terminal: TmuxTerminal | undefined;
  try {
    terminal = start([]);
    await terminal.waitForScreen(promptReady, 15_000, 'the prompt');
    await terminal.type('run echo hi');
    await terminal.waitForScreen((x) => x.includes('First answer done.'), 20_000, 'the first answer');
    // A compaction between the prompts: its summary is no prompt, and the run goes on.
    await terminal.type('/compact');
    await terminal.waitForScreen((x) => x.includes('Compacted'), 20_000, 'the compaction');
    await terminal.type('second question');
    await terminal.waitForScreen((x) => x.includes('Second answer here.'), 20_000, 'the second answer');
    await terminal.type('/exit');
    assert.equal(await terminal.waitForExit(), 0);
    terminal.close();
    const [transcript] = transcriptFiles(s.sandbox.home);
    assert.ok(transcript);
    const id =
      transcript
        .split('/')
        .pop()
        ?.replace(/\.jsonl$/, '') ?? '';
    terminal = start(['--resume', id]);
    await terminal.waitForScreen(promptReady, 15_000, 'the prompt');
    await terminal.type('resumed question');
    await terminal.waitForScreen((x) => x.includes('Resumed answer.'), 20_000, 'the resumed answer');
    await terminal.type('/exit');
    assert.equal(await terminal.waitForExit(), 0);
    terminal.close();
    terminal = undefined;

    assert.ok(markersBetween(s.sandbox.home, 'run echo hi', 'second question') > 0, 'claude marked the first run before its second prompt');
    const imported = await ctl(s, ['import', '--quiet-after', '0', '--project', s.sandbox.cwd]);
    assert.equal(imported.exitCode, 0, imported.stderr);
    assert.match(imported.stdout.toString(), /^imported 2 session runs from 1 transcript\n$/);
    const [run1, run2] = metas(s.stateDir);
    assert.ok(run1 && run2);
    assert.equal(run1.mode, 'interactive');
    assert.equal(run1.prompts, 2);
    assert.equal(run1.promptPreview, 'run echo hi');
    assert.equal(run1.toolCalls, 1, conversationTrace(s.stub.requests, s.sandbox.home));
    // As the transcript marks it, counted apart from the import (one run under load counted none).
    assert.equal(run1.toolErrors, transcriptToolErrors(s.sandbox.home), conversationTrace(s.stub.requests, s.sandbox.home));
    assert.equal(run2.prompts, 1);
    assert.equal(run2.promptPreview, 'resumed question');
    assert.equal(run2.resumedFrom, id);
    assert.deepEqual(metaTokens([run1, run2]), transcriptTokens(s.sandbox.home).total);

    const exported = await ctl(s, ['import', '--export', '--quiet-after', '0']);
    assert.equal(exported.exitCode, 0, exported.stderr);
    await s.receiver.waitFor((r) => r.spans.filter((x) => x.name === 'claude.session').length === 2, 15_000);
    const bash = s.receiver.spans.find((x) => x.name === 'execute_tool Bash');
    assert.ok(bash);
    assert.equal(intAttr(bash, 'claude.tool.exit_code'), 5);
    const compacted = s.receiver.spans.find((x) => x.name === 'claude.session' && x.attributes['claude.session.resumed_from'] === undefined);
    assert.ok(compacted);
    assert.equal(intAttr(compacted, 'claude.compactions'), 1, 'the /compact');
    const other = await ctl(s, ['import', '--quiet-after', '0', '--project', join(s.sandbox.home, 'elsewhere')]);
    assert.match(other.stdout.toString(), /^imported 0 session runs from 0 transcripts\n$/);
  } finally {
    terminal?.close();
    await s.close();
  }
});

test('--follow imports a session run elsewhere once its transcript ends, and only once', async () => {
  const { id, follower, followerStateDir } = await resumedPrintRuns();
  assert.equal(follower.exitCode, 0, follower.stderr);
  const stored = metas(followerStateDir);
  assert.deepEqual(
    stored.map((m) => [m.promptPreview, m.resumedFrom]),
    [
      ['do things', undefined],
      ['again', id],
    ],
  );
});
