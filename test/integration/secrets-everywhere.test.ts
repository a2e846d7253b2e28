import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startScenario, waitForSession, spansNamed, ALLOW_TOOLS, CTL_BIN } from '../support/scenario.ts';
import type { Scenario } from '../support/scenario.ts';
import { runCommand } from '../support/claude-run.ts';
import type { RunResult } from '../support/claude-run.ts';

// The whole secrets corpus, planted where a user's secrets really are: in a prompt, a Bash
// command, a tool's output, the environment and OTEL_RESOURCE_ATTRIBUTES. None of them may reach
// what the collector decoded, the local store or the HTML report; the text around them stays.

interface Entry {
  family: string;
  text: string;
  expected: string;
}

const REDACTED = '[REDACTED]';
const corpus = (JSON.parse(readFileSync(new URL('../fixtures/secrets/corpus.json', import.meta.url), 'utf8')) as { entries: Entry[] }).entries;
// A key block cut short hides everything after it: it goes last.
const ordered = [...corpus.filter((e) => !e.text.startsWith('cut short')), ...corpus.filter((e) => e.text.startsWith('cut short'))];

/** The parts of an entry's text that its expected text replaces with [REDACTED]. */
function secretsOf(entry: Entry): string[] {
  const kept = entry.expected.split(REDACTED);
  const secrets: string[] = [];
  let at = 0;
  for (let i = 0; i < kept.length - 1; i += 1) {
    const before = kept[i] ?? '';
    const after = kept[i + 1] ?? '';
    const start = entry.text.indexOf(before, at) + before.length;
    // The next kept part, searched from the start of the secret (it may be empty at the end).
    const end = after === '' && i === kept.length - 2 ? entry.text.length : entry.text.indexOf(after, start + 1);
    secrets.push(entry.text.slice(start, end));
    at = end;
  }
  return secrets;
}

// Secrets this short could occur in ordinary text of the session; the rest are checked.
const SECRETS = [
  ...new Set(
    corpus
      .flatMap(secretsOf)
      .flatMap((s) => s.split('\n'))
      .map((s) => s.trim())
      .filter((s) => s.length >= 8),
  ),
];

const ENV_SECRET = 'envEXAMPLEdeployValue42';
const RESOURCE_SECRET = 'resEXAMPLEkey1';
const COMMAND = `export DB_PASS='cmd EXAMPLE pass' STRIPE_KEY=cmdEXAMPLEstripe; echo "mysql -uroot -pcmdEXAMPLEmysql shop"; echo "curl -u alice:cmdEXAMPLEcurl https://x"`;
const COMMAND_SECRETS = ['cmd EXAMPLE pass', 'cmdEXAMPLEstripe', 'cmdEXAMPLEmysql', 'cmdEXAMPLEcurl'];
/** What the second Bash call prints before it fails: a tool's output carrying secrets. */
const OUTPUT_ENTRIES = ordered
  .filter((e) => ['github-pat', 'stripe-access-token', 'url-userinfo', 'cookie-header', 'private-key'].includes(e.family))
  .slice(0, 6);
const OUTPUT = OUTPUT_ENTRIES.map((e) => e.text).join('\n');
const RESPONSE = `Done. The key ${'sk_live_' + 'EXAMPLEexample0123456789EXAMPLE'} is in the vault.`;

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

let s: Scenario;
let work: string;
let run: RunResult;
let report: RunResult;
let html: string;

function received(): string {
  return JSON.stringify({ spans: s.receiver.spans, logs: s.receiver.logs, metrics: s.receiver.metrics }, (_k, v: unknown) =>
    typeof v === 'bigint' ? v.toString() : v,
  );
}

async function stored(dir: string): Promise<string> {
  if (!existsSync(dir)) return '';
  let text = '';
  for (const entry of await readdir(dir, { recursive: true })) {
    const path = join(dir, entry);
    if ((await stat(path)).isFile()) text += await readFile(path, 'utf8');
  }
  return text;
}

function leaks(text: string): string[] {
  return [...SECRETS, ...COMMAND_SECRETS, ENV_SECRET, RESOURCE_SECRET, 'EXAMPLEexample0123456789EXAMPLE'].filter((secret) => text.includes(secret));
}

