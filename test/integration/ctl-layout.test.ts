import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CTL_BIN } from '../support/scenario.ts';
import { makeSandbox, runCommand } from '../support/claude-run.ts';
import type { RunResult, Sandbox } from '../support/claude-run.ts';
import { fixtureRunId, writeFixtureSession } from '../support/store-fixture.ts';
import type { FixtureSpan } from '../support/store-fixture.ts';
import { displayWidth } from '../../src/ctl/render/text/display-width.ts';

// The terminal views of the built binary on a store of two sessions in two repositories that
// share a name (acme/widgets and other/widgets): one with a Japanese prompt, an emoji in a
// command and claude's `<synthetic>` placeholder call, which the collector never took; one
// delivered. Columns line up by display width, nothing is cut inside a character, and the
// views say what did not reach the collector.

const MIN = 60_000;
const NOW = Date.now();
const A0 = NOW - 2 * 60 * MIN;
const B0 = NOW - 60 * MIN;
const OPUS = 'claude-opus-4-8';
const JA_PROMPT = 'テストを直して、失敗したテストの原因を説明してください 🎉';
const EMOJI_COMMAND = 'echo "🚀 デプロイ完了" && npm test';
const FAILURE = 'traces to http://127.0.0.1:4318/v1/traces: connection refused (nothing listens there)';

function chat(model: string, parent: number, start: number, end: number, input: number, output: number, cost: number): FixtureSpan {
  return {
    name: `chat ${model}`,
    parent,
    startMs: start,
    endMs: end,
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': model,
      'gen_ai.response.model': model,
      'gen_ai.usage.input_tokens': input,
      'gen_ai.usage.output_tokens': output,
      'claude.cost_usd': cost,
    },
  };
}

function spans(start: number, sessionId: string, prompt: string): FixtureSpan[] {
  return [
    {
      name: 'claude.session',
      startMs: start,
      endMs: start + 60_000,
      attributes: { 'session.id': sessionId, 'claude.mode': 'print', 'gen_ai.request.model': OPUS, 'process.exit.code': 0 },
    },
    {
      name: 'invoke_agent claude-code',
      parent: 0,
      startMs: start + 100,
      endMs: start + 59_000,
      attributes: { 'claude.prompt.index': 1, 'claude.prompt.preview': prompt },
    },
    chat(OPUS, 1, start + 1000, start + 11_000, 1200, 300, 0.25),
    {
      name: 'execute_tool Bash',
      parent: 1,
      startMs: start + 12_000,
      endMs: start + 20_000,
      attributes: {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'Bash',
        'claude.tool.input_summary': EMOJI_COMMAND,
        'claude.tool.exit_code': 0,
      },
    },
    chat('<synthetic>', 1, start + 21_000, start + 21_000, 0, 0, 0),
    chat(OPUS, 1, start + 22_000, start + 30_000, 1500, 200, 0.2),
  ];
}

function meta(sessionId: string, start: number, prompt: string, repositoryUrl: string): Record<string, unknown> {
  return {
    sessionId,
    mode: 'print',
    model: OPUS,
    version: '2.1.197',
    startTime: start,
    endTime: start + 60_000,
    exitCode: 0,
    prompts: 1,
    toolCalls: 1,
    toolErrors: 0,
    inputTokens: 2700,
    outputTokens: 500,
    cacheReadTokens: 0,
    cacheCreationTokens: 0,
    costUsd: 0.45,
    isError: false,
    interrupted: false,
    promptPreview: prompt,
    git: { repositoryName: 'widgets', repositoryUrl, branch: 'feature/日本語-layout', worktree: false },
  };
}

let sandbox: Sandbox;
let stateDir: string;

