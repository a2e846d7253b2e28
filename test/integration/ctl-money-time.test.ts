import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CTL_BIN } from '../support/scenario.ts';
import { makeSandbox, runCommand } from '../support/claude-run.ts';
import type { RunResult, Sandbox } from '../support/claude-run.ts';
import { fixtureRunId, writeFixtureSession } from '../support/store-fixture.ts';
import type { FixtureSpan } from '../support/store-fixture.ts';
import { decodePng } from '../support/png-pixels.ts';
import type { DecodedPng } from '../support/png-pixels.ts';

// The views of where the money and the time went (sessions' repo@branch and filters, show's
// summary lines and marks, stats --by, the report's sections), run as the built binary on a
// store holding three sessions with every attribute those views read: an interactive one in
// alpha@main with a cache rebuild and a compaction, a print one in alpha@feature, and an older
// one outside any repository, recorded before cost components existed.

const MIN = 60_000;
const NOW = Date.now();
const A0 = NOW - 2 * 60 * MIN;
const B0 = NOW - 60 * MIN;
const C0 = NOW - 26 * 60 * MIN;
const REV = { a1: 'a'.repeat(40), a2: 'b'.repeat(40), b1: 'c'.repeat(40), b2: 'd'.repeat(40) };

function chatAttributes(
  model: string,
  input: number,
  cacheRead: number,
  cacheWrite: number,
  output: number,
  cost: number,
  parts?: [number, number, number, number],
): Record<string, string | number | boolean> {
  return {
    'gen_ai.operation.name': 'chat',
    'gen_ai.request.model': model,
    'gen_ai.response.model': model,
    'gen_ai.usage.input_tokens': input + cacheRead + cacheWrite,
    'gen_ai.usage.output_tokens': output,
    'gen_ai.usage.cache_read.input_tokens': cacheRead,
    'gen_ai.usage.cache_creation.input_tokens': cacheWrite,
    'claude.cost_usd': cost,
    ...(parts
      ? {
          'claude.cost.input_usd': parts[0],
          'claude.cost.output_usd': parts[1],
          'claude.cost.cache_read_usd': parts[2],
          'claude.cost.cache_write_usd': parts[3],
        }
      : {}),
  };
}

const OPUS = 'claude-opus-4-8';
const HAIKU = 'claude-haiku-4-5';

