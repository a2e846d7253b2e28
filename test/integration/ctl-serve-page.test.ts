import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import type { Browser, Page } from 'puppeteer-core';
import { startScenario, ALLOW_TOOLS, WRAPPER_BIN } from '../support/scenario.ts';
import type { Scenario } from '../support/scenario.ts';
import type { RunResult } from '../support/claude-run.ts';
import { git } from '../support/git-repo.ts';
import { httpRequest, startServe } from '../support/serve-process.ts';
import type { ServeProcess } from '../support/serve-process.ts';

// The live page of `claude-otel-ctl serve` in Debian's headless Chromium, driven through the
// browser's own protocol (puppeteer-core): it lists the sessions the real wrapper recorded,
// opens one with its tool calls and exit codes, and shows an SDK session while it runs, its
// first prompt's spans arriving without a reload. The screenshot is the README's.

const CHROMIUM = '/usr/bin/chromium';
// The README's picture is written only when asked (UPDATE_README_SCREENSHOT=1), so a test run leaves the clone as it was.
const README_SCREENSHOT = join(import.meta.dirname, '..', '..', 'docs', 'serve-page.png');

let s: Scenario;
let serve: ServeProcess;
let browser: Browser | undefined;
let page: Page;
let work: string;
let release: () => void = () => {};
const held = new Promise<void>((resolve) => {
  release = resolve;
});
let sdkRun: Promise<RunResult> | undefined;
/** Every URL the page asked for. */
const requested: string[] = [];

before(async () => {
  s = await startScenario(
    [
      {
        kind: 'tools',
        tools: [
          { name: 'Bash', input: { command: 'echo hello' } },
          { name: 'Bash', input: { command: 'ls missing-file' } },
        ],
      },
      { kind: 'text', text: 'Done.' },
      // The SDK session: its first prompt runs a tool and ends; its second waits for the test.
      { kind: 'tools', tools: [{ name: 'Bash', input: { command: 'echo live' } }] },
      { kind: 'text', text: 'First prompt done.' },
      { kind: 'text', text: 'Second prompt done.', until: held },
      // A print session that hands work to a subagent.
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
  work = mkdtempSync(join(tmpdir(), 'claude-otel-serve-page-'));
  git(s.sandbox.cwd, 'init', '-q', '-b', 'main');
  git(s.sandbox.cwd, 'remote', 'add', 'origin', 'https://github.com/acme/widgets.git');
  writeFileSync(join(s.sandbox.cwd, 'README.md'), 'widgets\n');
  git(s.sandbox.cwd, 'add', 'README.md');
  git(s.sandbox.cwd, 'commit', '-q', '-m', 'initial');
  const first = await s.wrapper(['-p', 'list the <files> & check one', ...ALLOW_TOOLS]);
  assert.equal(first.exitCode, 0, first.stderr);
  serve = await startServe(s.stateDir, s.sandbox.env);
  if (!existsSync(CHROMIUM)) return;
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: join(work, 'profile'),
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage();
  // A loaded machine (two CLIs, a browser and claude at once) can take long: each wait is for an event, not a time.
  page.setDefaultTimeout(120_000);
  await page.setViewport({ width: 1280, height: 1000 });
  page.on('request', (request) => {
    requested.push(request.url());
  });
});

after(async () => {
  release();
  await sdkRun;
  await browser?.close();
  await serve?.stop();
  await s.close();
  rmSync(work, { recursive: true, force: true });
});

// Expressions run in the page are strings: the tests are compiled without the DOM's types.

/** In the page: the status column of the sessions table. */
const STATUSES = `[...document.querySelectorAll('#sessions table.sessions tbody tr')].map((tr) => tr.querySelectorAll('td')[10]?.textContent)`;

/** The sessions table's rows as text cells. */
function listRows(): Promise<string[][]> {
  return page.$$eval('#sessions table.sessions tbody tr', (rows) => rows.map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent ?? '')));
}

