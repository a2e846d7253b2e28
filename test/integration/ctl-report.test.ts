import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startScenario, ALLOW_TOOLS, CTL_BIN } from '../support/scenario.ts';
import type { Scenario } from '../support/scenario.ts';
import { runCommand } from '../support/claude-run.ts';
import type { RunResult } from '../support/claude-run.ts';
import { decodePng, summarizePixels } from '../support/png-pixels.ts';
import type { DecodedPng } from '../support/png-pixels.ts';
import { once } from '../support/once.ts';

// `claude-otel-ctl report --html` on a session the real wrapper recorded, then opened in
// Debian's headless Chromium behind a proxy that records every request the page makes.

const CHROMIUM = '/usr/bin/chromium';
const PROMPT = `fix <script>alert(1)</script> & "quotes"`;
const EVIL_COMMAND = `echo '<img src=x onerror=alert(2)>'; exit 3`;

let s: Scenario;
let work: string;

before(async () => {
  s = await startScenario([
    {
      kind: 'tools',
      tools: [
        { name: 'Bash', input: { command: 'echo hello' } },
        { name: 'Read', input: { file_path: 'missing.txt' } },
      ],
    },
    { kind: 'tools', tools: [{ name: 'Bash', input: { command: EVIL_COMMAND } }] },
    { kind: 'text', text: 'Done.' },
    { kind: 'text', text: 'Again.' },
  ]);
  work = mkdtempSync(join(tmpdir(), 'claude-otel-report-'));
  const noCollector = { OTEL_EXPORTER_OTLP_ENDPOINT: undefined, OTEL_EXPORTER_OTLP_PROTOCOL: undefined };
  const first = await s.wrapper(['-p', PROMPT, ...ALLOW_TOOLS], { env: noCollector });
  assert.equal(first.exitCode, 0, first.stderr);
  const second = await s.wrapper(['-p', 'say again'], { env: noCollector });
  assert.equal(second.exitCode, 0, second.stderr);
});

after(async () => {
  await s.close();
  rmSync(work, { recursive: true, force: true });
});

function ctl(args: string[]): Promise<RunResult> {
  return runCommand(CTL_BIN, args, { sandbox: s.sandbox, env: { CLAUDE_OTEL_STATE_DIR: s.stateDir } });
}

/** `report --html` over the whole store, written once: one test reads the file, another renders it. */
const reportOfAll = once(async (): Promise<{ file: string; run: RunResult }> => {
  const file = join(work, 'report.html');
  return { file, run: await ctl(['report', '--html', file]) };
});

