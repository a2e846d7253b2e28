import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startScenario, waitForSession, spansNamed, ALLOW_TOOLS } from '../support/scenario.ts';
import type { Scenario } from '../support/scenario.ts';
import type { OtlpReceiver } from '../support/otlp-receiver.ts';

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

test('planted secrets in the prompt, a tool input and the environment reach neither collector, store nor debug log', async () => {
  const s = await startScenario([
    {
      kind: 'tools',
      tools: [
        { name: 'Bash', input: { command: `GITHUB_TOKEN=${GITHUB_TOKEN} printf ok` } },
        { name: 'Bash', input: { command: 'echo "value is $DEPLOY_TOKEN"; exit 2' } },
      ],
    },
    { kind: 'text', text: 'done' },
  ]);
  try {
    const run = await s.wrapper(['-p', `deploy with key ${PROMPT_KEY} please`, '--otel-debug', ...ALLOW_TOOLS], {
      env: {
        DEPLOY_TOKEN: ENV_SECRET,
        OTEL_METRICS_EXPORTER: 'otlp',
        CLAUDE_OTEL_LOG_PROMPTS: 'full',
        CLAUDE_OTEL_LOG_RESPONSES: 'full',
        OTEL_RESOURCE_ATTRIBUTES: `owner=me,api_key=${ENV_SECRET}`,
      },
    });
    assert.equal(run.exitCode, 0);
    const root = await waitForSession(s.receiver);
    await s.receiver.waitFor((r) => r.logs.some((l) => l.eventName === 'claude.session.end') && r.metrics.length > 0);
    const sent = everythingReceived(s.receiver);
    const stored = await everythingStored(s.stateDir);
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
    const summaries = spansNamed(s.receiver.spans, 'execute_tool').map((x) => x.attributes['claude.tool.input_summary']);
    assert.ok(summaries.includes('GITHUB_TOKEN=[REDACTED] printf ok'), String(summaries));
    const failing = spansNamed(s.receiver.spans, 'execute_tool').find((x) => x.attributes['claude.tool.exit_code'] === 2);
    assert.equal(failing?.attributes['claude.tool.error_message'], 'Exit code 2\nvalue is [REDACTED]');
    const prompt = s.receiver.logs.find((l) => l.eventName === 'claude.user_prompt');
    assert.equal(prompt?.body, 'deploy with key [REDACTED] please');
    assert.equal(root.resource.api_key, '[REDACTED]');
    assert.equal(root.resource.owner, 'me');
  } finally {
    await s.close();
  }
});

test('paths under the working directory are exported as they are, though PWD and OLDPWD are set', async () => {
  // The run's environment is a login shell's (PWD = the project, OLDPWD = home): their values are
  // no secrets, so a path that contains them stays readable in spans, logs, store and debug log.
  const s = await startScenario([
    { kind: 'tools', tools: [{ name: 'Bash', input: { command: 'pwd; echo "$HOME/.config"; exit 3' } }] },
    { kind: 'text', text: 'done' },
  ]);
  try {
    const run = await s.wrapper(['-p', 'where am I', '--otel-debug', ...ALLOW_TOOLS], {
      env: { DEPLOY_TOKEN: ENV_SECRET, OTEL_METRICS_EXPORTER: 'otlp' },
    });
    assert.equal(run.exitCode, 0);
    await waitForSession(s.receiver);
    await s.receiver.waitFor((r) => r.logs.some((l) => l.eventName === 'claude.session.end'));
    const failing = spansNamed(s.receiver.spans, 'execute_tool').find((x) => x.attributes['claude.tool.exit_code'] === 3);
    assert.equal(failing?.attributes['claude.tool.error_message'], `Exit code 3\n${s.sandbox.cwd}\n${s.sandbox.home}/.config`);
    for (const [where, text] of [
      ['collector', everythingReceived(s.receiver)],
      ['store', await everythingStored(s.stateDir)],
      ['debug output', run.stderr],
    ] as const) {
      assert.ok(!text.includes('[REDACTED]'), `a path was redacted in the ${where}`);
    }
  } finally {
    await s.close();
  }
});

async function promptLevelRun(level: string | undefined, responses: string | undefined): Promise<{ s: Scenario; received: string }> {
  const s = await startScenario([{ kind: 'text', text: 'The answer text.' }]);
  const env: Record<string, string | undefined> = {};
  if (level) env.CLAUDE_OTEL_LOG_PROMPTS = level;
  if (responses) env.CLAUDE_OTEL_LOG_RESPONSES = responses;
  const run = await s.wrapper(['-p', 'a question of thirty characters'], { env });
  assert.equal(run.exitCode, 0);
  await waitForSession(s.receiver);
  await s.receiver.waitFor((r) => r.logs.some((l) => l.eventName === 'claude.session.end'));
  return { s, received: everythingReceived(s.receiver) };
}

test('prompt level preview (default): 120-character preview on the spans, length but no text in the log', async () => {
  const { s, received } = await promptLevelRun(undefined, undefined);
  try {
    const root = s.receiver.spans.find((x) => x.name === 'claude.session');
    assert.equal(root?.attributes['claude.prompt.preview'], 'a question of thirty characters');
    const log = s.receiver.logs.find((l) => l.eventName === 'claude.user_prompt');
    assert.equal(log?.attributes['claude.prompt.length'], 31);
    assert.ok(log?.body === null || log?.body === undefined || log?.body === '', 'no prompt text in the log record');
    // Responses are off by default.
    assert.ok(!received.includes('The answer text.'));
    const response = s.receiver.logs.find((l) => l.eventName === 'claude.assistant_response');
    assert.equal(response?.attributes['claude.response.length'], 'The answer text.'.length);
  } finally {
    await s.close();
  }
});

test('prompt level full: the whole prompt in the log body; responses full', async () => {
  const { s } = await promptLevelRun('full', 'full');
  try {
    assert.equal(s.receiver.logs.find((l) => l.eventName === 'claude.user_prompt')?.body, 'a question of thirty characters');
    assert.equal(s.receiver.logs.find((l) => l.eventName === 'claude.assistant_response')?.body, 'The answer text.');
  } finally {
    await s.close();
  }
});

test('prompt level off: no prompt text anywhere, lengths only', async () => {
  const { s, received } = await promptLevelRun('off', 'preview');
  try {
    assert.ok(!received.includes('thirty characters'));
    const stored = await everythingStored(s.stateDir);
    assert.ok(!stored.includes('thirty characters'));
    assert.equal(s.receiver.logs.find((l) => l.eventName === 'claude.user_prompt')?.attributes['claude.prompt.length'], 31);
    assert.equal(s.receiver.logs.find((l) => l.eventName === 'claude.assistant_response')?.body, 'The answer text.');
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
    // With CLAUDE_OTEL_KEEP_ERRORS=false the failing one is dropped too.
    s.receiver.clear();
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
