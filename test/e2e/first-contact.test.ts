import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PromptStream, collect, sdkOptions, startQuery } from '../support/agent-sdk.ts';
import { ALLOW_TOOLS, CLAUDE_BIN, CLAUDE_CLI_VERSION, childrenOf, intAttr, spansNamed, startScenario, waitForSession } from '../support/scenario.ts';
import type { Scenario } from '../support/scenario.ts';
import type { RunResult } from '../support/claude-run.ts';
import { git } from '../support/git-repo.ts';
import { GLOBAL_PREFIX, INSTALLED_BIN, runInstalled } from '../support/installed-package.ts';
import { displayWidth } from '../../src/ctl/render/text/display-width.ts';
import { once } from '../support/once.ts';

// What a new user meets in the first hour, with the package installed as users install it and
// run from a login shell's environment against the real CLI.

const VERSION = (JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string }).version;

/** A repository named `widgets` whose origin belongs to `owner`, with one commit. */
function widgetsRepository(s: Scenario, owner: string): void {
  git(s.sandbox.cwd, 'init', '-q', '-b', 'main');
  git(s.sandbox.cwd, 'remote', 'add', 'origin', `https://github.com/${owner}/widgets.git`);
  git(s.sandbox.cwd, 'commit', '-q', '--allow-empty', '-m', 'start');
}

function ctl(s: Scenario, args: string[], env: Record<string, string | undefined> = {}) {
  return runInstalled(s, INSTALLED_BIN.ctl, args, { env });
}

test('--otel-version names the wrapper and the claude it would run', async () => {
  const s = await startScenario([]);
  try {
    const run = await runInstalled(s, INSTALLED_BIN.wrapper, ['--otel-version']);
    assert.equal(run.exitCode, 0, run.stderr);
    const [wrapper, claude] = run.stdout.toString().trimEnd().split('\n');
    assert.equal(wrapper, `claude-otel ${VERSION}`);
    assert.equal(claude, `claude ${CLAUDE_CLI_VERSION} (${CLAUDE_BIN})`);
    assert.equal(s.stub.requests.length, 0, 'no session was started');
  } finally {
    await s.close();
  }
});

test('--otel-help lists the wrapper options and settings; --help is still claude’s', async () => {
  const s = await startScenario([]);
  try {
    const help = await runInstalled(s, INSTALLED_BIN.wrapper, ['--otel-help']);
    assert.equal(help.exitCode, 0, help.stderr);
    const text = help.stdout.toString();
    assert.match(text, /^Usage: claude-otel /);
    for (const name of ['--otel-help', '--otel-version', '--otel-debug', '--otel-print-trace-id', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'CLAUDE_OTEL_STATE_DIR']) {
      assert.ok(text.includes(name), `--otel-help names ${name}`);
    }
    assert.match(text, /docs\/telemetry\.md\n$/, "it ends with the reference (the version lines are --otel-version's)");
    const wrappedHelp = await runInstalled(s, INSTALLED_BIN.wrapper, ['--help']);
    const bareHelp = await s.claude(['--help']);
    assert.equal(wrappedHelp.stdout.toString(), bareHelp.stdout.toString());
  } finally {
    await s.close();
  }
});

test('an unknown --otel-* option is refused in one line, with the option it probably meant', async () => {
  const s = await startScenario([{ kind: 'text', text: 'never asked' }]);
  try {
    const run = await runInstalled(s, INSTALLED_BIN.wrapper, ['--otel-print-traceid', '-p', 'hello']);
    assert.equal(run.exitCode, 2);
    assert.equal(run.stdout.length, 0);
    assert.equal(run.stderr, 'claude-otel: unknown option --otel-print-traceid; did you mean --otel-print-trace-id?\n');
    assert.equal(s.stub.requests.length, 0, 'claude was not started');
  } finally {
    await s.close();
  }
});

/**
 * One user's two clones of repositories named widgets, acme's and other's, recording into one
 * store (acme's state dir): the Agent SDK session runs in acme's clone, the subagent session in
 * other's. Made once, for the tests of each session and for the one that reads the store.
 */
interface WidgetsClones {
  acme: Scenario;
  other: Scenario;
  store: Record<string, string>;
  /** Result messages the SDK received. */
  sdkResults: number;
  subagentRun: RunResult;
}

const opened: Scenario[] = [];
after(() => Promise.all(opened.map((s) => s.close())));

