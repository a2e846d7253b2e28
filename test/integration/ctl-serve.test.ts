import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startScenario, ALLOW_TOOLS, CTL_BIN } from '../support/scenario.ts';
import type { Scenario } from '../support/scenario.ts';
import { runCommand, startCommand } from '../support/claude-run.ts';
import type { RunResult } from '../support/claude-run.ts';
import { startOtlpReceiver } from '../support/otlp-receiver.ts';
import type { ReceivedSpan } from '../support/otlp-receiver.ts';
import { git } from '../support/git-repo.ts';
import { httpRequest, startServe } from '../support/serve-process.ts';
import type { HttpAnswer, ServeProcess } from '../support/serve-process.ts';

// `claude-otel-ctl serve` over a store the real wrapper recorded: every route with its filters and
// errors, the spans read back through the project's OTLP decoder, a session seen while it runs,
// and the guard: token, Host and Origin, methods, paths, malformed requests, damaged files.

const PROMPT = 'check the <widgets> & "gadgets"';

let s: Scenario;
let serve: ServeProcess;
let work: string;
let release: () => void = () => {};
const held = new Promise<void>((resolve) => {
  release = resolve;
});
let running: Promise<RunResult> | undefined;

type Json = Record<string, unknown>;

before(async () => {
  s = await startScenario([
    {
      kind: 'tools',
      tools: [
        { name: 'Bash', input: { command: 'echo hello' } },
        { name: 'Bash', input: { command: 'exit 3' } },
      ],
    },
    { kind: 'text', text: 'Done.' },
    { kind: 'text', text: 'Again.' },
    { kind: 'text', text: 'Released.', until: held },
  ]);
  work = mkdtempSync(join(tmpdir(), 'claude-otel-serve-'));
  // The project is a git work tree with a remote, so that sessions have a repository and a branch.
  const cwd = s.sandbox.cwd;
  git(cwd, 'init', '-q', '-b', 'feature/serve');
  git(cwd, 'remote', 'add', 'origin', 'https://github.com/acme/widgets.git');
  writeFileSync(join(cwd, 'README.md'), 'widgets\n');
  git(cwd, 'add', 'README.md');
  git(cwd, 'commit', '-q', '-m', 'initial');
  const first = await s.wrapper(['-p', PROMPT, ...ALLOW_TOOLS]);
  assert.equal(first.exitCode, 0, first.stderr);
  const second = await s.wrapper(['-p', 'say again']);
  assert.equal(second.exitCode, 0, second.stderr);
  await s.receiver.waitFor((r) => r.spans.filter((x) => x.name === 'claude.session').length === 2);
  serve = await startServe(s.stateDir, s.sandbox.env);
});

after(async () => {
  release();
  await running;
  await serve?.stop();
  await s.close();
  rmSync(work, { recursive: true, force: true });
});

function ctl(args: string[]): Promise<RunResult> {
  return runCommand(CTL_BIN, args, { sandbox: s.sandbox, env: { CLAUDE_OTEL_STATE_DIR: s.stateDir } });
}

function get(path: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  return httpRequest(serve.base, path, { headers: { authorization: `Bearer ${serve.token}`, ...headers } });
}

async function getJson(path: string): Promise<Json> {
  const answer = await get(path);
  assert.equal(answer.status, 200, `${path}: ${answer.body}`);
  assert.match(String(answer.headers['content-type']), /^application\/json/);
  return JSON.parse(answer.body) as Json;
}

async function traces(query: string): Promise<Json[]> {
  return (await getJson(`/api/traces${query}`)).traces as Json[];
}

async function expectError(path: string, status: number, message: RegExp, headers: Record<string, string> = {}): Promise<void> {
  const answer = await get(path, headers);
  assert.equal(answer.status, status, `${path}: ${answer.body}`);
  const body = JSON.parse(answer.body) as { error: { status: number; message: string } };
  assert.equal(body.error.status, status);
  assert.match(body.error.message, message, path);
  assert.doesNotMatch(answer.body, /\bat .*\.(js|ts):\d+/, 'no stack trace');
}