before(async () => {
  sandbox = await makeSandbox({ apiUrl: 'http://127.0.0.1:9' });
  stateDir = join(sandbox.home, 'state');
  const a = writeFixtureSession(stateDir, {
    runId: fixtureRunId(A0, 1),
    meta: meta('aaaaaaaa-1111-4111-8111-111111111111', A0, JA_PROMPT, 'https://github.com/acme/widgets'),
    spans: spans(A0, 'aaaaaaaa-1111-4111-8111-111111111111', JA_PROMPT),
  });
  // What the wrapper leaves when the collector refused the run's chunk.
  writeFileSync(join(a, 'delivery-failure'), `${FAILURE}\n`);
  const b = writeFixtureSession(stateDir, {
    runId: fixtureRunId(B0, 2),
    meta: meta('bbbbbbbb-2222-4222-8222-222222222222', B0, 'tidy the notes', 'https://gitlab.example.com/other/widgets'),
    spans: spans(B0, 'bbbbbbbb-2222-4222-8222-222222222222', 'tidy the notes'),
  });
  writeFileSync(join(b, 'chunk-0001.delivered'), new Date().toISOString());
});

after(async () => {
  await sandbox.cleanup();
});

function ctl(args: string[], env: Record<string, string | undefined> = {}): Promise<RunResult> {
  return runCommand(CTL_BIN, args, { sandbox, env: { CLAUDE_OTEL_STATE_DIR: stateDir, COLUMNS: undefined, ...env } });
}

async function ctlOk(args: string[], env: Record<string, string | undefined> = {}): Promise<string> {
  const run = await ctl(args, env);
  assert.equal(run.exitCode, 0, `${args.join(' ')}: ${run.stderr}`);
  assert.equal(run.stderr, '', args.join(' '));
  return run.stdout.toString();
}

/** A high surrogate without its pair, or a pair's second half alone: a character cut in two. */
const HALF_CHARACTER = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|\ufffd/;

test('stats --by repo: two repositories with the same name are two rows, keyed owner/name', async () => {
  const out = JSON.parse(await ctlOk(['stats', '--by', 'repo', '--json'])) as { groups: { key: string; sessions: number }[] };
  assert.deepEqual(out.groups.map((g) => [g.key, g.sessions]).sort(), [
    ['acme/widgets', 1],
    ['other/widgets', 1],
  ]);
  const table = await ctlOk(['stats', '--by', 'repo']);
  assert.match(table, /^acme\/widgets\s/m);
  assert.match(table, /^other\/widgets\s/m);
  const branches = JSON.parse(await ctlOk(['stats', '--by', 'branch', '--json'])) as { groups: { key: string }[] };
  assert.deepEqual(branches.groups.map((g) => g.key).sort(), ['acme/widgets@feature/日本語-layout', 'other/widgets@feature/日本語-layout']);
});

test('<synthetic> is no model: not in stats, --by model, the sessions list or the report', async () => {
  const stats = JSON.parse(await ctlOk(['stats', '--json'])) as { tokens: { model: string; calls: number }[]; costPerModel: { model: string }[] };
  assert.deepEqual(
    stats.tokens.map((t) => [t.model, t.calls]),
    [[OPUS, 4]],
  );
  assert.deepEqual(
    stats.costPerModel.map((m) => m.model),
    [OPUS],
  );
  const byModel = JSON.parse(await ctlOk(['stats', '--by', 'model', '--json'])) as { groups: { key: string; calls: number }[] };
  assert.deepEqual(
    byModel.groups.map((g) => [g.key, g.calls]),
    [[OPUS, 4]],
  );
  const byRepo = JSON.parse(await ctlOk(['stats', '--by', 'repo', '--json'])) as { groups: { calls: number }[] };
  assert.deepEqual(
    byRepo.groups.map((g) => g.calls),
    [2, 2],
    'model calls per repository leave the placeholder out',
  );
  for (const args of [['stats'], ['stats', '--by', 'model'], ['show', 'last', '--width', '160']]) {
    assert.doesNotMatch(await ctlOk(args), /synthetic/, args.join(' '));
  }
  const shown = await ctlOk(['show', 'aaaaaaaa', '--width', '160']);
  assert.match(shown, /chat \(no API call\)/);
  const report = join(sandbox.home, 'report.html');
  await ctlOk(['report', '--html', report]);
  assert.doesNotMatch(readFileSync(report, 'utf8'), /synthetic/);
});