// Session A: 10 minutes, interactive; 3 calls (the third a rebuild after a 5-minute pause), a Bash call that waited 5 s for permission.
const A_SPANS: FixtureSpan[] = [
  {
    name: 'claude.session',
    startMs: A0,
    endMs: A0 + 10 * MIN,
    attributes: {
      'session.id': 'aaaaaaaa-1111-4111-8111-111111111111',
      'claude.mode': 'interactive',
      'claude.version': '2.1.197',
      'gen_ai.request.model': OPUS,
      'process.exit.code': 0,
      'gen_ai.usage.input_tokens': 3000 + 6000 + 3000,
      'gen_ai.usage.output_tokens': 900,
      'gen_ai.usage.cache_read.input_tokens': 6000,
      'gen_ai.usage.cache_creation.input_tokens': 3000,
      'claude.cost_usd': 1.5,
      'claude.cost.input_usd': 0.1,
      'claude.cost.output_usd': 0.4,
      'claude.cost.cache_read_usd': 0.2,
      'claude.cost.cache_write_usd': 0.8,
      'claude.cache.hit_ratio': 0.5,
      'claude.cache.rebuilds': 1,
      'claude.cache.rebuild_cost_usd': 0.6,
      'claude.compactions': 1,
      'claude.session.user_wait_ms': 300_000,
      'claude.session.active_ms': 280_000,
      'vcs.repository.url.full': 'https://example.invalid/org/alpha',
      'vcs.repository.name': 'alpha',
      'vcs.ref.head.name': 'main',
      'vcs.ref.head.revision': REV.a1,
      'claude.git.revision.end': REV.a2,
      'claude.git.commits': 2,
      'claude.git.dirty': true,
      'claude.git.worktree': false,
    },
  },
  {
    name: 'invoke_agent claude-code',
    parent: 0,
    startMs: A0 + 10_000,
    endMs: A0 + 100_000,
    attributes: { 'claude.prompt.index': 1, 'claude.turn.user_wait_ms': 10_000 },
  },
  {
    name: `chat ${OPUS}`,
    parent: 1,
    startMs: A0 + 11_000,
    endMs: A0 + 41_000,
    attributes: chatAttributes(OPUS, 1000, 2000, 1000, 300, 0.4, [0.03, 0.13, 0.04, 0.2]),
  },
  {
    name: 'execute_tool Bash',
    parent: 1,
    startMs: A0 + 41_000,
    endMs: A0 + 61_000,
    attributes: {
      'gen_ai.tool.name': 'Bash',
      'claude.tool.input_summary': 'git commit -am wip',
      'claude.tool.exit_code': 0,
      'claude.tool.permission_wait_ms': 5000,
    },
  },
  {
    name: `chat ${OPUS}`,
    parent: 1,
    startMs: A0 + 61_000,
    endMs: A0 + 91_000,
    attributes: chatAttributes(OPUS, 1000, 4000, 0, 300, 0.2, [0.03, 0.13, 0.04, 0]),
  },
  {
    name: 'invoke_agent claude-code',
    parent: 0,
    startMs: A0 + 400_000,
    endMs: A0 + 590_000,
    attributes: { 'claude.prompt.index': 2, 'claude.turn.user_wait_ms': 300_000 },
    events: [
      {
        name: 'claude.compaction',
        timeMs: A0 + 400_500,
        attributes: { 'claude.compaction.trigger': 'auto', 'claude.compaction.pre_tokens': 150_000, 'claude.compaction.post_tokens': 30_000 },
      },
    ],
  },
  {
    name: `chat ${OPUS}`,
    parent: 5,
    startMs: A0 + 401_000,
    endMs: A0 + 461_000,
    attributes: { ...chatAttributes(OPUS, 1000, 0, 2000, 300, 0.9, [0.04, 0.14, 0.12, 0.6]), 'claude.cache.rebuild': true },
  },
];

const B_SPANS: FixtureSpan[] = [
  {
    name: 'claude.session',
    startMs: B0,
    endMs: B0 + 20_000,
    attributes: {
      'session.id': 'bbbbbbbb-2222-4222-8222-222222222222',
      'claude.mode': 'print',
      'gen_ai.request.model': HAIKU,
      'process.exit.code': 0,
      'claude.cost_usd': 0.02,
      'claude.cost.input_usd': 0.005,
      'claude.cost.output_usd': 0.01,
      'claude.cost.cache_read_usd': 0.001,
      'claude.cost.cache_write_usd': 0.004,
      'claude.cache.rebuilds': 0,
      'claude.cache.rebuild_cost_usd': 0,
      'claude.compactions': 0,
      'vcs.repository.name': 'alpha',
      'vcs.ref.head.name': 'feature',
      'vcs.ref.head.revision': REV.b1,
      'claude.git.revision.end': REV.b2,
      'claude.git.commits': 1,
      'claude.git.worktree': true,
    },
  },
  { name: 'invoke_agent claude-code', parent: 0, startMs: B0, endMs: B0 + 19_000, attributes: { 'claude.prompt.index': 1 } },
  {
    name: `chat ${HAIKU}`,
    parent: 1,
    startMs: B0 + 1000,
    endMs: B0 + 6000,
    attributes: chatAttributes(HAIKU, 200, 100, 100, 50, 0.02, [0.005, 0.01, 0.001, 0.004]),
  },
];

const C_SPANS: FixtureSpan[] = [
  {
    name: 'claude.session',
    startMs: C0,
    endMs: C0 + 30_000,
    attributes: {
      'session.id': 'cccccccc-3333-4333-8333-333333333333',
      'claude.mode': 'print',
      'gen_ai.request.model': OPUS,
      'process.exit.code': 0,
      'claude.cost_usd': 0.3,
    },
  },
  { name: 'invoke_agent claude-code', parent: 0, startMs: C0, endMs: C0 + 29_000, attributes: { 'claude.prompt.index': 1 } },
  { name: `chat ${OPUS}`, parent: 1, startMs: C0 + 1000, endMs: C0 + 11_000, attributes: chatAttributes(OPUS, 500, 0, 500, 100, 0.3) },
];

