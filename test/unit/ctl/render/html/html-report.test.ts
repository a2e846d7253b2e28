import { test } from 'node:test';
import assert from 'node:assert/strict';
import { daysOfPeriod, renderHtmlReport } from '../../../../../src/ctl/render/html/html-report.ts';
import { computeStats } from '../../../../../src/ctl/views/session-stats.ts';
import { buildWaterfall } from '../../../../../src/ctl/views/waterfall.ts';
import type { SessionRecord } from '../../../../../src/ctl/views/session-record.ts';
import type { StoredSpan } from '../../../../../src/ctl/views/stored-spans.ts';

// Text in the store comes from prompts and tool inputs; none of it may become markup.

const EVIL = `<script>alert(1)</script><img src=x onerror="alert(2)">'&`;
const T0 = 1_800_000_000_000;

const record: SessionRecord = {
  runId: `run-"><b>`,
  dir: '/nowhere',
  traceId: '',
  sessionId: `sess-${EVIL}`,
  mode: 'print',
  model: `model-${EVIL}`,
  version: '2.1.197',
  startTime: T0,
  ended: true,
  endTime: T0 + 1000,
  exitCode: 3,
  prompts: 1,
  toolCalls: 1,
  toolErrors: 1,
  inputTokens: 1,
  outputTokens: 2,
  cacheReadTokens: 3,
  cacheCreationTokens: 4,
  costUsd: 0.5,
  isError: true,
  interrupted: false,
  promptPreview: `prompt ${EVIL}`,
  chunks: 1,
  delivered: false,
  figuresFrom: 'meta',
};

const spans: StoredSpan[] = [
  { traceId: 't', spanId: 'root', parentSpanId: '', name: 'claude.session', kind: 1, startMs: T0, endMs: T0 + 1000, attributes: {}, statusCode: 0 },
  {
    traceId: 't',
    spanId: 'tool',
    parentSpanId: 'root',
    name: `execute_tool ${EVIL}`,
    kind: 1,
    startMs: T0 + 100,
    endMs: T0 + 200,
    attributes: { 'gen_ai.tool.name': `tool-${EVIL}`, 'claude.tool.input_summary': `echo ${EVIL}` },
    statusCode: 2,
    statusMessage: `failed ${EVIL}`,
  },
  {
    traceId: 't',
    spanId: 'chat',
    parentSpanId: 'root',
    name: 'chat m',
    kind: 3,
    startMs: T0 + 300,
    endMs: T0 + 400,
    attributes: { 'gen_ai.request.model': `m-${EVIL}`, 'claude.cost_usd': 0.5 },
    statusCode: 0,
  },
];

test('every piece of stored text is escaped, in text and in attributes', () => {
  const html = renderHtmlReport({
    generatedAt: T0,
    scope: `scope ${EVIL}`,
    stats: computeStats([{ figures: record, spans }]),
    sessions: [{ record, shortId: 'sess-<i>', tree: buildWaterfall(spans) }],
  });
  assert.doesNotMatch(html, /<script|<img|<b>|<i>|onerror="/i);
  assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(2)&quot;&gt;&#39;&amp;'));
  assert.ok(html.includes('echo &lt;script&gt;'), 'the tool input is shown');
  assert.ok(html.includes('failed &lt;script&gt;'), 'the error is shown');
  assert.ok(html.includes('tool-&lt;script&gt;'), 'the tool name is shown, in the chart too');
});

test('the report stands alone: no script, no external reference, a policy that forbids fetches', () => {
  const html = renderHtmlReport({
    generatedAt: T0,
    scope: 'x',
    stats: computeStats([{ figures: record, spans }]),
    sessions: [{ record, shortId: 's', tree: buildWaterfall(spans) }],
  });
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">/);
  assert.doesNotMatch(html, /https?:\/\/|\/\/[a-z]|<script|<link|<iframe|<object|@import|url\(/i);
  for (const [tag] of html.matchAll(/<[a-z][^>]*>/gi)) {
    // Attribute values are escaped text; only the attribute names say what a tag loads.
    assert.doesNotMatch(tag.replace(/"[^"]*"/g, '""'), /\s(src|srcset|action|formaction|poster|background|data)=/i, tag);
  }
  for (const [, href] of html.matchAll(/href="([^"]*)"/g)) assert.match(href ?? '', /^#/, 'links stay in the page');
  assert.ok((html.match(/<svg /g) ?? []).length >= 4, 'the figures are drawn as inline SVG');
});

test('a session the collector did not take is "not delivered"; one imported without --export, "not sent"', () => {
  const imported: SessionRecord = { ...record, runId: 'run-imported', source: 'transcript' };
  const failed: SessionRecord = { ...imported, runId: 'run-failed', deliveryFailure: { reason: 'connection refused', timeMs: T0 } };
  const html = renderHtmlReport({
    generatedAt: T0,
    scope: 'x',
    stats: computeStats([]),
    sessions: [record, imported, failed].map((r) => ({ record: r, shortId: r.runId, tree: [] })),
  });
  const facts = (runId: string) => html.match(new RegExp(`id="s-${runId}">.*?<p class="muted">([^<]*)</p>`))?.[1] ?? '';
  assert.match(facts('run-imported'), / · not sent$/);
  assert.match(facts('run-failed'), / · not delivered$/);
  assert.match(facts('run-&quot;&gt;&lt;b&gt;'), / · not delivered$/, 'a wrapper run');
});

test('an empty period still gives a page that says so', () => {
  const html = renderHtmlReport({
    generatedAt: T0,
    scope: 'sessions since then',
    stats: computeStats([]),
    sessions: [],
    emptyMessage: 'No sessions recorded yet.',
  });
  assert.match(html, /<p>No sessions recorded yet\.<\/p>/);
  assert.doesNotMatch(html, /<svg /);
});

test('cost per day: the quiet days of a short period are drawn as zero columns', () => {
  const stats = computeStats([{ figures: { ...record, startTime: new Date(2026, 2, 28, 9).getTime() }, spans: [] }]);
  const days = daysOfPeriod(stats, { from: new Date(2026, 2, 26, 15).getTime(), to: new Date(2026, 2, 30, 8).getTime() });
  assert.deepEqual(
    days.map((d) => [d.day, d.costUsd]),
    [
      ['2026-03-26', 0],
      ['2026-03-27', 0],
      ['2026-03-28', 0.5],
      ['2026-03-29', 0],
      ['2026-03-30', 0],
    ],
  );
  const long = daysOfPeriod(stats, { from: new Date(2025, 0, 1).getTime(), to: new Date(2026, 2, 30).getTime() });
  assert.deepEqual(long, stats.costPerDay, 'a long period shows only the days with sessions');
});