/**
 * Reads the list until `pred` holds for it: once, then again after each change the server
 * announces on /api/events (a running session changes under it).
 */
async function waitForList(query: string, pred: (items: Json[]) => boolean, what: string): Promise<Json[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), 30_000);
  let items: Json[] = [];
  try {
    const res = await fetch(`${serve.base}/api/events?token=${serve.token}`, { signal: controller.signal });
    const reader = res.body?.getReader();
    assert.ok(reader);
    let buffered = '';
    // Connected first, so that no change after the first read goes unannounced.
    items = await traces(query);
    while (!pred(items)) {
      while (!/event: store\n[^\n]*\n\n/.test(buffered)) {
        const { value, done } = await reader.read();
        assert.equal(done, false, 'the event stream ended');
        buffered += Buffer.from(value).toString();
      }
      buffered = buffered.replace(/^[\s\S]*?event: store\n[^\n]*\n\n/, '');
      items = await traces(query);
    }
    return items;
  } catch (error) {
    if (controller.signal.aborted) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(items).slice(0, 2000)}`);
    throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}

test('GET /api/traces: each session as sessions --json has it, with its trace id, newest first', async () => {
  const list = await getJson('/api/traces');
  assert.equal(list.total, 2);
  assert.equal(list.limit, 100);
  assert.equal(list.offset, 0);
  const items = list.traces as Json[];
  const cli = JSON.parse((await ctl(['sessions', '--json'])).stdout.toString()) as Json[];
  assert.deepEqual(
    items.map(({ running, ...rest }) => {
      assert.equal(running, false);
      return rest;
    }),
    cli,
  );
  const [newest, oldest] = items as [Json, Json];
  assert.equal(oldest.promptPreview, PROMPT);
  assert.match(String(oldest.traceId), /^[0-9a-f]{32}$/);
  assert.equal(oldest.traceId, s.receiver.spans.find((x) => x.name === 'claude.session' && x.attributes['claude.prompt.preview'] === PROMPT)?.traceId);
  assert.deepEqual(oldest.git, (newest as Json).git);
  assert.equal((oldest.git as Json).branch, 'feature/serve');
  assert.equal(oldest.toolErrors, 1);
  // The trailing slash of the upstream API's spelling works too.
  assert.equal(((await getJson('/api/traces/')).traces as Json[]).length, 2);
});

test('GET /api/traces: every filter and paging', async () => {
  const ids = async (query: string) => (await traces(query)).map((t) => t.promptPreview);
  assert.deepEqual(await ids('?since=1h'), ['say again', PROMPT]);
  assert.deepEqual(await ids('?since=2099-01-01'), []);
  assert.deepEqual(await ids('?until=2000-01-01'), []);
  assert.deepEqual(await ids('?until=2099-01-01T00:00'), ['say again', PROMPT]);
  assert.deepEqual(await ids('?repo=acme/widgets'), ['say again', PROMPT]);
  assert.deepEqual(await ids('?repo=other/thing'), []);
  assert.deepEqual(await ids('?branch=feature/serve'), ['say again', PROMPT]);
  assert.deepEqual(await ids('?branch=main'), []);
  const model = String((await traces(''))[0]?.model);
  assert.deepEqual(await ids(`?model=${encodeURIComponent(model)}`), ['say again', PROMPT]);
  assert.deepEqual(await ids('?model=claude-none'), []);
  assert.deepEqual(await ids('?mode=print'), ['say again', PROMPT]);
  assert.deepEqual(await ids('?mode=sdk'), []);
  assert.deepEqual(await ids('?status=error'), [PROMPT], 'the session with the failed tool call');
  assert.deepEqual(await ids('?status=ok'), ['say again']);
  assert.deepEqual(await ids('?status=running'), []);
  assert.deepEqual(await ids('?delivered=true'), ['say again', PROMPT]);
  assert.deepEqual(await ids('?delivered=false'), []);
  assert.deepEqual(await ids('?q=WIDGETS'), [PROMPT], 'prompt text, case-insensitive');
  assert.deepEqual(await ids(`?q=${encodeURIComponent('<widgets> & "gadgets"')}`), [PROMPT]);
  assert.deepEqual(await ids('?q=nothing-like-it'), []);
  assert.deepEqual(await ids('?limit=1'), ['say again']);
  assert.deepEqual(await ids('?limit=1&offset=1'), [PROMPT]);
  assert.deepEqual(await ids('?offset=2'), []);
  const paged = await getJson('/api/traces?limit=1&offset=1&mode=print');
  assert.deepEqual([paged.total, paged.limit, paged.offset], [2, 1, 1]);
});

test('GET /api/traces: a bad parameter is a 400 with its reason', async () => {
  await expectError('/api/traces?limit=0', 400, /^limit: expected a whole number from 1 to 10000$/);
  await expectError('/api/traces?limit=10001', 400, /^limit: /);
  await expectError('/api/traces?limit=ten', 400, /^limit: /);
  await expectError('/api/traces?offset=-1', 400, /^offset: /);
  await expectError('/api/traces?since=yesterday', 400, /^since: expected a duration such as 7d/);
  await expectError('/api/traces?since=2026-02-31', 400, /^since: /);
  await expectError('/api/traces?until=soon', 400, /^until: /);
  await expectError('/api/traces?mode=batch', 400, /^mode: expected print, sdk, interactive or unknown$/);
  await expectError('/api/traces?status=fine', 400, /^status: expected ok, error or running$/);
  await expectError('/api/traces?delivered=yes', 400, /^delivered: expected true or false$/);
  await expectError(`/api/traces?q=${'x'.repeat(501)}`, 400, /^q: expected at most 500 characters$/);
  await expectError('/api/traces?repo=', 400, /^repo: expected a value$/);
  await expectError('/api/traces?colour=red', 400, /^unknown parameter "colour"$/);
  await expectError('/api/traces?mode=print&mode=sdk', 400, /^parameter "mode" is given more than once$/);
  await expectError('/api/traces/stats/summary?by=week', 400, /^by: expected one of repo, branch, model, day$/);
  await expectError('/api/traces/stats/summary?since=%', 400, /./);
  await expectError('/api/traces?q=%ZZ', 400, /^malformed percent-encoding in the query$/);
  await expectError('/api/traces/stats/summary?since=99999999999d', 400, /^since: expected a duration/);
});

test('GET /api/traces/{id} and /spans: OTLP JSON that the OTLP decoder reads back as the collector received it', async () => {
  const [, oldest] = await traces('');
  assert.ok(oldest);
  const traceId = String(oldest.traceId);
  const spans = await get(`/api/traces/${traceId}/spans`);
  assert.equal(spans.status, 200);
  const request = JSON.parse(spans.body) as { resourceSpans: unknown[] };
  assert.ok(Array.isArray(request.resourceSpans) && request.resourceSpans.length > 0);

  // The project's decoder, as a collector: the body as an OTLP/HTTP JSON export request.
  const decoder = await startOtlpReceiver({ protocol: 'http/json' });
  try {
    const posted = await fetch(`${decoder.endpoint}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: spans.body });
    assert.equal(posted.status, 200, await posted.text());
    const comparable = (list: ReceivedSpan[]) =>
      list
        .map(({ protocol: _protocol, ...rest }) => rest)
        .sort((a, b) => (a.spanId < b.spanId ? -1 : 1))
        .map((x) => JSON.stringify(x, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
    const live = s.receiver.spans.filter((x) => x.traceId === traceId);
    assert.ok(
      live.some((x) => x.name.startsWith('execute_tool')),
      'tool spans',
    );
    assert.deepEqual(comparable(decoder.spans), comparable(live), 'identical to what the collector received');

    // ... and to what the store holds: the chunks' own trace requests.
    const runDir = join(s.stateDir, 'sessions', String(oldest.runId));
    const stored = readdirSync(runDir)
      .filter((f) => /^chunk-\d+\.json$/.test(f))
      .sort()
      .flatMap((f) => (JSON.parse(readFileSync(join(runDir, f), 'utf8')) as { traces?: { resourceSpans: unknown[] } }).traces?.resourceSpans ?? []);
    assert.deepEqual(request.resourceSpans, stored);
  } finally {
    await decoder.close();
  }

  // The same bytes by session id, run id, a prefix, and from export --otlp-json.
  for (const key of [String(oldest.sessionId), String(oldest.runId), String(oldest.shortId)]) {
    assert.equal((await get(`/api/traces/${encodeURIComponent(key)}/spans`)).body, spans.body, key);
  }
  const file = join(work, 'session.otlp.json');
  const exported = await ctl(['export', String(oldest.sessionId), '--otlp-json', file]);
  assert.equal(exported.exitCode, 0, exported.stderr);
  assert.match(exported.stdout.toString(), new RegExp(`^wrote ${file}: 1 session, \\d+ spans\\n$`));
  assert.equal(readFileSync(file, 'utf8'), spans.body);
  const both = await ctl(['export', 'last', String(oldest.runId), '--otlp-json', '-']);
  assert.equal(both.exitCode, 0, both.stderr);
  assert.match(both.stderr, /^claude-otel-ctl: wrote OTLP JSON to stdout: 2 sessions, \d+ spans\n$/);
  const newest = JSON.parse((await get('/api/traces/last/spans')).body) as { resourceSpans: unknown[] };
  assert.deepEqual(
    JSON.parse(both.stdout.toString()),
    { resourceSpans: [...newest.resourceSpans, ...request.resourceSpans] },
    'the sessions in the order named',
  );
  const missing = await ctl(['export', 'nosuchsession', '--otlp-json', file]);
  assert.equal(missing.exitCode, 1);
  assert.equal(missing.stderr, 'claude-otel-ctl: no session matches "nosuchsession"\n');
  const noTarget = await ctl(['export', 'last']);
  assert.equal(noTarget.exitCode, 2);

  const one = await getJson(`/api/traces/${traceId}`);
  assert.deepEqual(one.trace, oldest);
  assert.deepEqual(one.spans, request);

  await expectError('/api/traces/0123456789abcdef0123456789abcdef', 404, /^no session matches "0123456789abcdef0123456789abcdef"$/);
  await expectError('/api/traces/nosuchsession/spans', 404, /^no session matches/);
  await expectError('/api/traces/x/spans?limit=1', 400, /^unknown parameter "limit"$/);
  await expectError('/api/traces/x/events', 404, /^no such route/);
});

