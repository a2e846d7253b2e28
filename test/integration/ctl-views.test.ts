import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startScenario, ALLOW_TOOLS, CTL_BIN, CLI_DEFAULTS } from '../support/scenario.ts';
import type { Scenario } from '../support/scenario.ts';
import { makeSandbox, runCommand } from '../support/claude-run.ts';
import type { RunResult, Sandbox } from '../support/claude-run.ts';
import { once } from '../support/once.ts';

// The viewing commands of claude-otel-ctl on sessions the real wrapper recorded, mostly with no
// collector running: the store is all there is.

/** No OTEL_* variable at all: the default collector (localhost:4317) is not running. */
const NO_COLLECTOR = { OTEL_EXPORTER_OTLP_ENDPOINT: undefined, OTEL_EXPORTER_OTLP_PROTOCOL: undefined };

const SCRIPT = [
  {
    kind: 'tools' as const,
    text: 'Let me look.',
    tools: [
      { name: 'Bash', input: { command: 'echo hello' } },
      { name: 'Write', input: { file_path: 'notes.txt', content: 'one\ntwo\n' } },
    ],
  },
  { kind: 'tools' as const, tools: [{ name: 'Bash', input: { command: 'echo failing; exit 3' } }] },
  { kind: 'text' as const, text: 'Done.' },
];

function ctl(sandbox: Sandbox, stateDir: string, args: string[], env: Record<string, string | undefined> = {}): Promise<RunResult> {
  return runCommand(CTL_BIN, args, { sandbox, env: { CLAUDE_OTEL_STATE_DIR: stateDir, ...env } });
}

/** A store to run claude-otel-ctl on: a scenario's, or a copy of one. */
type Store = Pick<Scenario, 'sandbox' | 'stateDir'>;

async function ctlOk(s: Store, args: string[]): Promise<string> {
  const run = await ctl(s.sandbox, s.stateDir, args);
  assert.equal(run.exitCode, 0, `${args.join(' ')}: ${run.stderr}`);
  assert.equal(run.stderr, '', `${args.join(' ')} warns`);
  return run.stdout.toString();
}

function runDirs(stateDir: string): string[] {
  const root = join(stateDir, 'sessions');
  return existsSync(root) ? readdirSync(root).map((d) => join(root, d)) : [];
}

type Attributes = Record<string, string | number | boolean>;

/** The root span's attributes, read straight from the stored OTLP JSON: what the session span said. */
function storedSessionSpan(runDir: string): Attributes {
  for (const file of readdirSync(runDir).filter((f) => /^chunk-\d+\.json$/.test(f))) {
    const chunk = JSON.parse(readFileSync(join(runDir, file), 'utf8')) as {
      traces?: {
        resourceSpans: { scopeSpans: { spans: { name: string; attributes: { key: string; value: Record<string, string | number | boolean> }[] }[] }[] }[];
      };
    };
    for (const rs of chunk.traces?.resourceSpans ?? []) {
      for (const ss of rs.scopeSpans) {
        const root = ss.spans.find((span) => span.name === 'claude.session');
        if (!root) continue;
        const out: Attributes = {};
        for (const { key, value } of root.attributes) {
          const v = Object.values(value)[0];
          if (v !== undefined) out[key] = key.includes('tokens') || key.endsWith('count') || key.endsWith('.code') ? Number(v) : v;
        }
        return out;
      }
    }
  }
  throw new Error(`no claude.session span stored in ${runDir}`);
}

interface SessionJson {
  sessionId: string;
  shortId: string;
  runId: string;
  toolCalls: number;
  toolErrors: number;
  prompts: number;
  tokens: { input: number; output: number; cacheRead: number; cacheCreation: number; total: number };
  costUsd: number;
  exitCode: number | null;
  hasErrors: boolean;
  status: string;
  delivered: boolean;
  mode: string;
  model: string;
  durationMs: number | null;
}

interface TreeNode {
  role: string;
  label: string;
  detail?: string;
  exitCode?: number;
  isError: boolean;
  error?: string;
  tokens?: { input: number; output: number; cacheRead: number; cacheCreation: number };
  children: TreeNode[];
}