test('sessions fits 100 columns by default with one id column; wider with --wide or a wide terminal', async () => {
  const table = await ctlOk(['sessions']);
  const lines = table.trimEnd().split('\n');
  for (const line of lines) assert.ok(displayWidth(line) <= 100, `${displayWidth(line)} columns: ${line}`);
  const header = lines[0] ?? '';
  assert.match(header, /^started\s+id\s+model\s+repo@branch\s+duration\s+tools\s+tokens\s+cost\s+status\s+sent$/);
  assert.doesNotMatch(table, /session id|aaaaaaaa-1111/, 'one id column: the short id');
  assert.match(table, /other\/widgets@feat/, 'the repository by owner/name');
  assert.doesNotMatch(table, HALF_CHARACTER);
  // The columns after the clipped ones line up by display width: the cost column ends at one column.
  const costEnds = lines.slice(1, 3).map((l) => displayWidth(l.slice(0, l.indexOf('$0.4500') + '$0.4500'.length)));
  assert.equal(costEnds[0], costEnds[1], table);
  assert.equal(displayWidth(header.slice(0, header.indexOf('cost') + 4)), costEnds[0], table);

  for (const [args, env] of [
    [['sessions', '--wide'], {}],
    [['sessions'], { COLUMNS: '220' }],
  ] as const) {
    const wide = await ctlOk([...args], env);
    const [wideHeader] = wide.split('\n');
    assert.match(
      wideHeader ?? '',
      /^started\s+session id\s+mode\s+model\s+repo@branch\s+duration\s+prompts\s+tools\s+errors\s+tokens\s+cost\s+exit\s+status\s+delivered$/,
      args.join(' '),
    );
    assert.match(wide, /aaaaaaaa-1111-4111-8111-111111111111/);
    assert.match(wide, /acme\/widgets@feature\/日本語-layout/);
  }
  // A narrower terminal: model and repo@branch give up more room, cut between characters.
  const narrow = await ctlOk(['sessions'], { COLUMNS: '90' });
  for (const line of narrow.trimEnd().split('\n')) assert.ok(displayWidth(line) <= 90, `${displayWidth(line)} columns: ${line}`);
  assert.doesNotMatch(narrow, HALF_CHARACTER);
});

test('sessions and show say which session the collector did not take, why, and what helps', async () => {
  const table = await ctlOk(['sessions']);
  const rows = table.split('\n');
  assert.match(rows.find((r) => r.includes('aaaaaaaa')) ?? '', /\sno$/);
  assert.match(rows.find((r) => r.includes('bbbbbbbb')) ?? '', /\syes$/);
  const note = (table.split('\n\n')[1] ?? '').replace(/\n/g, ' ');
  assert.match(
    note,
    /^1 session not delivered to the collector \(sent: no\); last attempt \d{4}-\d\d-\d\d \d\d:\d\d:\d\d: traces to http:\/\/127\.0\.0\.1:4318\/v1\/traces: connection refused/,
  );
  assert.match(note, /claude-otel-ctl doctor diagnoses the connection, claude-otel-ctl replay sends what waits/);

  const shown = await ctlOk(['show', 'aaaaaaaa', '--width', '300']);
  assert.match(
    shown,
    /^not delivered to the collector: last attempt .*: traces to http:\/\/127\.0\.0\.1:4318\/v1\/traces: connection refused \(nothing listens there\); claude-otel-ctl doctor diagnoses the connection, claude-otel-ctl replay sends what waits$/m,
  );
  assert.doesNotMatch(await ctlOk(['show', 'bbbbbbbb', '--width', '200']), /not delivered/);
  const json = JSON.parse(await ctlOk(['sessions', '--json'])) as { shortId: string; deliveryFailure: { reason: string } | null }[];
  assert.deepEqual(
    json.map((s) => [s.shortId, s.deliveryFailure?.reason ?? null]),
    [
      ['bbbbbbbb', null],
      ['aaaaaaaa', FAILURE],
    ],
  );
});