test('GET /api/traces/stats/summary: what stats computes, with since, until and by', async () => {
  const summary = await getJson('/api/traces/stats/summary');
  const cli = JSON.parse((await ctl(['stats', '--json'])).stdout.toString()) as Json;
  const { since: _a, until: _b, ...figures } = summary;
  const { since: _c, until: _d, ...cliFigures } = cli;
  assert.deepEqual(figures, cliFigures);
  assert.equal((summary.sessions as Json).count, 2);
  const byRepo = await getJson('/api/traces/stats/summary?by=repo&since=1d');
  const cliByRepo = JSON.parse((await ctl(['stats', '--by', 'repo', '--since', '1d', '--json'])).stdout.toString()) as Json;
  assert.deepEqual(byRepo.groups, cliByRepo.groups);
  assert.equal(byRepo.by, 'repo');
  const none = await getJson('/api/traces/stats/summary?since=2000-01-01&until=2000-01-02');
  assert.equal((none.sessions as Json).count, 0);
  assert.equal(none.since, new Date(2000, 0, 1).toISOString());
});

test('a running print session is listed as running with its mode, repository and claude version, then as ended', async () => {
  running = startCommand(join(import.meta.dirname, '../../bin/claude-otel.js'), ['-p', 'wait for me'], { sandbox: s.sandbox, env: s.env() }).result;
  const [live] = await waitForList(
    '?status=running',
    (items) => items.length === 1 && (items[0]?.git as Json | null)?.branch !== undefined,
    'the running session with its git context',
  );
  assert.ok(live);
  assert.equal(live.running, true);
  assert.equal(live.status, 'unfinished');
  assert.equal(live.mode, 'print');
  assert.notEqual(live.claudeVersion, 'unknown');
  assert.notEqual(live.model, 'unknown');
  assert.match(String(live.traceId), /^[0-9a-f]{32}$/);
  assert.equal((live.git as Json).repository, 'widgets');
  // The prompt starts (and its text is known) with claude's first message after its start.
  assert.ok(live.promptPreview === null || live.promptPreview === 'wait for me');
  assert.equal(live.endTime, null);
  const table = await ctl(['sessions', '--wide']);
  assert.match(table.stdout.toString(), /print +\S+ +acme\/widgets@feature\/serve .* unfinished/, 'the table knows it too');
  release();
  const done = await running;
  assert.equal(done.exitCode, 0, done.stderr);
  const [ended] = await waitForList('?q=wait%20for%20me', (items) => items[0]?.status === 'ok', 'the session to end');
  assert.equal(ended?.running, false);
  assert.equal(ended?.traceId, live.traceId);
  assert.equal(ended?.mode, 'print');
});

