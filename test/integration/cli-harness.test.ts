/**
 * The scripted Anthropic API stand-in and the CLI harness, proven against the real Claude CLI
 * (devDependency @anthropic-ai/claude-code), fully offline. Also re-checks, on the installed CLI,
 * the output-format rules recorded in test/fixtures/streams/FINDINGS.md.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { startAnthropicStub, type AnthropicStub, type StubStep } from '../support/anthropic-stub.ts';
import { CLAUDE_BIN, CLI_DEFAULTS, cliAtLeast, LOGIN_SHELL_ENV, makeSandbox, runCommand, type RunResult, type Sandbox } from '../support/claude-run.ts';

const skip = existsSync(CLAUDE_BIN) ? false : `Claude CLI not installed at ${CLAUDE_BIN}`;
const TIMEOUT = 60_000;
const ALLOWED = ['--allowedTools', 'Bash', 'Read', 'Write', 'Edit', 'Glob', 'Grep', 'Task'];

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseLines(stdout: Buffer): Json[] {
  const text = stdout.toString('utf8');
  assert.ok(text.endsWith('\n'), 'stream-json output ends with a newline');
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => {
      const value: unknown = JSON.parse(line);
      assert.ok(isRecord(value), `line is an object: ${line.slice(0, 80)}`);
      return value;
    });
}

function contentBlocks(line: Json): Json[] {
  const message = line.message;
  if (!isRecord(message) || !Array.isArray(message.content)) return [];
  return message.content.filter(isRecord);
}

/** Runs `claude -p <prompt> ...args` in a fresh sandbox against a fresh stub. */
async function runScript(
  script: (sandbox: Sandbox) => StubStep[],
  args: string[],
  opts: { prompt?: string | null; stdin?: string } = {},
): Promise<{ result: RunResult; stub: AnthropicStub; home: string }> {
  // The sandbox is made first so that the script can use its absolute paths; the stub's URL is
  // then given per run.
  const sandbox = await makeSandbox({ apiUrl: 'http://127.0.0.1:9' });
  const stub = await startAnthropicStub(script(sandbox));
  try {
    const prompt = opts.prompt === undefined ? ['do it'] : opts.prompt === null ? [] : [opts.prompt];
    const result = await runCommand(CLAUDE_BIN, ['-p', ...prompt, ...args], {
      sandbox,
      env: { ANTHROPIC_BASE_URL: stub.url },
      ...(opts.stdin !== undefined ? { stdin: opts.stdin } : {}),
      timeoutMs: TIMEOUT,
    });
    return { result, stub, home: sandbox.home };
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

test('HTTP 400 on the first call: exit 1, is_error result, "API Error" text', { skip, timeout: TIMEOUT }, async () => {
  // One more answer than the CLI asks for: a retry past its limit would get "done" and exit 0.
  const script = (): StubStep[] => Array.from({ length: CLI_DEFAULTS.requestsPer400 + 1 }, () => ({ kind: 'error' as const, status: 400 }));
  const stream = await runScript(script, ['--output-format', 'stream-json', '--verbose']);
  assert.equal(stream.result.exitCode, 1);
  assert.equal(stream.stub.requests.filter((r) => r.agentLoop).length, CLI_DEFAULTS.requestsPer400, '2.1.197: not retried; 2.1.332: retried 5 times');
  // Either way the retries of a 400 are silent: no api_retry line.
  assert.ok(!parseLines(stream.result.stdout).some((l) => l.type === 'system' && l.subtype === 'api_retry'));
  const last = parseLines(stream.result.stdout).at(-1);
  assert.equal(last?.type, 'result');
  assert.equal(last?.is_error, true);
  assert.equal(last?.api_error_status, 400);

  const text = await runScript(script, ['--output-format', 'text']);
  assert.equal(text.result.exitCode, 1);
  assert.equal(text.result.stdout.toString(), 'API Error: 400 stub: invalid request\n');
});

/** Replaces the fields that differ between two runs of the same script (ids, timings, paths). */
function normalise(s: string, home: string): string {
  return s
    .replaceAll(home.replaceAll('/', '-'), '-HOME')
    .replaceAll(home, '/HOME')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'UUID')
    .replace(/(msg|req)_stub[A-Za-z0-9]+/g, '$1_ID')
    .replace(/"(duration_ms|duration_api_ms|ttft_ms|ttft_stream_ms|time_to_request_ms|first_content_frame_ms)":\d+/g, '"$1":0')
    .replace(/"messaging_socket_path":"[^"]*"/g, '"messaging_socket_path":"S"')
    .replace(/"timestamp":"[^"]*"/g, '"timestamp":"T"');
}

test('text and json outputs derive from the stream-json lines as documented', { skip, timeout: TIMEOUT }, async () => {
  const script = (): StubStep[] => [
    { kind: 'tools', tools: [{ name: 'Bash', input: { command: 'echo hi', description: 'hi' } }] },
    { kind: 'text', text: 'a\u2028b' },
  ];
  const [stream, text, json, jsonVerbose] = await Promise.all([
    runScript(script, ['--output-format', 'stream-json', '--verbose', ...ALLOWED]),
    runScript(script, ['--output-format', 'text', ...ALLOWED]),
    runScript(script, ['--output-format', 'json', ...ALLOWED]),
    runScript(script, ['--output-format', 'json', '--verbose', ...ALLOWED]),
  ]);
  for (const run of [stream, text, json, jsonVerbose]) assert.equal(run.result.exitCode, 0, run.result.stderr);

  const raw = stream.result.stdout.toString('utf8');
  const lines = parseLines(stream.result.stdout);
  // stream-json: JSON.stringify per line with U+2028/U+2029 escaped, "\n" after each.
  assert.equal(
    raw,
    lines
      .map(
        (o) =>
          `${JSON.stringify(o)
            .replace(/\u2028/g, '\\u2028')
            .replace(/\u2029/g, '\\u2029')}\n`,
      )
      .join(''),
  );
  const resultLine = lines.at(-1);
  assert.ok(resultLine && resultLine.type === 'result' && typeof resultLine.result === 'string');

  // text: the result plus "\n" (the result here does not end with one).
  assert.equal(text.result.stdout.toString('utf8'), `${resultLine.result}\n`);
  // json: JSON.stringify(result line) + "\n". 2.1.197: plain JSON.stringify, U+2028 stays raw.
  // 2.1.332 (its result lines carry result_index): escaped as in stream-json, and without the
  // result's model_usage_since_last_result.
  const newWriter = 'result_index' in resultLine;
  assert.equal(newWriter, cliAtLeast('2.1.332'));
  const asJson = (value: unknown) =>
    newWriter
      ? JSON.stringify(value)
          .replace(/\u2028/g, '\\u2028')
          .replace(/\u2029/g, '\\u2029')
      : JSON.stringify(value);
  // 2.1.337 stamps stream-json lines with `written_at`; its json output leaves it out.
  const withoutWrittenAt = (line: Json): Json => {
    const { written_at: _writtenAt, ...rest } = line;
    return rest;
  };
  const { model_usage_since_last_result: _sinceLast, ...jsonResult } = withoutWrittenAt(resultLine);
  assert.equal(normalise(json.result.stdout.toString('utf8'), json.home), normalise(`${asJson(jsonResult)}\n`, stream.home));
  // json --verbose: JSON.stringify(array of the lines, less stream_event and task/hook system lines) + "\n".
  // 2.1.332's init advertises one capability more in stream-json runs than in json runs, 2.1.337's two.
  const asInJson = (streamLine: Json): Json => {
    const line = withoutWrittenAt(streamLine);
    return line.type === 'system' && line.subtype === 'init' && Array.isArray(line.capabilities)
      ? { ...line, capabilities: line.capabilities.filter((c) => c !== 'lifecycle_wakeup_source_v1' && c !== 'lifecycle_idle_v1') }
      : line;
  };
  assert.equal(
    normalise(jsonVerbose.result.stdout.toString('utf8'), jsonVerbose.home),
    normalise(`${asJson([...lines.slice(0, -1).map(asInJson), jsonResult])}\n`, stream.home),
  );
});

test('stdin alone supplies the prompt', { skip, timeout: TIMEOUT }, async () => {
  const { result, stub } = await runScript(() => [{ kind: 'text', text: 'Got it.' }], ['--output-format', 'text'], {
    prompt: null,
    stdin: 'prompt from stdin\n',
  });
  assert.equal(result.exitCode, 0, result.stderr);
  assert.equal(result.stdout.toString(), 'Got it.\n');
  assert.match(JSON.stringify(stub.requests[0]?.body), /prompt from stdin\\n/);
});