test('an imported session nobody sent is "not sent", with replay to send it, never blamed on the collector', async () => {
  const other = join(sandbox.home, 'imported-state');
  const failed = writeFixtureSession(other, {
    runId: fixtureRunId(A0, 3),
    meta: meta('aaaaaaaa-3333-4333-8333-333333333333', A0, 'run by the wrapper', 'https://github.com/acme/widgets'),
    spans: spans(A0, 'aaaaaaaa-3333-4333-8333-333333333333', 'run by the wrapper'),
  });
  writeFileSync(join(failed, 'delivery-failure'), `${FAILURE}\n`);
  // As `claude-otel-ctl import` without --export leaves a session: stored, no send tried.
  writeFixtureSession(other, {
    runId: fixtureRunId(B0, 4),
    meta: { ...meta('cccccccc-4444-4444-8444-444444444444', B0, 'from a transcript', 'https://github.com/acme/widgets'), source: 'transcript' },
    spans: spans(B0, 'cccccccc-4444-4444-8444-444444444444', 'from a transcript'),
  });
  const env = { CLAUDE_OTEL_STATE_DIR: other };

  const imported = await ctlOk(['sessions', '--source', 'transcript'], env);
  assert.match(imported.split('\n').find((r) => r.includes('cccccccc')) ?? '', /\sno$/);
  assert.equal(
    (imported.split('\n\n')[1] ?? '').replace(/\n/g, ' ').trim(),
    '1 imported session not sent (sent: no): imported without --export; claude-otel-ctl replay sends it',
  );
  const both = ((await ctlOk(['sessions'], env)).split('\n\n')[1] ?? '').replace(/\n/g, ' ').trim();
  assert.match(
    both,
    /^1 session not delivered to the collector \(sent: no\); last attempt .*connection refused .*claude-otel-ctl doctor diagnoses the connection/,
  );
  assert.match(both, /1 imported session not sent \(sent: no\): imported without --export; claude-otel-ctl replay sends it$/);

  const shown = await ctlOk(['show', 'cccccccc', '--width', '300'], env);
  assert.match(shown, / · not sent$/m);
  assert.match(shown, /^not sent: imported without --export; claude-otel-ctl replay sends it$/m);
  assert.doesNotMatch(shown, /not delivered|doctor/);
});

test('show: the header wraps between words to the width; the waterfall lines up a Japanese prompt and an emoji by display width', async () => {
  for (const width of [60, 80, 120]) {
    const shown = await ctlOk(['show', 'aaaaaaaa', '--width', String(width)]);
    assert.doesNotMatch(shown, HALF_CHARACTER, `width ${width}`);
    const [header = '', waterfall = ''] = shown.split('\n\n');
    const headerLines = header.split('\n');
    for (const line of headerLines) assert.ok(displayWidth(line) <= width, `width ${width}: ${displayWidth(line)} columns: ${line}`);
    // Wrapped at spaces: every word of the unwrapped header is still whole.
    const words = headerLines.join(' ').split(/\s+/);
    for (const word of ['session', 'aaaaaaaa-1111-4111-8111-111111111111', 'claude-opus-4-8', 'connection', 'refused', 'replay']) {
      assert.ok(words.includes(word), `width ${width}: "${word}" was cut: ${header}`);
    }
    const lines = waterfall.trimEnd().split('\n');
    const timeline = (line: string): number => {
      const at = line.search(/[·█]{5,}/);
      return at < 0 ? -1 : displayWidth(line.slice(0, at));
    };
    const headerAt = displayWidth((lines[0] ?? '').slice(0, (lines[0] ?? '').indexOf('timeline')));
    const rows = lines.slice(1).filter((l) => /[·█]{5,}/.test(l));
    assert.ok(rows.length >= 5, waterfall);
    for (const row of rows) assert.equal(timeline(row), headerAt, `width ${width}: the bar starts at column ${headerAt}:\n${waterfall}`);
    const prompt = rows.find((r) => r.includes('prompt 1')) ?? '';
    const bash = rows.find((r) => r.includes('Bash')) ?? '';
    assert.match(prompt, width >= 120 ? /テストを直して/ : /prompt 1/);
    assert.match(bash, /Bash/);
    if (width < 120) assert.match(prompt, /…/, 'the prompt is clipped with an ellipsis');
  }
  const wide = await ctlOk(['show', 'aaaaaaaa', '--width', '240']);
  assert.match(wide, /echo "🚀 デプロイ完了" && npm test/);
});

