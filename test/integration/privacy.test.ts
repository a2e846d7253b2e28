import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startScenario, waitForSession, spansNamed, ALLOW_TOOLS } from '../support/scenario.ts';
import type { StubStep } from '../support/anthropic-stub.ts';
import type { RunResult, Sandbox } from '../support/claude-run.ts';
import type { OtlpReceiver, ReceivedSpan } from '../support/otlp-receiver.ts';

// Secrets never leave the machine; prompt and response text only at the level asked for;
// limits and sampling as documented in docs/telemetry.md.

const GITHUB_TOKEN = 'ghp_PLANTEDabcdefghijklmnopqrstuvwxyz0123';
const PROMPT_KEY = 'sk-ant-api03-PLANTEDsecretINprompt0123456789';
const ENV_SECRET = 'planted-env-secret-value-77';

function everythingReceived(r: OtlpReceiver): string {
  return JSON.stringify({ spans: r.spans, logs: r.logs, metrics: r.metrics }, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

async function everythingStored(dir: string): Promise<string> {
  if (!existsSync(dir)) return '';
  let text = '';
  for (const entry of await readdir(dir, { recursive: true })) {
    const path = join(dir, entry);
    if ((await stat(path)).isFile()) text += await readFile(path, 'utf8');
  }
  return text;
}

interface KeptRun {
  run: RunResult;
  root: ReceivedSpan;
  /** Closed by now, with all the run sent. */
  receiver: OtlpReceiver;
  /** The state dir's files, read before the scenario's cleanup removed them. */
  stored: string;
  sandbox: Sandbox;
}

/** One wrapper run with metrics on, kept for the several tests that read it. */
async function keptRun(script: StubStep[], args: string[], env: Record<string, string>): Promise<KeptRun> {
  const s = await startScenario(script);
  try {
    const run = await s.wrapper(args, { env: { OTEL_METRICS_EXPORTER: 'otlp', ...env } });
    const root = await waitForSession(s.receiver);
    await s.receiver.waitFor((r) => r.logs.some((l) => l.eventName === 'claude.session.end') && r.metrics.length > 0);
    return { run, root, receiver: s.receiver, stored: await everythingStored(s.stateDir), sandbox: s.sandbox };
  } finally {
    await s.close();
  }
}

const ANSWER = 'The answer text.';

/** Prompts and responses at full, with secrets planted in the prompt, a tool input and the environment. */
let fullLevels: Promise<KeptRun> | undefined;
function fullLevelsRun(): Promise<KeptRun> {
  fullLevels ??= keptRun(
    [
      {
        kind: 'tools',
        tools: [
          { name: 'Bash', input: { command: `GITHUB_TOKEN=${GITHUB_TOKEN} printf ok` } },
          { name: 'Bash', input: { command: 'echo "value is $DEPLOY_TOKEN"; exit 2' } },
        ],
      },
      { kind: 'text', text: ANSWER },
    ],
    ['-p', `deploy with key ${PROMPT_KEY} please`, '--otel-debug', ...ALLOW_TOOLS],
    {
      DEPLOY_TOKEN: ENV_SECRET,
      CLAUDE_OTEL_LOG_PROMPTS: 'full',
      CLAUDE_OTEL_LOG_RESPONSES: 'full',
      OTEL_RESOURCE_ATTRIBUTES: `owner=me,api_key=${ENV_SECRET}`,
    },
  );
  return fullLevels;
}

/** Prompts and responses at their default levels, a secret in the environment, a failing tool that prints paths. */
let defaultLevels: Promise<KeptRun> | undefined;
function defaultLevelsRun(): Promise<KeptRun> {
  defaultLevels ??= keptRun(
    [
      { kind: 'tools', tools: [{ name: 'Bash', input: { command: 'pwd; echo "$HOME/.config"; exit 3' } }] },
      { kind: 'text', text: ANSWER },
    ],
    ['-p', 'a question of thirty characters', '--otel-debug', ...ALLOW_TOOLS],
    { DEPLOY_TOKEN: ENV_SECRET },
  );
  return defaultLevels;
}

test('planted secrets in the prompt, a tool input and the environment reach neither collector, store nor debug log', async () => {
  const { run, root, receiver, stored } = await fullLevelsRun();
  assert.equal(run.exitCode, 0);
  const sent = everythingReceived(receiver);
  for (const [where, text] of [
    ['collector', sent],
    ['store', stored],
    ['debug output', run.stderr],
  ] as const) {
    for (const secret of [GITHUB_TOKEN, PROMPT_KEY, ENV_SECRET]) assert.ok(!text.includes(secret), `${secret} reached the ${where}`);
  }
  assert.ok(stored.length > 0 && run.stderr.length > 0);
  // The rest of the text is intact.
  assert.equal(root.attributes['claude.prompt.preview'], 'deploy with key [REDACTED] please');
  const summaries = spansNamed(receiver.spans, 'execute_tool').map((x) => x.attributes['claude.tool.input_summary']);
  assert.ok(summaries.includes('GITHUB_TOKEN=[REDACTED] printf ok'), String(summaries));
  const failing = spansNamed(receiver.spans, 'execute_tool').find((x) => x.attributes['claude.tool.exit_code'] === 2);
  assert.equal(failing?.attributes['claude.tool.error_message'], 'Exit code 2\nvalue is [REDACTED]');
  const prompt = receiver.logs.find((l) => l.eventName === 'claude.user_prompt');
  assert.equal(prompt?.body, 'deploy with key [REDACTED] please');
  assert.equal(root.resource.api_key, '[REDACTED]');
  assert.equal(root.resource.owner, 'me');
});

test('paths under the working directory are exported as they are, though PWD and OLDPWD are set', async () => {
  // The run's environment is a login shell's (PWD = the project, OLDPWD = home): their values are
  // no secrets, so a path that contains them stays readable in spans, logs, store and debug log.
  const { run, receiver, stored, sandbox } = await defaultLevelsRun();
  assert.equal(run.exitCode, 0);
  const failing = spansNamed(receiver.spans, 'execute_tool').find((x) => x.attributes['claude.tool.exit_code'] === 3);
  assert.equal(failing?.attributes['claude.tool.error_message'], `Exit code 3\n${sandbox.cwd}\n${sandbox.home}/.config`);
  for (const [where, text] of [
    ['collector', everythingReceived(receiver)],
    ['store', stored],
    ['debug output', run.stderr],
  ] as const) {
    assert.ok(!text.includes('[REDACTED]'), `a path was redacted in the ${where}`);
  }
});

test('prompt level preview (default): 120-character preview on the spans, length but no text in the log', async () => {
  const { run, root, receiver } = await defaultLevelsRun();
  assert.equal(run.exitCode, 0);
  assert.equal(root.attributes['claude.prompt.preview'], 'a question of thirty characters');
  const log = receiver.logs.find((l) => l.eventName === 'claude.user_prompt');
  assert.equal(log?.attributes['claude.prompt.length'], 31);
  assert.ok(log?.body === null || log?.body === undefined || log?.body === '', 'no prompt text in the log record');
  // Responses are off by default.
  assert.ok(!everythingReceived(receiver).includes(ANSWER));
  const response = receiver.logs.find((l) => l.eventName === 'claude.assistant_response');
  assert.equal(response?.attributes['claude.response.length'], ANSWER.length);
});

test('prompt level full: the whole prompt in the log body; responses full', async () => {
  const { run, receiver } = await fullLevelsRun();
  assert.equal(run.exitCode, 0);
  // The whole prompt, as redacted.
  assert.equal(receiver.logs.find((l) => l.eventName === 'claude.user_prompt')?.body, 'deploy with key [REDACTED] please');
  assert.equal(receiver.logs.find((l) => l.eventName === 'claude.assistant_response')?.body, ANSWER);
});

test('prompt level off: no prompt text anywhere, lengths only', async () => {
  const s = await startScenario([{ kind: 'text', text: ANSWER }]);
  try {
    const run = await s.wrapper(['-p', 'a question of thirty characters'], { env: { CLAUDE_OTEL_LOG_PROMPTS: 'off', CLAUDE_OTEL_LOG_RESPONSES: 'preview' } });
    assert.equal(run.exitCode, 0);
    await waitForSession(s.receiver);
    await s.receiver.waitFor((r) => r.logs.some((l) => l.eventName === 'claude.session.end'));
    assert.ok(!everythingReceived(s.receiver).includes('thirty characters'));
    const stored = await everythingStored(s.stateDir);
    assert.ok(!stored.includes('thirty characters'));
    assert.equal(s.receiver.logs.find((l) => l.eventName === 'claude.user_prompt')?.attributes['claude.prompt.length'], 31);
    assert.equal(s.receiver.logs.find((l) => l.eventName === 'claude.assistant_response')?.body, ANSWER);
  } finally {
    await s.close();
  }
});

test('a 24-character attribute limit cuts long values, with a mark', async () => {
  const s = await startScenario([
    { kind: 'tools', tools: [{ name: 'Bash', input: { command: 'echo this command is longer than twenty-four characters' } }] },
    { kind: 'text', text: 'ok' },
  ]);
  try {
    const run = await s.wrapper(['-p', 'a prompt that is clearly longer than the limit', ...ALLOW_TOOLS], { env: { OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '24' } });
    assert.equal(run.exitCode, 0);
    const root = await waitForSession(s.receiver);
    await s.receiver.waitFor((r) => r.logs.some((l) => l.eventName === 'claude.session.end'));
    assert.equal(root.attributes['claude.prompt.preview'], 'a prompt that is clearl…');
    const tool = spansNamed(s.receiver.spans, 'execute_tool')[0];
    assert.equal(tool?.attributes['claude.tool.input_summary'], 'echo this command is lo…');
    for (const span of s.receiver.spans) {
      for (const value of Object.values(span.attributes)) if (typeof value === 'string') assert.ok(value.length <= 24, `${span.name}: ${value}`);
    }
    const toolStart = s.receiver.logs.find((l) => l.eventName === 'claude.tool.start');
    assert.equal(toolStart?.attributes['claude.tool.input_summary'], 'echo this command is lo…');
  } finally {
    await s.close();
  }
});

test('always_off: no spans, but logs still flow', async () => {
  const s = await startScenario([{ kind: 'text', text: 'ok' }]);
  try {
    const run = await s.wrapper(['-p', 'go'], { env: { OTEL_TRACES_SAMPLER: 'always_off', OTEL_METRICS_EXPORTER: 'otlp' } });
    assert.equal(run.exitCode, 0);
    await s.receiver.waitFor((r) => r.logs.some((l) => l.eventName === 'claude.session.end') && r.metrics.some((m) => m.name === 'claude.session.count'));
    assert.equal(s.receiver.spans.length, 0);
  } finally {
    await s.close();
  }
});

test('ratio 0: a clean session is dropped, a failing one is kept whole', async () => {
  const s = await startScenario([
    { kind: 'tools', tools: [{ name: 'Bash', input: { command: 'echo fine' } }] },
    { kind: 'text', text: 'clean' },
    {
      kind: 'tools',
      tools: [
        { name: 'Bash', input: { command: 'echo fine' } },
        { name: 'Bash', input: { command: 'exit 9' } },
      ],
    },
    { kind: 'text', text: 'failed one' },
  ]);
  try {
    const env = { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0', OTEL_METRICS_EXPORTER: 'otlp' };
    const clean = await s.wrapper(['-p', 'clean', ...ALLOW_TOOLS], { env });
    assert.equal(clean.exitCode, 0);
    await s.receiver.waitFor((r) => r.logs.some((l) => l.eventName === 'claude.session.end'));
    assert.equal(s.receiver.spans.length, 0, 'the clean session was sampled out');
    assert.ok(
      s.receiver.metrics.some((m) => m.name === 'claude.session.count'),
      'metrics count it anyway',
    );
    const failing = await s.wrapper(['-p', 'failing', ...ALLOW_TOOLS], { env });
    assert.equal(failing.exitCode, 0);
    const root = await waitForSession(s.receiver);
    const trace = s.receiver.spans.filter((x) => x.traceId === root.traceId);
    assert.equal(trace.length, s.receiver.spans.length);
    // Whole: session, prompt, two chats, two tools.
    assert.equal(spansNamed(trace, 'execute_tool').length, 2);
    assert.equal(spansNamed(trace, 'chat').length, 2);
    assert.equal(spansNamed(trace, 'invoke_agent').length, 1);
  } finally {
    await s.close();
  }
});

test('CLAUDE_OTEL_KEEP_ERRORS=false lets the sampler drop failing sessions too', async () => {
  const s = await startScenario([
    { kind: 'tools', tools: [{ name: 'Bash', input: { command: 'exit 9' } }] },
    { kind: 'text', text: 'failed' },
  ]);
  try {
    const run = await s.wrapper(['-p', 'go', ...ALLOW_TOOLS], {
      env: { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0', CLAUDE_OTEL_KEEP_ERRORS: 'false' },
    });
    assert.equal(run.exitCode, 0);
    await s.receiver.waitFor((r) => r.logs.some((l) => l.eventName === 'claude.session.end'));
    assert.equal(s.receiver.spans.length, 0);
  } finally {
    await s.close();
  }
});

test('OTEL_SDK_DISABLED=true: a pure pass-through, nothing exported, nothing stored', async () => {
  const s = await startScenario([
    { kind: 'text', text: 'plain' },
    { kind: 'text', text: 'plain' },
  ]);
  try {
    const bare = await s.claude(['-p', 'go', '--output-format', 'json']);
    const run = await s.wrapper(['-p', 'go', '--output-format', 'json'], { env: { OTEL_SDK_DISABLED: 'true' } });
    assert.equal(run.exitCode, bare.exitCode);
    assert.equal(JSON.parse(run.stdout.toString()).result, 'plain');
    // The wrapper has exited: anything it would have sent has been answered by now.
    assert.equal(s.receiver.requests.length, 0);
    assert.ok(!existsSync(s.stateDir), 'no state dir');
  } finally {
    await s.close();
  }
});