function flatten(nodes: TreeNode[]): TreeNode[] {
  return nodes.flatMap((n) => [n, ...flatten(n.children)]);
}

let toolScenario: Scenario | undefined;

/**
 * The SCRIPT session ('tidy the notes'), recorded once with no collector; its store holds nothing
 * else. Tests only read that store; one that changes it works on a copy.
 */
const toolSession = once(async (): Promise<Scenario> => {
  const s = await startScenario(SCRIPT);
  toolScenario = s;
  const run = await s.wrapper(['-p', 'tidy the notes', ...ALLOW_TOOLS], { env: NO_COLLECTOR });
  assert.equal(run.exitCode, 0, run.stderr);
  assert.equal(run.stdout.toString(), 'Done.\n');
  return s;
});

after(async () => {
  await toolScenario?.close();
});

test('one session, no collector: sessions, show and stats agree with its session span, in tables and JSON', async () => {
  const s = await toolSession();
  const [runDir, ...otherRuns] = runDirs(s.stateDir);
  assert.ok(runDir, 'the session is in the store');
  assert.equal(otherRuns.length, 0);
  const span = storedSessionSpan(runDir);
  const sessionId = String(span['session.id']);

  // sessions --json: the figures of the session span.
  const [listed, ...more] = JSON.parse(await ctlOk(s, ['sessions', '--json'])) as SessionJson[];
  assert.equal(more.length, 0);
  assert.ok(listed);
  assert.equal(listed.sessionId, sessionId);
  assert.equal(listed.shortId, sessionId.slice(0, 8));
  assert.equal(listed.mode, 'print');
  assert.equal(listed.model, span['gen_ai.request.model']);
  assert.equal(listed.prompts, 1);
  assert.equal(listed.toolCalls, span['claude.tool_count']);
  assert.equal(listed.toolCalls, 3);
  assert.equal(listed.toolErrors, span['claude.tool_error_count']);
  assert.equal(listed.toolErrors, 1);
  assert.equal(listed.tokens.input + listed.tokens.cacheRead + listed.tokens.cacheCreation, span['gen_ai.usage.input_tokens']);
  assert.equal(listed.tokens.output, span['gen_ai.usage.output_tokens']);
  assert.equal(listed.tokens.cacheRead, span['gen_ai.usage.cache_read.input_tokens']);
  assert.equal(listed.tokens.total, Number(span['gen_ai.usage.input_tokens']) + Number(span['gen_ai.usage.output_tokens']));
  assert.equal(listed.costUsd, span['claude.cost_usd']);
  assert.ok(listed.costUsd > 0);
  assert.equal(listed.exitCode, 0);
  assert.equal(listed.status, 'ok');
  assert.equal(listed.hasErrors, true, 'a failed tool call counts as an error');
  assert.equal(listed.delivered, false, 'nothing reached a collector');
  assert.ok(listed.durationMs !== null && listed.durationMs > 0);

  // sessions, for people.
  const table = await ctlOk(s, ['sessions', '--wide']);
  const [tablePart = '', note = ''] = table.split('\n\n');
  const [header, row, ...rest] = tablePart.trimEnd().split('\n');
  assert.equal(rest.length, 0, table);
  assert.match(
    header ?? '',
    /^started\s+session id\s+mode\s+model\s+repo@branch\s+duration\s+prompts\s+tools\s+errors\s+tokens\s+cost\s+exit\s+status\s+delivered$/,
  );
  const cells = (row ?? '').split(/\s{2,}/);
  assert.deepEqual(cells.slice(1, 5), [sessionId, 'print', listed.model, '-'], 'no git repository');
  assert.deepEqual(cells.slice(6), ['1', '3', '1', listed.tokens.total.toLocaleString('en-US'), `$${listed.costUsd.toFixed(4)}`, '0', 'ok', 'no']);
  assert.doesNotMatch(table, /\u001b\[/, 'no colour when not on a terminal');
  // The collector (none runs) did not take the session: the table says why, and what helps.
  assert.match(
    note.replace(/\n/g, ' '),
    /^1 session not delivered to the collector \(sent: no\); last attempt [^;]*: traces to http:\/\/localhost:4317: .*claude-otel-ctl doctor .*claude-otel-ctl replay /,
  );
  const narrow = await ctlOk(s, ['sessions']);
  assert.match(narrow, /^started\s+id\s+model\s+repo@branch\s+duration\s+tools\s+tokens\s+cost\s+status\s+sent\n/);
  assert.match(narrow, new RegExp(`\\s${listed.shortId}\\s+${listed.model.replace(/^claude-/, '').replace(/[[\]]/g, '\\$&')}\\s+-\\s+\\S+\\s+3 ✗1\\s`));

  // Filters.
  const ids = async (args: string[]) => (JSON.parse(await ctlOk(s, ['sessions', '--json', ...args])) as SessionJson[]).map((x) => x.sessionId);
  assert.deepEqual(await ids(['--errors']), [sessionId]);
  assert.deepEqual(await ids(['--since', '10m', '--limit', '1']), [sessionId]);
  assert.deepEqual(await ids(['--since', '2999-01-01']), []);

  // show last: the waterfall.
  const shown = await ctlOk(s, ['show', 'last', '--width', '120']);
  assert.match(shown, new RegExp(`^session ${sessionId}  run `));
  assert.match(shown, /1 prompt · 3 tool calls \(1 failed\)/);
  assert.match(shown, /prompt: tidy the notes/);
  const lines = shown.split('\n');
  const failing = lines.findIndex((l) => /Bash echo failing; exit 3\s+3\s/.test(l));
  assert.ok(failing > 0, shown);
  assert.match(lines[failing + 1] ?? '', /✗ Exit code 3 · failing$/);
  assert.ok(
    lines.some((l) => /Bash echo hello\s+0\s/.test(l)),
    shown,
  );
  assert.ok(
    lines.some((l) => /Write .*notes\.txt/.test(l)),
    shown,
  );
  assert.equal(lines.filter((l) => l.includes(`chat ${CLI_DEFAULTS.model}`)).length, 3);
  assert.ok(
    lines.every((l) => l.length <= 120),
    'fits --width',
  );
  assert.doesNotMatch(shown, /\u001b\[/);

  // show <prefix> --json: the tree.
  const shownJson = JSON.parse(await ctlOk(s, ['show', sessionId.slice(0, 5), '--json'])) as { session: SessionJson; spans: TreeNode[] };
  assert.equal(shownJson.session.sessionId, sessionId);
  const [root] = shownJson.spans;
  assert.equal(root?.role, 'session');
  assert.equal(root?.exitCode, 0);
  assert.deepEqual(
    root?.children.map((c) => c.label),
    ['prompt 1'],
  );
  const nodes = flatten(shownJson.spans);
  const tools = nodes.filter((n) => n.role === 'tool');
  assert.deepEqual(
    tools.map((t) => t.label),
    ['Bash', 'Write', 'Bash'],
  );
  const failed = tools.filter((t) => t.isError);
  assert.equal(failed.length, 1);
  assert.equal(failed[0]?.exitCode, 3);
  assert.match(failed[0]?.error ?? '', /^Exit code 3/);
  const chatTokens = nodes.filter((n) => n.role === 'chat').reduce((sum, n) => sum + (n.tokens?.output ?? 0), 0);
  assert.equal(chatTokens, span['gen_ai.usage.output_tokens'], 'the chat spans add up to the session');

  // stats --json.
  const stats = JSON.parse(await ctlOk(s, ['stats', '--json'])) as {
    sessions: { count: number; withErrors: number; durationMs: { p50: number; p95: number }; costUsd: number };
    tools: { tool: string; calls: number; errors: number; errorRate: number; durationMs: { p50: number; p95: number } }[];
    tokens: { model: string; input: number; output: number; cacheRead: number; cacheCreation: number; total: number }[];
    costPerDay: { day: string; sessions: number; costUsd: number }[];
    costPerModel: { model: string; costUsd: number }[];
  };
  assert.equal(stats.sessions.count, 1);
  assert.equal(stats.sessions.withErrors, 1);
  assert.equal(stats.sessions.durationMs.p50, listed.durationMs);
  assert.deepEqual(
    stats.tools.map((t) => [t.tool, t.calls, t.errors]),
    [
      ['Bash', 2, 1],
      ['Write', 1, 0],
    ],
  );
  assert.equal(stats.tools[0]?.errorRate, 0.5);
  assert.ok((stats.tools[0]?.durationMs.p95 ?? -1) >= (stats.tools[0]?.durationMs.p50 ?? 0));
  assert.deepEqual(
    stats.tokens.map((t) => t.model),
    [CLI_DEFAULTS.model],
  );
  assert.equal(stats.tokens[0]?.total, listed.tokens.total);
  assert.equal(stats.tokens[0]?.output, span['gen_ai.usage.output_tokens']);
  const near = (a: number | undefined, b: unknown) => Math.abs((a ?? NaN) - Number(b)) < 1e-9;
  assert.ok(near(stats.sessions.costUsd, span['claude.cost_usd']));
  assert.ok(
    near(
      stats.costPerDay.reduce((sum, d) => sum + d.costUsd, 0),
      span['claude.cost_usd'],
    ),
    'cost per day adds up',
  );
  assert.ok(
    near(
      stats.costPerModel.reduce((sum, m) => sum + m.costUsd, 0),
      span['claude.cost_usd'],
    ),
    'cost per model adds up',
  );

  // stats, for people.
  const statsText = await ctlOk(s, ['stats', '--since', '1d']);
  assert.match(statsText, /: 1 session \(1 with errors\)/);
  assert.match(statsText, /^Bash\s+2\s+1\s+50\.0%\s+\S+\s+\S+$/m);
  assert.match(statsText, /^Write\s+1\s+0\s+0\.0%/m);
  assert.match(statsText, new RegExp(`^${CLI_DEFAULTS.model}\\s+3\\s+${listed.tokens.input}\\s+${listed.tokens.output}\\s`, 'm'));

  // Bad input: one line, a defined exit code.
  const oneLine = (r: RunResult) => r.stderr.trimEnd().split('\n').length === 1 && !/\n\s+at /.test(r.stderr);
  const notFound = await ctl(s.sandbox, s.stateDir, ['show', 'ffffffffff']);
  assert.equal(notFound.exitCode, 1);
  assert.equal(notFound.stderr, 'claude-otel-ctl: no session matches "ffffffffff"\n');
  for (const args of [
    ['sessions', '--since', 'fortnight'],
    ['sessions', '--limit', '0'],
    ['stats', '--since', '2026-02-31'],
    ['show', 'last', '--width', 'x'],
    ['sessions', '--bogus'],
    ['show'],
    ['bogus'],
    ['stats', '--by', 'colour'],
  ]) {
    const bad = await ctl(s.sandbox, s.stateDir, args);
    assert.equal(bad.exitCode, 2, `${args.join(' ')}: ${bad.stderr}`);
    assert.ok(oneLine(bad), `${args.join(' ')}: ${bad.stderr}`);
    // Commander's own messages carry the same prefix as ours.
    assert.match(bad.stderr, /^claude-otel-ctl: /, `${args.join(' ')}: ${bad.stderr}`);
    assert.doesNotMatch(bad.stderr, /^error:/m, `${args.join(' ')}: ${bad.stderr}`);
    assert.equal(bad.stdout.toString(), '');
  }
  const help = await ctl(s.sandbox, s.stateDir, ['show', '--help']);
  assert.equal(help.exitCode, 0);
  assert.match(help.stdout.toString(), /Usage: claude-otel-ctl show \[options\] <session>/);
});

test('colour on a terminal only, and never with NO_COLOR', async (t) => {
  if (!existsSync('/usr/bin/script')) {
    t.skip('util-linux `script` is not installed: no pseudo-terminal to test colours on');
    return;
  }
  const s = await toolSession();
  // `script` runs the command on a pseudo-terminal.
  const onTty = (env: Record<string, string | undefined>) =>
    runCommand('/usr/bin/script', ['-qec', `'${CTL_BIN}' show last --width 100`, '/dev/null'], {
      sandbox: s.sandbox,
      env: { CLAUDE_OTEL_STATE_DIR: s.stateDir, TERM: 'xterm', ...env },
    });
  const coloured = await onTty({});
  assert.equal(coloured.exitCode, 0, coloured.stderr);
  assert.match(coloured.stdout.toString(), /\u001b\[31m/, 'the failed call in red');
  const plain = await onTty({ NO_COLOR: '1' });
  assert.equal(plain.exitCode, 0, plain.stderr);
  assert.match(plain.stdout.toString(), /✗ Exit code 3/);
  assert.doesNotMatch(plain.stdout.toString(), /\u001b\[[0-9;]*m/);
});

test('four wrapper sessions at once into one store, with a collector: each stored and delivered; all listed; a prefix they share is ambiguous', async () => {
  const s = await startScenario([1, 2, 3, 4].map((n) => ({ kind: 'text' as const, text: `answer ${n}` })));
  try {
    // What is under test is four writers in one store: a loaded machine must not push an export past the flush budget.
    const env = { CLAUDE_OTEL_FLUSH_TIMEOUT_MS: '15000' };
    const runs = await Promise.all([1, 2, 3, 4].map((n) => s.wrapper(['-p', `question ${n}`], { env })));
    for (const r of runs) assert.equal(r.exitCode, 0, r.stderr);
    const dirs = runDirs(s.stateDir);
    assert.equal(dirs.length, 4);
    for (const dir of dirs) assert.ok(existsSync(join(dir, 'chunk-0001.delivered')), `${dir} delivered`);
    await s.receiver.waitFor((r) => r.spans.filter((x) => x.name === 'claude.session').length === 4);
    const listed = JSON.parse(await ctlOk(s, ['sessions', '--json'])) as (SessionJson & { startTime: string; promptPreview: string })[];
    assert.equal(listed.length, 4);
    assert.equal(new Set(listed.map((x) => x.sessionId)).size, 4);
    assert.deepEqual(listed.map((x) => x.promptPreview).sort(), ['question 1', 'question 2', 'question 3', 'question 4']);
    const starts = listed.map((x) => Date.parse(x.startTime));
    assert.deepEqual(
      starts,
      [...starts].sort((a, b) => b - a),
      'newest first',
    );
    assert.equal(((await ctlOk(s, ['sessions'])).split('\n\n')[0] ?? '').trimEnd().split('\n').length, 5);
    assert.deepEqual(
      (JSON.parse(await ctlOk(s, ['sessions', '--json', '--limit', '2'])) as SessionJson[]).map((x) => x.sessionId),
      listed.slice(0, 2).map((x) => x.sessionId),
    );
    assert.equal((JSON.parse(await ctlOk(s, ['stats', '--json'])) as { sessions: { count: number } }).sessions.count, 4);

    // Every run id starts with the year: a one-character prefix names all four.
    const prefix = listed[0]?.runId.slice(0, 1) ?? '';
    const ambiguous = await ctl(s.sandbox, s.stateDir, ['show', prefix]);
    assert.equal(ambiguous.exitCode, 2);
    assert.equal(ambiguous.stderr.split('\n').length, 2, 'one line');
    assert.match(ambiguous.stderr, new RegExp(`^claude-otel-ctl: "${prefix}" matches 4 sessions: `));
    for (const x of listed) assert.ok(ambiguous.stderr.includes(x.sessionId), `candidate ${x.sessionId}`);
    for (const x of listed) assert.match(await ctlOk(s, ['show', x.shortId]), new RegExp(`^session ${x.sessionId}`));
  } finally {
    await s.close();
  }
});

test('a truncated meta.json or chunk is skipped with a one-line warning, and the listing goes on', async () => {
  const shared = await toolSession();
  const s = await startScenario([{ kind: 'text', text: 'second' }]);
  try {
    // The first session is the shared tool session, in a copy of its store (this test damages it); the second is newer.
    cpSync(shared.stateDir, s.stateDir, { recursive: true });
    assert.equal((await s.wrapper(['-p', 'second'], { env: NO_COLLECTOR })).exitCode, 0);
    const promptOf = (dir: string) => (JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as { promptPreview?: string }).promptPreview;
    const dirs = runDirs(s.stateDir);
    const firstDir = dirs.find((d) => promptOf(d) === 'tidy the notes');
    const secondDir = dirs.find((d) => promptOf(d) === 'second');
    assert.ok(firstDir && secondDir);
    const firstSpan = storedSessionSpan(firstDir);
    const secondId = String(storedSessionSpan(secondDir)['session.id']);
    // Cut the first run's meta.json and the second run's chunk in half, as a crash mid-write would.
    const cut = (path: string) => writeFileSync(path, readFileSync(path).subarray(0, Math.floor(readFileSync(path).length / 2)));
    cut(join(firstDir, 'meta.json'));
    cut(join(secondDir, 'chunk-0001.json'));

    const listing = await ctl(s.sandbox, s.stateDir, ['sessions', '--json']);
    assert.equal(listing.exitCode, 0);
    assert.equal(listing.stderr, `claude-otel-ctl: warning: skipped ${join(firstDir, 'meta.json')}: it is not valid JSON (truncated or corrupt)\n`);
    const listed = JSON.parse(listing.stdout.toString()) as SessionJson[];
    assert.deepEqual(
      listed.map((x) => x.sessionId),
      [secondId, String(firstSpan['session.id'])],
    );
    // The first session is still described, from its spans.
    assert.equal(listed[1]?.toolCalls, 3);
    assert.equal(listed[1]?.toolErrors, 1);
    assert.equal(listed[1]?.costUsd, firstSpan['claude.cost_usd']);

    const shown = await ctl(s.sandbox, s.stateDir, ['show', secondId]);
    assert.equal(shown.exitCode, 0);
    assert.match(shown.stdout.toString(), /^no spans stored for this session \(sampling may have dropped them, or a damaged chunk was skipped\)$/m);
    // Finding the session reads every meta.json, so the first run's is reported again.
    assert.equal(
      shown.stderr,
      `claude-otel-ctl: warning: skipped ${join(firstDir, 'meta.json')}: it is not valid JSON (truncated or corrupt)\n` +
        `claude-otel-ctl: warning: skipped ${join(secondDir, 'chunk-0001.json')}: it is not valid JSON (truncated or corrupt)\n`,
    );

    const stats = await ctl(s.sandbox, s.stateDir, ['stats']);
    assert.equal(stats.exitCode, 0);
    assert.match(stats.stdout.toString(), /: 2 sessions/);
    assert.equal(stats.stderr.trimEnd().split('\n').length, 2, stats.stderr);
    assert.ok(
      stats.stderr
        .split('\n')
        .filter(Boolean)
        .every((l) => l.startsWith('claude-otel-ctl: warning: skipped ')),
    );
  } finally {
    await s.close();
  }
});

test('thousands of sessions reach a pipe whole, and a reader that stops early is no error', async () => {
  const shared = await toolSession();
  // A copy of the shared store, which this test adds to.
  const s: Store = { sandbox: shared.sandbox, stateDir: join(shared.sandbox.home, 'state-of-many') };
  cpSync(shared.stateDir, s.stateDir, { recursive: true });
  const [runDir] = runDirs(s.stateDir);
  assert.ok(runDir);
  // The same recorded run under 2,500 run ids: several megabytes of JSON, far more than a pipe holds.
  for (let i = 0; i < 2500; i += 1) cpSync(join(runDir, 'meta.json'), join(s.stateDir, 'sessions', `copy-${String(i).padStart(4, '0')}`, 'meta.json'));
  const listed = JSON.parse(await ctlOk(s, ['sessions', '--json'])) as SessionJson[];
  assert.equal(listed.length, 2501);
  assert.equal(((await ctlOk(s, ['sessions'])).split('\n\n')[0] ?? '').trimEnd().split('\n').length, 2502);
  const head = await runCommand('/bin/bash', ['-o', 'pipefail', '-c', `'${CTL_BIN}' sessions --json | head -c 100 >/dev/null`], {
    sandbox: s.sandbox,
    env: { CLAUDE_OTEL_STATE_DIR: s.stateDir },
  });
  assert.equal(head.exitCode, 0, head.stderr);
  assert.equal(head.stderr, '');

  // import --follow too ends quietly once its reader goes away, instead of crashing on EPIPE.
  const configDir = join(s.sandbox.home, 'claude-config');
  cpSync(new URL('../fixtures/transcripts/print-2.1.197-resumed', import.meta.url), join(configDir, 'projects', '-home-user-project'), { recursive: true });
  const follow = await runCommand('/bin/bash', ['-o', 'pipefail', '-c', `'${CTL_BIN}' import --dry-run --follow --poll-every 100 | head -c 1 >/dev/null`], {
    sandbox: s.sandbox,
    env: { CLAUDE_OTEL_STATE_DIR: s.stateDir, CLAUDE_CONFIG_DIR: configDir },
  });
  assert.equal(follow.exitCode, 0, follow.stderr);
  assert.equal(follow.stderr, '');

  // A full disk is a failure, said in one line, and nothing claims to have been written.
  for (const args of ['sessions', 'report --html -', 'export last --otlp-json -']) {
    const full = await runCommand('/bin/bash', ['-c', `'${CTL_BIN}' ${args} > /dev/full`], { sandbox: s.sandbox, env: { CLAUDE_OTEL_STATE_DIR: s.stateDir } });
    assert.equal(full.exitCode, 1, args);
    assert.equal(full.stderr, 'claude-otel-ctl: cannot write to stdout: no space left on the device (ENOSPC)\n', args);
  }
});

test('CLAUDE_OTEL_STORE=off keeps no session; the commands say nothing is recorded yet', async () => {
  const s = await startScenario([{ kind: 'text', text: 'not kept' }]);
  try {
    const run = await s.wrapper(['-p', 'keep nothing'], { env: { ...NO_COLLECTOR, CLAUDE_OTEL_STORE: 'off' } });
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(run.stdout.toString(), 'not kept\n');
    // The store keeps nothing; the wrapper's debug log (export failures) may still be there.
    const left = existsSync(s.stateDir) ? readdirSync(s.stateDir) : [];
    assert.deepEqual(
      left.filter((f) => f !== 'claude-otel.log'),
      [],
    );
    const message = `no sessions recorded yet (state dir: ${s.stateDir})\n`;
    assert.equal(await ctlOk(s, ['sessions']), message);
    assert.equal(await ctlOk(s, ['stats']), message);
    assert.equal(await ctlOk(s, ['show', 'last']), message);
  } finally {
    await s.close();
  }
});

test('an empty or missing store: a friendly message and exit 0; JSON output stays JSON', async () => {
  const sandbox = await makeSandbox({ apiUrl: 'http://127.0.0.1:9' });
  try {
    const missing = join(sandbox.home, 'never-created');
    const message = `no sessions recorded yet (state dir: ${missing})\n`;
    for (const args of [['sessions'], ['stats'], ['show', 'last'], ['sessions', '--errors', '--since', '1h']]) {
      const r = await ctl(sandbox, missing, args);
      assert.equal(r.exitCode, 0, `${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout.toString(), message, args.join(' '));
      assert.equal(r.stderr, '');
    }
    const json = await ctl(sandbox, missing, ['sessions', '--json']);
    assert.equal(json.exitCode, 0);
    assert.deepEqual(JSON.parse(json.stdout.toString()), []);
    assert.equal(json.stderr, `claude-otel-ctl: ${message}`);
    // --state-dir wins over the environment.
    const viaOption = await runCommand(CTL_BIN, ['sessions', '--state-dir', missing], { sandbox });
    assert.equal(viaOption.stdout.toString(), message);
    // Without either, the wrapper's default under HOME.
    const byDefault = await runCommand(CTL_BIN, ['sessions'], { sandbox });
    assert.equal(byDefault.stdout.toString(), `no sessions recorded yet (state dir: ${join(sandbox.home, '.local', 'state', 'claude-otel')})\n`);
    // A particular session that is not there is not found.
    const named = await ctl(sandbox, missing, ['show', 'abc']);
    assert.equal(named.exitCode, 1);
    assert.equal(named.stderr, `claude-otel-ctl: no session matches "abc": ${message}`);
    assert.equal(existsSync(missing), false, 'looking creates nothing');
  } finally {
    await sandbox.cleanup();
  }
});