test('GET /api/events: server-sent events announce a change of the store', async () => {
  const controller = new AbortController();
  const res = await fetch(`${serve.base}/api/events?token=${serve.token}`, { signal: controller.signal });
  assert.equal(res.status, 200);
  assert.match(String(res.headers.get('content-type')), /^text\/event-stream/);
  const reader = res.body?.getReader();
  assert.ok(reader);
  let seen = '';
  const next = async (pattern: RegExp): Promise<RegExpExecArray> => {
    for (;;) {
      const match = pattern.exec(seen);
      if (match) return match;
      const { value, done } = await reader.read();
      assert.equal(done, false, 'the stream ended');
      seen += Buffer.from(value).toString();
    }
  };
  const first = await next(/event: store\ndata: \{"version":(\d+)\}\n\n/);
  seen = '';
  // A new run directory in the store is a change.
  const dir = join(s.stateDir, 'sessions', '20260101T000000Z-1-abcdef');
  mkdirSync(dir);
  const second = await next(/event: store\ndata: \{"version":(\d+)\}\n\n/);
  assert.ok(Number(second[1]) > Number(first[1]));
  controller.abort();
  rmSync(dir, { recursive: true });
});

test('the page and its parts: every stored text escaped, a script only under the nonce', async () => {
  const page = await get('/');
  assert.equal(page.status, 200);
  const csp = String(page.headers['content-security-policy']);
  const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
  assert.ok(nonce, csp);
  assert.match(csp, /default-src 'none'/);
  assert.equal((page.body.match(/<script/g) ?? []).length, 1);
  assert.ok(page.body.includes(`<script nonce="${nonce}">`));
  assert.doesNotMatch(page.body, /https?:\/\/(?!www\.w3\.org)/, 'nothing from the internet');
  const list = await get('/page/sessions?q=widgets');
  assert.equal(list.status, 200);
  assert.ok(list.body.includes('check the &lt;widgets&gt; &amp; &quot;gadgets&quot;'));
  assert.ok(!list.body.includes('<widgets>'));
  const [withTools] = await traces('?status=error');
  const detail = await get(`/page/sessions/${String(withTools?.runId)}`);
  assert.equal(detail.status, 200);
  assert.match(detail.body, /<table class="waterfall">/);
  assert.match(detail.body, /<tr class="tool error" data-span="[0-9a-f]{16}" data-depth="\d">/);
  assert.match(detail.body, /Exit code 3/);
  assert.match(detail.body, /Where the money went|where the money went/i);
});