before(async () => {
  s = await startScenario([
    {
      kind: 'tools',
      tools: [
        { name: 'Bash', input: { command: COMMAND } },
        { name: 'Bash', input: { command: `printf '%s\\n' ${shellQuote(OUTPUT)} "token $DEPLOY_TOKEN"; exit 3` } },
      ],
    },
    { kind: 'text', text: RESPONSE },
  ]);
  work = mkdtempSync(join(tmpdir(), 'claude-otel-secrets-'));
  run = await s.wrapper(['-p', ordered.map((e) => e.text).join('\n'), '--otel-debug', ...ALLOW_TOOLS], {
    env: {
      DEPLOY_TOKEN: ENV_SECRET,
      OTEL_METRICS_EXPORTER: 'otlp',
      CLAUDE_OTEL_LOG_PROMPTS: 'full',
      CLAUDE_OTEL_LOG_RESPONSES: 'full',
      CLAUDE_OTEL_LOG_CONTENT: 'on',
      OTEL_RESOURCE_ATTRIBUTES: `owner=me,team.api_key=${RESOURCE_SECRET},deploy.note=uses%20AKIAIOSFODNN7EXAMPLE%20keys`,
    },
  });
  assert.equal(run.exitCode, 0, run.stderr);
  await waitForSession(s.receiver);
  await s.receiver.waitFor((r) => r.logs.some((l) => l.eventName === 'claude.session.end') && r.metrics.length > 0);
  const file = join(work, 'report.html');
  report = await runCommand(CTL_BIN, ['report', '--html', file], { sandbox: s.sandbox, env: { CLAUDE_OTEL_STATE_DIR: s.stateDir } });
  html = existsSync(file) ? readFileSync(file, 'utf8') : '';
});

after(async () => {
  await s?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the corpus has secrets to look for', () => {
  assert.ok(SECRETS.length >= 90, String(SECRETS.length));
});

test('no planted secret reaches the collector', () => {
  assert.deepEqual(leaks(received()), []);
});

test('no planted secret reaches the local store', async () => {
  const text = await stored(s.stateDir);
  assert.ok(text.length > 0);
  assert.deepEqual(leaks(text), []);
});

test('no planted secret reaches the HTML report', () => {
  assert.equal(report.exitCode, 0, report.stderr);
  assert.ok(html.includes('<!doctype html>'));
  assert.deepEqual(leaks(html), []);
});

test('no planted secret reaches the debug output', () => {
  assert.ok(run.stderr.length > 0);
  assert.deepEqual(leaks(run.stderr), []);
});

test('the prompt arrives whole, every credential replaced and every other word kept', () => {
  const prompt = s.receiver.logs.find((l) => l.eventName === 'claude.user_prompt');
  assert.equal(prompt?.body, ordered.map((e) => e.expected).join('\n'));
  const root = s.receiver.spans.find((x) => x.name === 'claude.session');
  assert.equal(
    root?.attributes['claude.prompt.preview'],
    ordered
      .map((e) => e.expected)
      .join('\n')
      .slice(0, 120),
  );
});

test('the Bash command, its output and the environment: redacted, readable', () => {
  const tools = spansNamed(s.receiver.spans, 'execute_tool');
  const summaries = tools.map((x) => String(x.attributes['claude.tool.input_summary']));
  assert.ok(
    summaries.includes(
      `export DB_PASS='${REDACTED}' STRIPE_KEY=${REDACTED}; echo "mysql -uroot -p${REDACTED} shop"; echo "curl -u alice:${REDACTED} https://x"`,
    ),
    summaries.join('\n'),
  );
  const failed = tools.find((x) => x.attributes['claude.tool.exit_code'] === 3);
  const message = String(failed?.attributes['claude.tool.error_message']);
  assert.ok(message.startsWith('Exit code 3\n'), message);
  const expectedOutput = OUTPUT_ENTRIES.map((e) => e.expected).join('\n');
  assert.ok(message.includes(expectedOutput.slice(0, 200)), message);
  const result = String(failed?.attributes['gen_ai.tool.call.result']);
  assert.ok(result.includes(`token ${REDACTED}`), result);
});

test('resource attributes: judged by key and by value', () => {
  const root = s.receiver.spans.find((x) => x.name === 'claude.session');
  assert.equal(root?.resource['team.api_key'], REDACTED);
  assert.equal(root?.resource['deploy.note'], `uses ${REDACTED} keys`);
  assert.equal(root?.resource.owner, 'me');
});

test('the response keeps its words and loses its key', () => {
  const response = s.receiver.logs.find((l) => l.eventName === 'claude.assistant_response');
  assert.equal(response?.body, `Done. The key ${REDACTED} is in the vault.`);
});