const CHROMIUM = '/usr/bin/chromium';

test('report: every chart label lies inside its chart in Chromium; a quiet day gets no "$0" label', async (t) => {
  const report = join(sandbox.home, 'charts.html');
  await ctlOk(['report', '--html', report, '--since', '3d']);
  const html = readFileSync(report, 'utf8');
  const charts = html.match(/<svg class="chart"[\s\S]*?<\/svg>/g) ?? [];
  assert.ok(
    charts.some((svg) => svg.includes('aria-label="Time by session"')),
    'the time-by-session chart is drawn',
  );
  // The cost per day over three days: two quiet ones, whose columns carry no "$0".
  const perDay = charts.find((svg) => svg.includes('aria-label="Cost per day"')) ?? '';
  assert.equal((perDay.match(/<rect /g) ?? []).length, 4, perDay);
  assert.doesNotMatch(perDay.replace(/<title>.*?<\/title>/g, ''), />\$0</, 'no $0 label');
  if (!existsSync(CHROMIUM)) {
    t.skip(`${CHROMIUM} is not installed: the labels were not measured`);
    return;
  }
  // The charts on a page of their own, with a script (the report has none) that measures each label.
  const page = join(sandbox.home, 'measure.html');
  writeFileSync(
    page,
    `<!doctype html><meta charset="utf-8"><body>${charts.join('')}<script>
const out = [];
for (const svg of document.querySelectorAll('svg')) {
  const [, , width, height] = svg.getAttribute('viewBox').split(' ').map(Number);
  for (const text of svg.querySelectorAll('text')) {
    const b = text.getBBox();
    out.push({ chart: svg.getAttribute('aria-label'), text: text.firstChild.textContent, left: b.x, right: b.x + b.width, width, top: b.y, bottom: b.y + b.height, height });
  }
}
document.body.setAttribute('data-measured', JSON.stringify(out));
</script>`,
  );
  const run = await runCommand(
    CHROMIUM,
    ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', `--user-data-dir=${join(sandbox.home, 'chromium')}`, '--dump-dom', `file://${page}`],
    { sandbox, timeoutMs: 60_000 },
  );
  assert.equal(run.exitCode, 0, run.stderr);
  const attribute = /data-measured="([^"]*)"/.exec(run.stdout.toString())?.[1] ?? '[]';
  const measured = JSON.parse(attribute.replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as {
    chart: string;
    text: string;
    left: number;
    right: number;
    width: number;
    top: number;
    bottom: number;
    height: number;
  }[];
  assert.ok(
    measured.some((m) => m.chart === 'Time by session' && m.text.includes('aaaaaaaa acme/widgets@')),
    attribute,
  );
  for (const m of measured) {
    assert.ok(m.left >= 0 && m.right <= m.width, `${m.chart}: "${m.text}" spans x ${m.left.toFixed(1)}..${m.right.toFixed(1)} of 0..${m.width}`);
    assert.ok(m.top >= 0 && m.bottom <= m.height, `${m.chart}: "${m.text}" spans y ${m.top.toFixed(1)}..${m.bottom.toFixed(1)} of 0..${m.height}`);
  }
});