function meta(
  sessionId: string,
  mode: string,
  model: string,
  start: number,
  end: number,
  costUsd: number,
  tokens: [number, number, number, number],
  git?: Record<string, unknown>,
): Record<string, unknown> {
  return {
    sessionId,
    mode,
    model,
    version: '2.1.197',
    startTime: start,
    endTime: end,
    exitCode: 0,
    prompts: 1,
    toolCalls: 0,
    toolErrors: 0,
    inputTokens: tokens[0],
    outputTokens: tokens[1],
    cacheReadTokens: tokens[2],
    cacheCreationTokens: tokens[3],
    costUsd,
    isError: false,
    interrupted: false,
    ...(git ? { git } : {}),
  };
}

let sandbox: Sandbox;
let stateDir: string;
let work: string;

before(async () => {
  sandbox = await makeSandbox({ apiUrl: 'http://127.0.0.1:9' });
  stateDir = join(sandbox.home, 'state');
  work = mkdtempSync(join(tmpdir(), 'claude-otel-money-'));
  writeFixtureSession(stateDir, {
    runId: fixtureRunId(A0, 1),
    meta: meta('aaaaaaaa-1111-4111-8111-111111111111', 'interactive', OPUS, A0, A0 + 10 * MIN, 1.5, [3000, 900, 6000, 3000], {
      repositoryName: 'alpha',
      repositoryUrl: 'https://example.invalid/org/alpha',
      branch: 'main',
      revision: REV.a1,
      revisionEnd: REV.a2,
      commits: 2,
      dirty: true,
      worktree: false,
    }),
    spans: A_SPANS,
  });
  writeFixtureSession(stateDir, {
    runId: fixtureRunId(B0, 2),
    meta: meta('bbbbbbbb-2222-4222-8222-222222222222', 'print', HAIKU, B0, B0 + 20_000, 0.02, [200, 50, 100, 100], {
      repositoryName: 'alpha',
      repositoryUrl: 'https://example.invalid/org/alpha',
      branch: 'feature',
      revision: REV.b1,
      revisionEnd: REV.b2,
      commits: 1,
      worktree: true,
    }),
    spans: B_SPANS,
  });
  writeFixtureSession(stateDir, {
    runId: fixtureRunId(C0, 3),
    meta: meta('cccccccc-3333-4333-8333-333333333333', 'print', OPUS, C0, C0 + 30_000, 0.3, [500, 100, 0, 500]),
    spans: C_SPANS,
  });
});

after(async () => {
  await sandbox.cleanup();
  rmSync(work, { recursive: true, force: true });
});

function ctl(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  return runCommand(CTL_BIN, args, { sandbox, env: { CLAUDE_OTEL_STATE_DIR: stateDir, ...env } });
}

async function ctlOk(args: string[]): Promise<string> {
  const run = await ctl(args);
  assert.equal(run.exitCode, 0, `${args.join(' ')}: ${run.stderr}`);
  assert.equal(run.stderr, '', args.join(' '));
  return run.stdout.toString();
}

const near = (a: number | null | undefined, b: number): boolean => a !== null && a !== undefined && Math.abs(a - b) < 1e-9;