test('security: token, Host, Origin, methods, paths, no CORS', async () => {
  const bare = (path: string, headers: Record<string, string> = {}, method = 'GET') => httpRequest(serve.base, path, { method, headers });
  const noToken = await bare('/api/traces');
  assert.equal(noToken.status, 401);
  assert.match(JSON.parse(noToken.body).error.message, /^a token is needed/);
  assert.equal((await bare('/')).status, 401, 'the page too');
  assert.equal((await bare('/api/traces?token=wrong')).status, 401);
  assert.equal((await bare('/api/traces', { authorization: 'Bearer wrong' })).status, 401);
  assert.equal((await bare(`/api/traces?token=${serve.token}`)).status, 200);
  assert.equal((await bare('/api/traces', { authorization: `Bearer ${serve.token}` })).status, 200);

  for (const host of ['evil.example', 'evil.example:80', '127.0.0.1.evil.example', 'localhost.evil.example']) {
    const answer = await get('/api/traces', { host });
    assert.equal(answer.status, 403, `Host: ${host}`);
  }
  for (const host of ['localhost', `localhost:${new URL(serve.base).port}`, '127.0.0.1']) assert.equal((await get('/api/traces', { host })).status, 200, host);
  for (const origin of ['http://evil.example', 'https://127.0.0.1.evil.example', 'null', 'file://']) {
    assert.equal((await get('/api/traces', { origin })).status, 403, `Origin: ${origin}`);
  }
  assert.equal((await get('/api/traces', { origin: serve.base })).status, 200);
  assert.equal((await get('/api/traces', { 'sec-fetch-site': 'cross-site' })).status, 403);
  // The Host check comes first: a rebinding page learns nothing, not even whether its token is right.
  assert.equal((await bare(`/api/traces?token=${serve.token}`, { host: 'evil.example' })).status, 403);

  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
    const answer = await httpRequest(serve.base, '/api/traces', { method, headers: { authorization: `Bearer ${serve.token}` } });
    assert.equal(answer.status, 405, method);
    assert.equal(answer.headers.allow, 'GET, HEAD');
  }
  const head = await httpRequest(serve.base, '/api/traces', { method: 'HEAD', headers: { authorization: `Bearer ${serve.token}` } });
  assert.equal(head.status, 200);
  assert.equal(head.body, '');

  for (const path of ['/etc/passwd', '/index.html', '/api', '/api/', '/api/trace', '/api/traces/x/spans/y', '/page', '/favicon.ico']) {
    const answer = await get(path);
    assert.equal(answer.status, 404, path);
  }
  for (const path of [
    '/../../../../etc/passwd',
    '/api/traces/../../../../etc/passwd',
    '/api/traces/..%2F..%2F..%2F..%2Fetc%2Fpasswd/spans',
    '/api/traces/%2e%2e/spans',
    '/page/sessions/..%2Fmeta.json',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/api/traces/..%5C..%5Cmeta.json',
    `/page/sessions/${encodeURIComponent(`../../${s.stateDir}`)}`,
  ]) {
    const answer = await get(path);
    assert.ok(answer.status === 400 || answer.status === 404, `${path}: ${answer.status}`);
    assert.doesNotMatch(answer.body, /root:|"sessionId"|resourceSpans/, path);
  }
  for (const path of ['/', '/api/traces', '/api/traces/last', '/nope']) {
    const answer = await get(path, { origin: serve.base });
    assert.deepEqual(
      Object.keys(answer.headers).filter((h) => h.startsWith('access-control-')),
      [],
      path,
    );
  }
});

