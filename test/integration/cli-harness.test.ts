/**
 * The scripted Anthropic API stand-in and the CLI harness, proven against the real Claude CLI,
 * fully offline. The output-format rules recorded in test/fixtures/streams/FINDINGS.md, an API
 * error and a prompt from stdin are re-checked on the bare runs of print-output.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { startAnthropicStub, type AnthropicStub, type StubStep } from '../support/anthropic-stub.ts';
import { CLAUDE_BIN, LOGIN_SHELL_ENV, makeSandbox, runCommand, type RunResult, type Sandbox } from '../support/claude-run.ts';
import { isRecord, parseLines } from '../support/stream-json-lines.ts';
import type { Json } from '../support/stream-json-lines.ts';

const skip = existsSync(CLAUDE_BIN) ? false : `Claude CLI not installed at ${CLAUDE_BIN}`;
const TIMEOUT = 60_000;
const ALLOWED = ['--allowedTools', 'Bash', 'Read', 'Write', 'Edit', 'Glob', 'Grep', 'Task'];

function contentBlocks(line: Json): Json[] {
  const message = line.message;
  if (!isRecord(message) || !Array.isArray(message.content)) return [];
  return message.content.filter(isRecord);
}

/** Runs `claude -p <prompt> ...args` in a fresh sandbox against a fresh stub. */
async function runScript(script: (sandbox: Sandbox) => StubStep[], args: string[]): Promise<{ result: RunResult; stub: AnthropicStub }> {
  // The sandbox is made first so that the script can use its absolute paths; the stub's URL is
  // then given per run.
  const sandbox = await makeSandbox({ apiUrl: 'http://127.0.0.1:9' });
  const stub = await startAnthropicStub(script(sandbox));
  try {
    const result = await runCommand(CLAUDE_BIN, ['-p', 'do it', ...args], { sandbox, env: { ANTHROPIC_BASE_URL: stub.url }, timeoutMs: TIMEOUT });
    return { result, stub };
  } finally {
    await stub.close();
    await sandbox.cleanup();
  }
}

const threeTools = (sb: Sandbox): StubStep[] => [
  {
    kind: 'tools',
    text: 'Let me look.',
    tools: [
      { name: 'Bash', input: { command: 'echo hello; echo warn >&2', description: 'say hello' } },
      { name: 'Write', input: { file_path: `${sb.cwd}/a.txt`, content: 'line1\nline2\n' } },
    ],
  },
  { kind: 'tools', tools: [{ name: 'Read', input: { file_path: `${sb.cwd}/a.txt` } }] },
  { kind: 'text', text: 'All done.' },
];

test('sandbox environment carries nothing from the caller but PATH: the rest is a login shell of its own', { skip }, async () => {
  const saved = { ...process.env };
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = 'http://leak.invalid';
  process.env.TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
  process.env.CLAUDE_CODE_ENABLE_TELEMETRY = '1';
  try {
    const sandbox = await makeSandbox({ apiUrl: 'http://127.0.0.1:9', extraEnv: { EXTRA_ONE: 'x' } });
    try {
      const keys = Object.keys(sandbox.env).sort();
      assert.deepEqual(
        keys,
        [
          'ANTHROPIC_API_KEY',
          'ANTHROPIC_BASE_URL',
          'CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC',
          'DISABLE_AUTOUPDATER',
          'EXTRA_ONE',
          'HOME',
          'PATH',
          ...(sandbox.env.SHELL !== undefined ? ['SHELL'] : []),
          ...Object.keys(LOGIN_SHELL_ENV(sandbox.cwd, sandbox.home)),
        ].sort(),
      );
      assert.equal(sandbox.env.HOME, sandbox.home);
      assert.equal(sandbox.env.PWD, sandbox.cwd);
      assert.equal(sandbox.env.OLDPWD, sandbox.home);
      assert.ok(sandbox.cwd.startsWith(sandbox.home));
      const result = await runCommand('/bin/sh', ['-c', 'env; pwd'], { sandbox });
      const out = result.stdout.toString();
      assert.equal(result.exitCode, 0);
      assert.doesNotMatch(out, /OTEL_|TRACEPARENT|CLAUDE_CODE_ENABLE_TELEMETRY/);
      assert.match(out, new RegExp(`^${sandbox.cwd}$`, 'm'));
    } finally {
      await sandbox.cleanup();
    }
  } finally {
    for (const key of ['OTEL_EXPORTER_OTLP_ENDPOINT', 'TRACEPARENT', 'CLAUDE_CODE_ENABLE_TELEMETRY']) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  }
});

test('three tool calls then text: 3 tool_results, stream events, a success result', { skip, timeout: TIMEOUT }, async () => {
  const { result, stub } = await runScript(threeTools, ['--output-format', 'stream-json', '--verbose', '--include-partial-messages', ...ALLOWED]);
  assert.equal(result.exitCode, 0, result.stderr);
  assert.equal(stub.remaining(), 0);
  const agentCalls = stub.requests.filter((r) => r.agentLoop);
  assert.equal(agentCalls.length, 3);
  assert.ok(agentCalls.every((r) => r.path.startsWith('/v1/messages')));

  const lines = parseLines(result.stdout);
  assert.equal(lines[0]?.type, 'system');
  assert.equal(lines[0]?.subtype, 'init');

  const toolResults = lines
    .filter((l) => l.type === 'user')
    .flatMap(contentBlocks)
    .filter((b) => b.type === 'tool_result');
  assert.deepEqual(
    toolResults.map((b) => [b.tool_use_id, b.is_error ?? false]),
    [
      ['toolu_1', false],
      ['toolu_2', false],
      ['toolu_3', false],
    ],
  );
  // Bash's stderr reaches the model merged into the content.
  assert.equal(toolResults[0]?.content, 'hello\nwarn');

  // Per-call output tokens: assistant lines repeat message_start's 1, message_delta has the final count.
  const assistantUsage = lines.filter((l) => l.type === 'assistant').map((l) => (isRecord(l.message) ? l.message.usage : undefined));
  assert.ok(assistantUsage.every((u) => isRecord(u) && u.output_tokens === 1));
  const deltas = lines
    .filter((l) => l.type === 'stream_event' && isRecord(l.event) && l.event.type === 'message_delta')
    .map((l) => (isRecord(l.event) && isRecord(l.event.usage) ? l.event.usage.output_tokens : undefined));
  assert.deepEqual(deltas, [40, 30, 12]);
  const starts = lines.filter((l) => l.type === 'stream_event' && isRecord(l.event) && l.event.type === 'message_start');
  assert.equal(starts.length, 3);
  assert.ok(starts.every((l) => typeof l.ttft_ms === 'number' && l.parent_tool_use_id === null));

  const last = lines.at(-1);
  assert.equal(last?.type, 'result');
  assert.equal(last?.subtype, 'success');
  assert.equal(last?.is_error, false);
  assert.equal(last?.result, 'All done.');
  assert.ok(isRecord(last?.usage) && last.usage.output_tokens === 82);
});