const widgetsClones = once(async (): Promise<WidgetsClones> => {
  const acme = await startScenario([
    { kind: 'text', text: 'first answer' },
    { kind: 'text', text: 'second answer' },
  ]);
  opened.push(acme);
  const other = await startScenario(
    [
      { kind: 'tools', tools: [{ name: 'Agent', input: { description: 'sub work', prompt: 'run echo sub', subagent_type: 'general-purpose' } }] },
      { kind: 'text', text: 'All done.' },
      { kind: 'text', text: 'done' },
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
  opened.push(other);
  widgetsRepository(acme, 'acme');
  widgetsRepository(other, 'other');
  const store = { CLAUDE_OTEL_STATE_DIR: acme.stateDir };

  const prompts = new PromptStream();
  prompts.push('the first question');
  let sdkResults = 0;
  const options = sdkOptions(acme, 'wrapped', {
    pathToClaudeCodeExecutable: INSTALLED_BIN.wrapper,
    env: { PATH: `${GLOBAL_PREFIX}/bin:${acme.sandbox.env.PATH ?? ''}`, ...store },
  });
  await collect(startQuery(prompts, options), (message) => {
    if (message.type !== 'result') return;
    sdkResults += 1;
    if (sdkResults === 1) prompts.push('the second question');
    else prompts.end();
  });

  const subagentRun = await runInstalled(other, INSTALLED_BIN.wrapper, ['-p', 'delegate', ...ALLOW_TOOLS], { env: store });
  return { acme, other, store, sdkResults, subagentRun };
});

test('the Agent SDK streaming two messages through the installed wrapper: both prompt spans have their preview', async () => {
  const { acme: s, sdkResults } = await widgetsClones();
  assert.equal(sdkResults, 2);
  const root = await waitForSession(s.receiver);
  const turns = childrenOf(s.receiver.spans, root)
    .filter((x) => x.name === 'invoke_agent claude-code')
    .sort((a, b) => intAttr(a, 'claude.prompt.index') - intAttr(b, 'claude.prompt.index'));
  assert.deepEqual(
    turns.map((x) => x.attributes['claude.prompt.preview']),
    ['the first question', 'the second question'],
  );
});

test('two repositories with one name stay two rows in stats --by repo', async () => {
  const { acme, store, sdkResults, subagentRun } = await widgetsClones();
  assert.deepEqual([sdkResults, subagentRun.exitCode], [2, 0], subagentRun.stderr);
  const stats = await ctl(acme, ['stats', '--by', 'repo', '--json'], store);
  assert.equal(stats.exitCode, 0, stats.stderr);
  const keys = (JSON.parse(stats.stdout.toString()) as { groups: { key: string; sessions: number }[] }).groups.map((g) => g.key).sort();
  assert.equal(keys.length, 2, `keys: ${keys.join(', ')}`);
  assert.match(keys[0] ?? '', /acme\/widgets/);
  assert.match(keys[1] ?? '', /other\/widgets/);
});

test('a subagent’s spans start and end inside their parents, but a background agent’s, which outlives its Agent call', async () => {
  const { other: s, subagentRun: run } = await widgetsClones();
  assert.equal(run.exitCode, 0, run.stderr);
  const root = await waitForSession(s.receiver);
  const spans = s.receiver.spans.filter((x) => x.traceId === root.traceId);
  const agent = spans.find((x) => x.name.startsWith('invoke_agent') && x.name !== 'invoke_agent claude-code');
  assert.ok(agent, `spans: ${spans.map((x) => x.name).join(', ')}`);
  assert.ok(spansNamed(childrenOf(spans, agent), 'chat').length >= 1, 'the subagent’s model calls are under it');
  const byId = new Map(spans.map((x) => [x.spanId, x]));
  for (const span of spans) {
    const parent = byId.get(span.parentSpanId);
    if (!parent) continue;
    assert.ok(span.startTimeUnixNano >= parent.startTimeUnixNano, `${span.name} starts before its parent ${parent.name}`);
    // A background agent (2.1.332 and later) outlives the Agent call that started it, as documented.
    if (span.attributes['claude.agent.background'] !== true)
      assert.ok(span.endTimeUnixNano <= parent.endTimeUnixNano, `${span.name} ends after its parent ${parent.name}`);
  }
});

test('an API error: no <synthetic> model in the trace or in stats', async () => {
  const s = await startScenario(Array.from({ length: 12 }, () => ({ kind: 'error' as const, status: 400 })));
  try {
    const run = await runInstalled(s, INSTALLED_BIN.wrapper, ['-p', 'hello']);
    assert.equal(run.exitCode, 1);
    const root = await waitForSession(s.receiver);
    const spans = s.receiver.spans.filter((x) => x.traceId === root.traceId);
    assert.deepEqual(
      spans.filter((x) => x.name.includes('<synthetic>')).map((x) => x.name),
      [],
    );
    const stats = await ctl(s, ['stats', '--by', 'model', '--json']);
    assert.equal(stats.exitCode, 0, stats.stderr);
    assert.doesNotMatch(stats.stdout.toString(), /<synthetic>/);
    const table = await ctl(s, ['stats', '--by', 'model']);
    assert.doesNotMatch(table.stdout.toString(), /<synthetic>/);
  } finally {
    await s.close();
  }
});

test('doctor names a misspelt OTEL_* variable once, with the name it probably meant', async () => {
  const s = await startScenario([]);
  try {
    const run = await ctl(s, ['doctor'], { OTEL_EXPORTER_OTLP_ENDPIONT: 'http://127.0.0.1:4317', CLAUDE_OTEL_STORE_DIR: '/tmp/x' });
    const out = run.stdout.toString() + run.stderr;
    const misspelt = out.split('\n').filter((line) => line.includes('OTEL_EXPORTER_OTLP_ENDPIONT'));
    assert.equal(misspelt.length, 1, out);
    assert.match(misspelt[0] ?? '', /did you mean OTEL_EXPORTER_OTLP_ENDPOINT\?/);
    assert.equal(out.split('\n').filter((line) => line.includes('CLAUDE_OTEL_STORE_DIR')).length, 1, out);
  } finally {
    await s.close();
  }
});

test('-p --effort high, then a Japanese prompt with an emoji: the option’s value is not taken for the prompt; sessions fits 100 columns and show’s waterfall lines up, nothing cut mid-character', async () => {
  const prompt = 'テストを直してください 🚀 そしてデプロイの結果を教えてください';
  const s = await startScenario([
    { kind: 'tools', tools: [{ name: 'Bash', input: { command: 'echo "🚀 デプロイ完了"' } }] },
    { kind: 'text', text: '完了しました ✅' },
  ]);
  try {
    const run = await runInstalled(s, INSTALLED_BIN.wrapper, ['-p', '--effort', 'high', prompt, ...ALLOW_TOOLS]);
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(run.stdout.toString(), '完了しました ✅\n');
    const root = await waitForSession(s.receiver);
    const sessionId = String(root.attributes['session.id']);
    assert.equal(root.attributes['claude.prompt.preview'], prompt);
    const [promptSpan] = childrenOf(s.receiver.spans, root).filter((x) => x.name === 'invoke_agent claude-code');
    assert.equal(promptSpan?.attributes['claude.prompt.preview'], prompt);

    const sessions = await ctl(s, ['sessions'], { COLUMNS: '100' });
    assert.equal(sessions.exitCode, 0, sessions.stderr);
    const listed = sessions.stdout.toString().trimEnd().split('\n');
    for (const line of listed) assert.ok(displayWidth(line) <= 100, `${displayWidth(line)} columns: ${line}`);
    assert.ok(
      listed.some((line) => line.includes(sessionId.slice(0, 8))),
      sessions.stdout.toString(),
    );

    const shown = await ctl(s, ['show', sessionId, '--width', '80']);
    assert.equal(shown.exitCode, 0, shown.stderr);
    const text = shown.stdout.toString();
    assert.doesNotMatch(text, /\uFFFD|[\uD800-\uDFFF]/u, 'no replacement character and no lone surrogate');
    const waterfall = text.split('\n\n').at(-1) ?? '';
    const rows = waterfall.split('\n').filter((line) => /[·█]{3,}/.test(line));
    assert.ok(rows.length >= 3, text);
    const barColumns = new Set(rows.map((row) => displayWidth(row.slice(0, row.search(/[·█]/)))));
    assert.equal(barColumns.size, 1, `every bar starts in one column:\n${waterfall}`);
    for (const line of text.trimEnd().split('\n')) assert.ok(displayWidth(line) <= 80, `${displayWidth(line)} columns: ${line}`);
  } finally {
    await s.close();
  }
});