test('sessions: repo@branch in the table, --repo and --branch filters, git fields in --json', async () => {
  const table = await ctlOk(['sessions']);
  // The table, then a note on the sessions not delivered (no collector took these).
  const rows = (table.split('\n\n')[0] ?? '').trimEnd().split('\n').slice(1);
  assert.deepEqual(
    rows.map((r) => r.split(/\s{2,}/)[3]),
    ['org/alpha@feature', 'org/alpha@main', '-'],
  );
  const ids = async (args: string[]) => (JSON.parse(await ctlOk(['sessions', '--json', ...args])) as { shortId: string }[]).map((s) => s.shortId);
  assert.deepEqual(await ids(['--repo', 'alpha']), ['bbbbbbbb', 'aaaaaaaa']);
  assert.deepEqual(await ids(['--repo', 'ALPHA']), ['bbbbbbbb', 'aaaaaaaa']);
  assert.deepEqual(await ids(['--repo', 'org/alpha']), ['bbbbbbbb', 'aaaaaaaa']);
  assert.deepEqual(await ids(['--branch', 'main']), ['aaaaaaaa']);
  assert.deepEqual(await ids(['--repo', 'alpha', '--branch', 'feature']), ['bbbbbbbb']);
  assert.deepEqual(await ids(['--branch', 'nope']), []);
  const [b, a, c] = JSON.parse(await ctlOk(['sessions', '--json'])) as { git: Record<string, unknown> | null }[];
  assert.deepEqual(a?.git, {
    repository: 'alpha',
    repositoryUrl: 'https://example.invalid/org/alpha',
    branch: 'main',
    revision: REV.a1,
    revisionEnd: REV.a2,
    commits: 2,
    dirty: true,
    worktree: false,
  });
  assert.deepEqual(b?.git, {
    repository: 'alpha',
    repositoryUrl: 'https://example.invalid/org/alpha',
    branch: 'feature',
    revision: REV.b1,
    revisionEnd: REV.b2,
    commits: 1,
    dirty: null,
    worktree: true,
  });
  assert.equal(c?.git, null);
  const missingValue = await ctl(['sessions', '--repo']);
  assert.equal(missingValue.exitCode, 2);
  assert.equal(missingValue.stderr.trimEnd().split('\n').length, 1);
});

test('show: repository, branch, commits, cache hit ratio, rebuilds, active against waiting time; rebuild and compaction marked', async () => {
  const shown = await ctlOk(['show', 'aaaaaaaa', '--width', '140']);
  const lines = shown.split('\n');
  assert.ok(
    lines.includes(
      'repository org/alpha · branch main · 2 commits made (aaaaaaa → bbbbbbb) · uncommitted changes at start · https://example.invalid/org/alpha',
    ),
    shown,
  );
  assert.ok(lines.includes('cache hit 50.0% · 1 cache rebuild ($0.6000) · 1 compaction · active 4m40s · waiting on you 5m00s'), shown);
  assert.ok(lines.includes('cost by component: input $0.1000 · output $0.4000 · cache read $0.2000 · cache write $0.8000'), shown);
  const rebuildRows = lines.filter((l) => l.includes('[cache rebuild]'));
  assert.equal(rebuildRows.length, 1, shown);
  assert.match(rebuildRows[0] ?? '', /^\s+6m41s\s+1m00s\s+│?\s*└ \[cache rebuild\] chat claude-opus-4-8\s+3,000\/300\s/);
  const compaction = lines.find((l) => l.includes('◆ compaction'));
  assert.match(compaction ?? '', /^\s+6m41s\s+0ms\s+.*◆ compaction auto, 150,000 → 30,000 tokens/);

  const b = await ctlOk(['show', 'bbbbbbbb', '--width', '160']);
  assert.match(b, /^repository org\/alpha · branch feature · 1 commit made \(ccccccc → ddddddd\) · linked worktree · https:\/\/example\.invalid\/org\/alpha$/m);
  assert.match(b, /^cache hit 25.0% · 0 cache rebuilds · 0 compactions$/m, 'print mode: no active or waiting time');
  const c = await ctlOk(['show', 'cccccccc']);
  assert.doesNotMatch(c, /repository|cost by component/, 'nothing recorded, nothing shown');

  const json = JSON.parse(await ctlOk(['show', 'aaaaaaaa', '--json'])) as {
    costAndTime: {
      cost: Record<string, number>;
      rebuilds: number;
      rebuildCostUsd: number;
      cacheHitRatio: number;
      compactions: number;
      activeMs: number;
      waitingMs: number;
      time: Record<string, number>;
    };
    spans: { children: { children: { role: string; label: string; rebuild?: boolean; detail?: string }[] }[] }[];
  };
  assert.deepEqual(json.costAndTime.cost, { input: 0.1, output: 0.4, cacheRead: 0.2, cacheWrite: 0.8 });
  assert.equal(json.costAndTime.rebuilds, 1);
  assert.equal(json.costAndTime.compactions, 1);
  // Model: 30 + 30 + 60 s; tools: 20 s less 5 s of permission; waiting 300 s; the rest of 600 s.
  assert.deepEqual(json.costAndTime.time, { modelMs: 120_000, toolsMs: 15_000, waitingMs: 300_000, otherMs: 165_000 });
  const second = json.spans[0]?.children[1]?.children ?? [];
  assert.deepEqual(
    second.map((n) => [n.role, n.rebuild ?? false]),
    [
      ['compaction', false],
      ['chat', true],
    ],
  );
  assert.equal(second[0]?.detail, 'auto, 150,000 → 30,000 tokens');
});