test('the page lists the sessions and opens one: its tool calls, their exit codes, a span’s attributes', async (t) => {
  if (!browser) {
    t.skip(`${CHROMIUM} is not installed (apt-get install -y chromium): the page was not opened`);
    return;
  }
  await page.goto(serve.url);
  await page.waitForSelector('#sessions table.sessions tbody tr');
  const rows = await listRows();
  assert.equal(rows.length, 1);
  assert.equal(rows[0]?.[3], 'acme/widgets@main');
  assert.equal(rows[0]?.[11], 'list the <files> & check one', 'the prompt, as text');
  assert.equal(rows[0]?.[10], 'ok');

  await page.click('#sessions table.sessions tbody tr a');
  await page.waitForSelector('#session table.waterfall tr.tool');
  const tools = await page.$$eval('#session table.waterfall tr.tool', (trs) =>
    trs.map((tr) => ({
      label: tr.querySelector('td.span .label')?.textContent,
      exit: tr.querySelectorAll('td')[4]?.textContent,
      error: tr.classList.contains('error'),
    })),
  );
  assert.deepEqual(
    tools.map((x) => x.label),
    ['Bash', 'Bash'],
  );
  assert.deepEqual(tools.map((x) => x.exit).sort(), ['0', '2'], 'the exit code of each command');
  assert.equal(tools.filter((x) => x.error).length, 1, 'the failed one is marked');
  assert.ok(await page.$('#session section.money'), 'where the money went');
  assert.ok(await page.$('#session section.time'), 'where the time went');

  // A click on a span shows its attributes.
  await page.click('#session table.waterfall tr.tool.error');
  await page.waitForSelector('#attributes table.attributes');
  const attributes = await page.$$eval('#attributes table.attributes tr', (trs) =>
    trs.map((tr) => [tr.querySelector('th')?.textContent, tr.querySelector('td')?.textContent]),
  );
  assert.ok(attributes.some(([k, v]) => k === 'gen_ai.tool.name' && v === 'Bash'));
  assert.ok(attributes.some(([k, v]) => k === 'claude.tool.exit_code' && v === '2'));
  assert.ok(attributes.some(([k]) => k === 'error'));

  // Filters: the list follows the form.
  await page.type('#filters input[name="q"]', 'nothing like it');
  await page.waitForFunction(`document.querySelector('#sessions').textContent.includes('No sessions match')`);
  await page.$eval('#filters input[name="q"]', (input) => {
    Reflect.set(input, 'value', '');
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await page.waitForSelector('#sessions table.sessions tbody tr');
});

test('a running SDK session appears, and its spans arrive, without a reload', async (t) => {
  if (!browser) {
    t.skip(`${CHROMIUM} is not installed: the page was not opened`);
    return;
  }
  // A reload would lose this.
  await page.evaluate('window.stillTheSamePage = true');
  const message = (text: string) => `${JSON.stringify({ type: 'user', message: { role: 'user', content: text } })}\n`;
  // The second message goes once the first prompt's result is out: claude would fold a message
  // that arrives during a turn into that turn.
  const sdk = spawn(WRAPPER_BIN, ['-p', '--input-format', 'stream-json', '--output-format', 'stream-json', '--verbose', ...ALLOW_TOOLS], {
    cwd: s.sandbox.cwd,
    env: Object.fromEntries(Object.entries({ ...s.sandbox.env, ...s.env() }).filter((e): e is [string, string] => e[1] !== undefined)),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let secondSent = false;
  sdk.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  sdk.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (!secondSent && /"type":"result"/.test(stdout)) {
      secondSent = true;
      sdk.stdin.end(message('and now wait'));
    }
  });
  sdkRun = new Promise((resolve) => sdk.on('close', (code) => resolve({ stdout: Buffer.from(stdout), stderr, exitCode: code ?? -1, durationMs: 0 })));
  sdk.stdin.write(message('run echo live'));

  await page.waitForFunction(`${STATUSES}.includes('running')`, { timeout: 60_000 });
  // The repository is read once claude's session has started, which can be just after the row appears.
  await page.waitForFunction(
    `[...document.querySelectorAll('#sessions table.sessions tbody tr')].some((tr) => tr.querySelectorAll('td')[10]?.textContent === 'running' && tr.querySelectorAll('td')[3]?.textContent !== '-')`,
    { timeout: 30_000 },
  );
  const running = (await listRows()).find((r) => r[10] === 'running');
  assert.ok(running);
  assert.equal(running[3], 'acme/widgets@main', 'its repository while it runs');
  await page.$$eval('#sessions table.sessions tbody tr', (trs) => {
    const row = trs.find((tr) => tr.querySelectorAll('td')[10]?.textContent === 'running');
    row?.querySelector('a')?.click();
  });
  await page.waitForFunction(`document.querySelector('#session article.session p.muted')?.textContent.includes('running')`);
  // The first prompt's tool call, stored when the prompt ended, while the second prompt waits.
  await page.waitForFunction(`[...document.querySelectorAll('#session table.waterfall tr.tool .label')].some((l) => l.textContent === 'Bash')`, {
    timeout: 60_000,
  });
  const facts = await page.$eval('#session article.session p.muted', (p) => p.textContent ?? '');
  assert.match(facts, / · sdk · /, 'its mode');
  assert.match(facts, /claude \d+\.\d+\.\d+/, 'its claude version');
  assert.equal(await page.evaluate('window.stillTheSamePage'), true, 'no reload');
  // The list has the stored prompt too: its tool call is counted.
  await page.waitForFunction(
    `[...document.querySelectorAll('#sessions table.sessions tbody tr')].some((tr) => tr.querySelectorAll('td')[10]?.textContent === 'running' && tr.querySelectorAll('td')[5]?.textContent === '1')`,
  );
  await page.screenshot({ path: process.env.UPDATE_README_SCREENSHOT === '1' ? README_SCREENSHOT : join(work, 'serve-page.png'), fullPage: true });

  release();
  const done = await sdkRun;
  assert.equal(done.exitCode, 0, done.stderr);
  await page.waitForFunction(`${STATUSES}.join() === 'ok,ok'`, { timeout: 60_000 });
  assert.equal(await page.evaluate('window.stillTheSamePage'), true, 'still no reload');
  const origin = new URL(serve.base).origin;
  assert.deepEqual(
    requested.filter((url) => new URL(url).origin !== origin),
    [],
    'the page asked nothing of any other server',
  );
});

test('a subagent is folded under the tool call that started it; a click unfolds it', async (t) => {
  if (!browser) {
    t.skip(`${CHROMIUM} is not installed: the page was not opened`);
    return;
  }
  const delegated = await s.wrapper(['-p', 'delegate the sub work', ...ALLOW_TOOLS]);
  assert.equal(delegated.exitCode, 0, delegated.stderr);
  // The new session appears by itself. The page redraws the list and the open session on every
  // change it is told of, so the clicks below go to whatever element is there when they land.
  await page.waitForFunction(`${STATUSES}.join() === 'ok,ok,ok'`, { timeout: 60_000 });
  const listed = await httpRequest(serve.base, '/api/traces?q=delegate', { headers: { authorization: `Bearer ${serve.token}` } });
  const runId = String((JSON.parse(listed.body) as { traces: { runId: string }[] }).traces[0]?.runId);
  await page.evaluate(`document.querySelector('#sessions a[href="#s-${runId}"]').click()`);
  await page.waitForFunction(`document.querySelector('#session')?.dataset.run === ${JSON.stringify(runId)} && document.querySelector('#session tr.tool')`);
  const folded = await page.$$eval('#session table.waterfall tr[data-depth]', (trs) =>
    trs.map((tr) => ({ role: tr.className.split(' ')[0], label: tr.querySelector('.label')?.textContent, hidden: Reflect.get(tr, 'hidden') })),
  );
  const agent = folded.findIndex((r) => r.role === 'agent');
  assert.ok(agent > 0, JSON.stringify(folded));
  assert.equal(folded[agent]?.hidden, true, 'the subagent is folded');
  assert.ok(
    folded.slice(agent).some((r) => r.label === 'Bash' && r.hidden),
    "the subagent's own calls too",
  );
  const toggle = '#session table.waterfall tr.tool button.fold';
  const toggleText = () => page.$eval(toggle, (b) => b.textContent ?? '');
  assert.match(await toggleText(), /^▸ subagent, \d+ spans$/, 'the Agent tool call has the toggle');
  await page.evaluate(`document.querySelector(${JSON.stringify(toggle)}).click()`);
  await page.waitForSelector('#session table.waterfall tr.agent', { visible: true });
  assert.match(await toggleText(), /^▾ subagent/);
});