test('report --html: one self-contained file, every stored text escaped', async () => {
  const { file, run } = await reportOfAll();
  assert.equal(run.exitCode, 0, run.stderr);
  assert.equal(run.stderr, '');
  assert.equal(run.stdout.toString(), `wrote ${file}: 2 session waterfalls, figures over 2 sessions\n`);
  const html = readFileSync(file, 'utf8');
  assert.match(html, /^<!doctype html>/);
  assert.match(html, /content="default-src 'none'; style-src 'unsafe-inline'"/);
  assert.doesNotMatch(html, /https?:\/\/|<script|<link|<img|@import|url\(/i);
  assert.ok(html.includes('fix &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;'), 'the prompt, escaped');
  assert.ok(html.includes('echo &#39;&lt;img src=x onerror=alert(2)&gt;&#39;; exit 3'), 'the command, escaped');
  assert.match(html, /Exit code 3/);
  assert.ok((html.match(/<svg /g) ?? []).length >= 4, 'the figures as charts');
  assert.equal((html.match(/<article class="session"/g) ?? []).length, 2);

  const one = join(work, 'one.html');
  const named = await ctl(['report', 'last', '--html', one]);
  assert.equal(named.exitCode, 0, named.stderr);
  assert.equal(named.stdout.toString(), `wrote ${one}: 1 session waterfall, figures over 1 session\n`);
  assert.equal((readFileSync(one, 'utf8').match(/<article class="session"/g) ?? []).length, 1);

  const limited = await ctl(['report', '--html', one, '--limit', '1', '--since', '1h']);
  assert.equal(limited.stdout.toString(), `wrote ${one}: 1 session waterfall, figures over 2 sessions\n`);

  const missingOption = await ctl(['report']);
  assert.equal(missingOption.exitCode, 2);
  assert.equal(
    missingOption.stderr,
    'claude-otel-ctl: report needs --html <file>: the HTML file to write (- for stdout; claude-otel-ctl stats shows the figures in a terminal)\n',
  );
  const help = await ctl(['report', '--help']);
  assert.match(help.stdout.toString(), /^Usage: claude-otel-ctl report --html <file> \[options\] \[session\.\.\.\]$/m, 'the help shows --html as required');
  const toStdout = await ctl(['report', '--html', '-']);
  assert.equal(toStdout.exitCode, 0, toStdout.stderr);
  assert.match(toStdout.stdout.toString(), /^<!doctype html>[\s\S]*<\/html>\n$/);
  assert.equal(toStdout.stderr, 'claude-otel-ctl: wrote the report to stdout: 2 session waterfalls, figures over 2 sessions\n');
  const target = join(work, 'no', 'such', 'dir', 'r.html');
  const unwritable = await ctl(['report', '--html', target]);
  assert.equal(unwritable.exitCode, 1);
  assert.equal(unwritable.stderr, `claude-otel-ctl: cannot write ${target}: no such directory (ENOENT)\n`, 'the target and the reason, on one line');
  assert.doesNotMatch(unwritable.stderr, /\.tmp/, 'no temporary file name');
});

interface ProxyLog {
  server: Server;
  port: number;
  requests: string[];
}

/** An HTTP proxy that refuses everything and remembers the request lines. */
async function startRecordingProxy(): Promise<ProxyLog> {
  const requests: string[] = [];
  const server = createServer((socket) => {
    socket.once('data', (data) => {
      requests.push(data.toString('latin1').split('\r\n')[0] ?? '');
      socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, requests };
}

// Chromium's own background services, which talk to Google whatever page is open; a font or
// script the page asked for would come from anywhere else (fonts.* included).
function isBrowserService(requestLine: string): boolean {
  const host = /^(?:CONNECT ([^:\s]+)|[A-Z]+ https?:\/\/([^/:\s]+))/.exec(requestLine);
  const name = host?.[1] ?? host?.[2] ?? '';
  return /(^|\.)(google\.com|gstatic\.com|googleapis\.com)$/.test(name) && !name.startsWith('fonts.');
}

async function screenshot(html: string, png: string, proxyPort: number): Promise<RunResult> {
  return runCommand(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${join(work, 'chromium-profile')}`,
      `--proxy-server=http://127.0.0.1:${proxyPort}`,
      `--screenshot=${png}`,
      '--window-size=1200,900',
      `file://${html}`,
    ],
    { sandbox: s.sandbox, timeoutMs: 60_000 },
  );
}

function pixelsNear(png: DecodedPng, [r, g, b]: [number, number, number]): number {
  let n = 0;
  for (let i = 0; i < png.width * png.height; i += 1) {
    if (Math.abs((png.rgba[i * 4] ?? 0) - r) <= 3 && Math.abs((png.rgba[i * 4 + 1] ?? 0) - g) <= 3 && Math.abs((png.rgba[i * 4 + 2] ?? 0) - b) <= 3) n += 1;
  }
  return n;
}

test('the report in headless Chromium: charts drawn, not blank, nothing fetched', async (t) => {
  if (!existsSync(CHROMIUM)) {
    t.skip(`${CHROMIUM} is not installed (apt-get install -y chromium): the HTML report was not rendered`);
    return;
  }
  const { file, run } = await reportOfAll();
  assert.equal(run.exitCode, 0, run.stderr);
  const proxy = await startRecordingProxy();
  try {
    // First show that the proxy sees what a page fetches, so its silence below means something.
    const control = join(work, 'control.html');
    writeFileSync(control, '<!doctype html><img src="http://fetch-probe.invalid/x.png"><p>control</p>');
    assert.equal((await screenshot(control, join(work, 'control.png'), proxy.port)).exitCode, 0);
    assert.ok(
      proxy.requests.some((r) => r.includes('fetch-probe.invalid')),
      `the proxy saw: ${proxy.requests.join(' | ')}`,
    );
    proxy.requests.length = 0;

    const png = join(work, 'report.png');
    const shot = await screenshot(file, png, proxy.port);
    assert.equal(shot.exitCode, 0, shot.stderr);
    assert.deepEqual(
      proxy.requests.filter((r) => !isBrowserService(r)),
      [],
      'the report fetched something',
    );

    const image = decodePng(readFileSync(png));
    assert.deepEqual([image.width, image.height], [1200, 900]);
    const summary = summarizePixels(image);
    assert.ok(summary.distinctColours >= 50, `only ${summary.distinctColours} colours: ${JSON.stringify(summary)}`);
    assert.ok(summary.nonWhiteFraction >= 0.02, `mostly blank: ${JSON.stringify(summary)}`);
    // The tool-call chart: succeeded calls in green, the failed one in red.
    assert.ok(pixelsNear(image, [0x2e, 0x9e, 0x5b]) > 500, 'green bars of succeeded tool calls');
    assert.ok(pixelsNear(image, [0xd6, 0x45, 0x45]) > 200, 'the red bar of the failed call');
  } finally {
    await new Promise<void>((resolve) => proxy.server.close(() => resolve()));
  }
});