interface Group {
  key: string;
  sessions: number;
  calls: number;
  costUsd: number;
  cost: Record<string, number> | null;
  cacheHitRatio: number | null;
  rebuilds: number;
  rebuildCostUsd: number;
  commits: number | null;
  durationMs: number | null;
  tokens: { total: number };
}

function localDay(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

test('stats --by repo, branch, model and day: JSON figures and tables', async () => {
  const groups = async (by: string) => {
    const out = JSON.parse(await ctlOk(['stats', '--by', by, '--json'])) as { by: string; sessions: { count: number }; groups: Group[] };
    assert.equal(out.by, by);
    assert.equal(out.sessions.count, 3);
    return out.groups;
  };
  const byRepo = await groups('repo');
  assert.deepEqual(
    byRepo.map((g) => [g.key, g.sessions, g.calls, g.commits]),
    [
      ['org/alpha', 2, 4, 3],
      ['(no repository)', 1, 1, null],
    ],
  );
  const alpha = byRepo[0];
  assert.ok(near(alpha?.costUsd, 1.52));
  assert.ok(
    near(alpha?.cost?.input, 0.105) && near(alpha?.cost?.output, 0.41) && near(alpha?.cost?.cacheRead, 0.201) && near(alpha?.cost?.cacheWrite, 0.804),
    JSON.stringify(alpha?.cost),
  );
  assert.equal(alpha?.rebuilds, 1);
  assert.ok(near(alpha?.rebuildCostUsd, 0.6));
  assert.equal(alpha?.durationMs, 10 * MIN + 20_000);
  assert.ok(near(alpha?.cacheHitRatio, 6100 / 12400));
  assert.equal(byRepo[1]?.cost, null, 'recorded before cost components');

  assert.deepEqual(
    (await groups('branch')).map((g) => [g.key, g.sessions, g.commits]),
    [
      ['org/alpha@main', 1, 2],
      ['(no repository)', 1, null],
      ['org/alpha@feature', 1, 1],
    ],
  );

  const byModel = await groups('model');
  assert.deepEqual(
    byModel.map((g) => [g.key, g.sessions, g.calls, g.rebuilds, g.commits, g.durationMs]),
    [
      [OPUS, 2, 4, 1, null, null],
      [HAIKU, 1, 1, 0, null, null],
    ],
  );
  assert.ok(near(byModel[0]?.costUsd, 0.4 + 0.2 + 0.9 + 0.3));
  assert.ok(near(byModel[0]?.cost?.cacheWrite, 0.8), "C's call has no components and adds none");
  assert.ok(near(byModel[0]?.rebuildCostUsd, 0.6));

  const byDay = await groups('day');
  const days = [...new Set([localDay(C0), localDay(A0), localDay(B0)])];
  assert.deepEqual(
    byDay.map((g) => g.key),
    days,
  );
  assert.equal(
    byDay.reduce((n, g) => n + g.sessions, 0),
    3,
  );

  const table = await ctlOk(['stats', '--by', 'repo']);
  const [headlineLine, blank, header, ...rows] = table.trimEnd().split('\n');
  assert.match(headlineLine ?? '', /: 3 sessions \(0 with errors\)/);
  assert.equal(blank, '');
  assert.match(
    header ?? '',
    /^repository\s+sessions\s+calls\s+tokens\s+cache hit\s+rebuilds\s+input \$\s+output \$\s+cache read \$\s+cache write \$\s+cost\s+commits\s+time$/,
  );
  assert.deepEqual(rows[0]?.split(/\s{2,}/), [
    'org/alpha',
    '2',
    '4',
    '13,350',
    '49.2%',
    '1 ($0.6000)',
    '$0.1050',
    '$0.4100',
    '$0.2010',
    '$0.8040',
    '$1.52',
    '3',
    '10m20s',
  ]);
  assert.deepEqual(rows[1]?.split(/\s{2,}/), ['(no repository)', '1', '1', '1,100', '0.0%', '0', '-', '-', '-', '-', '$0.3000', '-', '30.00s']);
  const modelTable = await ctlOk(['stats', '--by', 'model']);
  assert.match(modelTable, /^model\s+sessions\s+calls\s+tokens\s+cache hit\s+rebuilds\s+input \$\s+output \$\s+cache read \$\s+cache write \$\s+cost$/m);

  const bad = await ctl(['stats', '--by', 'colour']);
  assert.equal(bad.exitCode, 2);
  assert.match(bad.stderr, /argument 'colour' is invalid\. Allowed choices are repo, branch, model, day/);
  assert.equal(bad.stderr.trimEnd().split('\n').length, 1);
});

test('report: "where the money went" and "where the time went"', async () => {
  const file = join(work, 'report.html');
  await ctlOk(['report', '--html', file]);
  const html = readFileSync(file, 'utf8');
  assert.match(html, /<h2>Where the money went<\/h2>/);
  assert.match(html, /<h2>Where the time went<\/h2>/);
  // The cost by component over all three sessions (C adds none), what the rebuild cost, and by repository.
  assert.match(html, /<td>cache write<\/td><td class="num">\$0\.8040<\/td>/);
  assert.match(html, /<td>of which cache rebuilds<\/td><td class="num">\$0\.6000<\/td>/);
  assert.match(html, /aria-label="Cost by repository"/);
  assert.ok(html.includes('(no repository)') && html.includes('>org/alpha<'), 'every repository in the chart');
  // Time: A's 2 min of model calls, 15 s of tools, 5 min waiting; B's 5 s of model.
  assert.match(html, /<div class="muted">waiting on the person<\/div><div class="value">5m00s<\/div>/);
  assert.match(html, /aria-label="Time by session"/);
  assert.match(html, /aaaaaaaa org\/alpha@main/);
  assert.match(html, /<tr class="chat rebuild">/);
  assert.match(html, /<tr class="compaction">/);
});

function pixelsNear(png: DecodedPng, hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
  let n = 0;
  for (let i = 0; i < png.width * png.height; i += 1) {
    if (Math.abs((png.rgba[i * 4] ?? 0) - r) <= 3 && Math.abs((png.rgba[i * 4 + 1] ?? 0) - g) <= 3 && Math.abs((png.rgba[i * 4 + 2] ?? 0) - b) <= 3) n += 1;
  }
  return n;
}

test("the report's new sections drawn by headless Chromium", async (t) => {
  const chromium = '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    t.skip(`${chromium} is not installed (apt-get install -y chromium): the HTML report was not rendered`);
    return;
  }
  const file = join(work, 'drawn.html');
  await ctlOk(['report', '--html', file]);
  const png = join(work, 'drawn.png');
  const shot = await runCommand(
    chromium,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${join(work, 'profile')}`,
      `--screenshot=${png}`,
      '--window-size=1200,2400',
      `file://${file}`,
    ],
    { sandbox, timeoutMs: 60_000 },
  );
  assert.equal(shot.exitCode, 0, shot.stderr);
  const image = decodePng(readFileSync(png));
  // The cache-write share of the cost (amber) and the time spent waiting on the person (magenta).
  assert.ok(pixelsNear(image, '#f2a541') > 300, 'cache write bars');
  assert.ok(pixelsNear(image, '#c2417a') > 300, 'waiting bars');
  assert.ok(pixelsNear(image, '#3aa35b') > 30, 'tool time');
});