test('the server answers after 1,000 malformed requests', async () => {
  const port = Number(new URL(serve.base).port);
  const raw = (bytes: string | Buffer): Promise<string> =>
    new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1');
      let answer = '';
      socket.on('data', (d) => {
        answer += d.toString('latin1');
      });
      socket.on('error', () => resolve(answer));
      socket.on('close', () => resolve(answer));
      socket.end(bytes);
    });
  const garbage = [
    'GARBAGE\r\n\r\n',
    'GET\r\n\r\n',
    'GET / HTTP/9.9\r\n\r\n',
    `GET /api/traces HTTP/1.1\r\nHost: 127.0.0.1\r\n${'X-Long: y\r\n'.repeat(3000)}\r\n`,
    'GET /api/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -5\r\n\r\n',
    'GET /api/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    Buffer.from([0, 1, 2, 3, 255, 254, 13, 10, 13, 10]),
    `GET /api/traces/%E0%A4%A?token=${serve.token} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
    `GET /api/traces?limit=%ZZ&token=${serve.token} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
    `GET //// HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${serve.token}\r\n\r\n`,
  ];
  // Each refused before the handler still gets the JSON error of every other answer.
  for (const [bytes, status] of [
    ['BREW /api/traces HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', 400],
    [`GET /api/traces?token=${serve.token} HTTP/1.1\r\n\r\n`, 400],
    [`GET /api/traces?q=${'x'.repeat(20_000)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`, 414],
    [`GET /api/traces HTTP/1.1\r\nHost: 127.0.0.1\r\n${'X-Long: y\r\n'.repeat(3000)}\r\n`, 431],
  ] as const) {
    const answer = await raw(bytes);
    assert.match(answer, new RegExp(`^HTTP/1\\.1 ${status} `), bytes.slice(0, 40));
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { error: { status: number; message: string } };
    assert.equal(body.error.status, status, bytes.slice(0, 40));
  }
  // The sessions stored by now, whichever tests ran before this one.
  const { total } = await getJson('/api/traces');
  assert.ok(typeof total === 'number' && total >= 2, `total: ${String(total)}`);
  for (let i = 0; i < 1000; i += 50) {
    await Promise.all(Array.from({ length: 50 }, (_, j) => raw(garbage[(i + j) % garbage.length] ?? '')));
  }
  const after = await get('/api/traces');
  assert.equal(after.status, 200);
  assert.equal((JSON.parse(after.body) as Json).total, total);
  assert.doesNotMatch(serve.stderr(), /TypeError|RangeError|\n\s+at /, 'no crash, no stack trace');
});

test('damaged store files are skipped with one warning each; the server stays up', async () => {
  const { total } = await getJson('/api/traces');
  assert.ok(typeof total === 'number' && total >= 2, `total: ${String(total)}`);
  const dir = join(s.stateDir, 'sessions', '20260102T000000Z-2-abcdef');
  mkdirSync(dir);
  writeFileSync(join(dir, 'meta.json'), '{"sessionId": ');
  writeFileSync(join(dir, 'chunk-0001.json'), '{"traces": {"resourceSpans": 7}}');
  const other = join(s.stateDir, 'sessions', '20260103T000000Z-3-abcdef');
  mkdirSync(other);
  writeFileSync(join(other, 'started.json'), '[]');
  writeFileSync(join(other, 'chunk-0001.json'), '');
  try {
    for (let i = 0; i < 3; i++) {
      const list = await getJson('/api/traces');
      assert.equal(list.total, total, 'the damaged runs are not listed');
    }
    await expectError('/api/traces/20260102T000000Z-2-abcdef/spans', 404, /no session matches/);
    assert.equal((await getJson('/api/traces/stats/summary')).since !== undefined, true);
    const warnings = serve
      .stderr()
      .split('\n')
      .filter((l) => l.includes('20260102T000000Z-2-abcdef/meta.json'));
    assert.deepEqual(warnings, [`claude-otel-ctl: warning: skipped ${join(dir, 'meta.json')}: it is not valid JSON (truncated or corrupt)`], 'said once');
  } finally {
    rmSync(dir, { recursive: true });
    rmSync(other, { recursive: true });
  }
  const page = await get('/page/sessions');
  assert.equal(page.status, 200);
});

test('serve: options and help', async () => {
  const help = await ctl(['serve', '--help']);
  assert.equal(help.exitCode, 0);
  assert.match(help.stdout.toString(), /GET \/api\/traces\/stats\/summary/);
  const badPort = await ctl(['serve', '--port', '70000']);
  assert.equal(badPort.exitCode, 2);
  assert.equal(badPort.stderr, 'claude-otel-ctl: --port "70000": expected a port number from 0 to 65535\n');
  const taken = await ctl(['serve', '--port', new URL(serve.base).port]);
  assert.equal(taken.exitCode, 1);
  assert.equal(taken.stderr, `claude-otel-ctl: cannot listen on 127.0.0.1:${new URL(serve.base).port}: the port is in use (try --port 0 for any free port)\n`);
  const top = await ctl(['--help']);
  assert.match(top.stdout.toString(), /serve \[options\] +Serve the store over HTTP/);
  assert.match(top.stdout.toString(), /export \[options\] <session\.\.\.> +Write sessions as OTLP JSON/);
});
