import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startScenario, waitForSession, spansNamed, intAttr, ALLOW_TOOLS, CLAUDE_BIN, CLI_DEFAULTS, WRAPPER_BIN } from '../support/scenario.ts';
import type { Scenario } from '../support/scenario.ts';
import type { StubStep } from '../support/anthropic-stub.ts';
import { normalizeOutput } from '../support/normalize-output.ts';
import { cliAtLeast } from '../support/claude-run.ts';
import type { RunResult } from '../support/claude-run.ts';
import { parseLines } from '../support/stream-json-lines.ts';
import type { Json } from '../support/stream-json-lines.ts';

// claude-otel's stdout against bare claude's on the same script, byte for byte (ids and
// timings, which differ between any two runs, masked), the export settings, and the ways claude
// is found.

const script = (): StubStep[] => [
  { kind: 'tools', text: 'Looking.', tools: [{ name: 'Bash', input: { command: 'echo hi' } }] },
  { kind: 'text', text: 'Finished: ünïcödé\u2028line' },
];

const formats: [string, string[]][] = [
  ['text (default)', []],
  ['text', ['--output-format', 'text']],
  ['json', ['--output-format', 'json']],
  ['json --verbose', ['--output-format', 'json', '--verbose']],
  ['stream-json --verbose', ['--output-format', 'stream-json', '--verbose']],
  ['stream-json --verbose --include-partial-messages', ['--output-format', 'stream-json', '--verbose', '--include-partial-messages']],
];

interface FormatRun {
  bare: RunResult;
  wrapped: RunResult;
  /** The sandbox's HOME, which claude writes into some lines. */
  home: string;
}

/**
 * Formats whose bare output is another's bare output: text is claude's default format (the stdin
 * test below compares the wrapper with bare claude there too), so one bare run serves both.
 */
const sharedBare: Record<string, string> = { 'text (default)': 'text' };

/** Each format's bare and wrapped runs, made once: the tests below read them. */
const formatRuns = new Map<string, Promise<FormatRun>>();
function formatRun(name: string): Promise<FormatRun> {
  const args = formats.find(([n]) => n === name)?.[1];
  if (!args) throw new Error(`no format ${name}`);
  let run = formatRuns.get(name);
  if (!run) {
    run = (async () => {
      const bareOf = sharedBare[name];
      const sharedRun = bareOf ? await formatRun(bareOf) : undefined;
      const s = await startScenario(sharedRun ? script() : [...script(), ...script()]);
      try {
        const bare = sharedRun ? sharedRun.bare : await s.claude(['-p', 'go', ...args, ...ALLOW_TOOLS]);
        const wrapped = await s.wrapper(['-p', 'go', ...args, ...ALLOW_TOOLS]);
        await waitForSession(s.receiver);
        return { bare, wrapped, home: s.sandbox.home };
      } finally {
        await s.close();
      }
    })();
    formatRuns.set(name, run);
  }
  return run;
}

for (const [name, args] of formats) {
  test(`${name}: stdout and exit code identical to bare claude`, async () => {
    const { bare, wrapped } = await formatRun(name);
    assert.equal(bare.exitCode, 0, bare.stderr);
    assert.equal(wrapped.exitCode, bare.exitCode);
    assert.equal(wrapped.stderr, bare.stderr);
    assert.ok(bare.stdout.length > 0);
    assert.equal(normalizeOutput(wrapped.stdout.toString('utf8')), normalizeOutput(bare.stdout.toString('utf8')));
    if (!args.includes('json') && !args.includes('stream-json'))
      assert.equal(wrapped.stdout.toString(), bare.stdout.toString(), 'text is identical without masking');
  });
}

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

// What the wrapper's reading of claude's output rests on (test/fixtures/streams/FINDINGS.md),
// re-checked on the CLI under test, on the bare runs above.
test('bare claude: text and json outputs derive from the stream-json lines as documented', async () => {
  const [stream, text, json, jsonVerbose] = await Promise.all(
    ['stream-json --verbose', 'text', 'json', 'json --verbose'].map(async (name) => ({ name, ...(await formatRun(name)) })),
  ).then((runs) => runs.map(({ bare, home }) => ({ result: bare, home })));
  assert.ok(stream && text && json && jsonVerbose);

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
  assert.ok(raw.includes('\\u2028'), 'the answer holds a U+2028, escaped');
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

for (const [name, args] of [
  ['text', []],
  ['json', ['--output-format', 'json']],
  ['stream-json', ['--output-format', 'stream-json', '--verbose']],
] as const) {
  test(`API error in ${name}: stdout and exit code identical to bare claude`, async () => {
    const s = await startScenario(Array.from({ length: 2 * CLI_DEFAULTS.requestsPer400 }, () => ({ kind: 'error' as const, status: 400 })));
    try {
      const bare = await s.claude(['-p', 'go', ...args]);
      // 2.1.197 does not retry a 400; 2.1.332 retries it 5 times.
      assert.equal(s.stub.requests.filter((r) => r.agentLoop).length, CLI_DEFAULTS.requestsPer400);
      const wrapped = await s.wrapper(['-p', 'go', ...args]);
      assert.equal(bare.exitCode, 1);
      assert.equal(wrapped.exitCode, 1);
      assert.equal(normalizeOutput(wrapped.stdout.toString()), normalizeOutput(bare.stdout.toString()));
      if (name === 'text') assert.equal(bare.stdout.toString(), 'API Error: 400 stub: invalid request\n');
      if (name === 'stream-json') {
        const lines = parseLines(bare.stdout);
        // The retries of a 400 are silent: no api_retry line.
        assert.ok(!lines.some((l) => l.type === 'system' && l.subtype === 'api_retry'));
        const last = lines.at(-1);
        assert.equal(last?.type, 'result');
        assert.equal(last?.is_error, true);
        assert.equal(last?.api_error_status, 400);
      }
    } finally {
      await s.close();
    }
  });
}

test('combinations claude refuses are refused by claude itself, unchanged', async () => {
  const s = await startScenario([]);
  try {
    for (const args of [
      ['--output-format', 'stream-json'],
      ['--output-format', 'json', '--include-partial-messages'],
    ]) {
      const bare = await s.claude(['-p', 'go', ...args]);
      const wrapped = await s.wrapper(['-p', 'go', ...args]);
      assert.equal(bare.exitCode, 1);
      assert.equal(wrapped.exitCode, 1);
      assert.equal(wrapped.stdout.toString(), bare.stdout.toString());
      assert.equal(wrapped.stderr, bare.stderr);
    }
  } finally {
    await s.close();
  }
});

test('piped stdin reaches claude as the prompt, and the preview comes from it', async () => {
  const s = await startScenario([
    { kind: 'text', text: 'From stdin.' },
    { kind: 'text', text: 'From stdin.' },
  ]);
  try {
    const bare = await s.claude(['-p'], { stdin: 'what is in stdin\n' });
    // Bare claude: stdin alone is the prompt, as it was given.
    assert.equal(bare.exitCode, 0, bare.stderr);
    assert.match(JSON.stringify(s.stub.requests.find((r) => r.agentLoop)?.body), /what is in stdin\\n/);
    const wrapped = await s.wrapper(['-p'], { stdin: 'what is in stdin\n' });
    assert.equal(wrapped.exitCode, 0, wrapped.stderr);
    assert.equal(wrapped.stdout.toString(), bare.stdout.toString());
    assert.equal(wrapped.stdout.toString(), 'From stdin.\n');
    const root = await waitForSession(s.receiver);
    assert.equal(root.attributes['claude.prompt.preview'], 'what is in stdin');
    // The API saw the prompt.
    assert.ok(JSON.stringify(s.stub.requests.at(-1)?.body).includes('what is in stdin'));
  } finally {
    await s.close();
  }
});

/**
 * A PATH whose first `claude` is the wrapper itself (as `alias`/symlink users have it), the second
 * a shim script calling claude-otel; only the third dir has the real claude.
 */
async function pathWithWrappersFirst(s: Scenario): Promise<string> {
  const selfDir = join(s.sandbox.home, 'bin-self');
  const shimDir = join(s.sandbox.home, 'bin-shim');
  const realDir = join(s.sandbox.home, 'bin-real');
  await mkdir(selfDir);
  await mkdir(shimDir);
  await mkdir(realDir);
  await symlink(WRAPPER_BIN, join(selfDir, 'claude'));
  await writeFile(join(shimDir, 'claude'), `#!/bin/sh\nexec claude-otel "$@"\n`);
  await chmod(join(shimDir, 'claude'), 0o755);
  await symlink(CLAUDE_BIN, join(realDir, 'claude'));
  return [selfDir, shimDir, realDir, s.sandbox.env.PATH].join(':');
}

// One run per protocol, each with settings of its own: headers on all three; a gzip body on the
// HTTP ones; the resource's settings and a claude of the user's choosing on gRPC; claude looked up
// on PATH on HTTP/JSON.
const protocolRuns = {
  grpc: 'the resource from OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME, the claude CLAUDE_OTEL_CLAUDE_BIN names',
  'http/protobuf': 'compressed as OTEL_EXPORTER_OTLP_COMPRESSION says',
  'http/json': 'compressed as OTEL_EXPORTER_OTLP_COMPRESSION says; without CLAUDE_OTEL_CLAUDE_BIN, the first claude on PATH that is not the wrapper runs',
} as const;
for (const [protocol, checks] of Object.entries(protocolRuns) as [keyof typeof protocolRuns, string][]) {
  test(`export over ${protocol}, ${checks}`, async () => {
    const s = await startScenario(
      [
        { kind: 'tools', tools: [{ name: 'Bash', input: { command: 'echo p' } }] },
        { kind: 'text', text: 'ok' },
      ],
      { protocol },
    );
    try {
      const env: Record<string, string | undefined> = { OTEL_EXPORTER_OTLP_HEADERS: 'uptrace-dsn=https%3A%2F%2Ftoken%40example.test,x-team=blue' };
      const marker = join(s.sandbox.home, 'custom-ran');
      if (protocol === 'grpc') {
        env.OTEL_RESOURCE_ATTRIBUTES = 'deployment.environment.name=ci,team=plat%20form';
        env.OTEL_SERVICE_NAME = 'my-agent';
        const custom = join(s.sandbox.home, 'my-claude');
        await writeFile(custom, `#!/bin/sh\ntouch '${marker}'\nexec '${CLAUDE_BIN}' "$@"\n`);
        await chmod(custom, 0o755);
        env.CLAUDE_OTEL_CLAUDE_BIN = custom;
      } else {
        env.OTEL_EXPORTER_OTLP_COMPRESSION = 'gzip';
        env.OTEL_METRICS_EXPORTER = 'otlp';
      }
      if (protocol === 'http/json') {
        env.CLAUDE_OTEL_CLAUDE_BIN = undefined;
        env.PATH = await pathWithWrappersFirst(s);
      }
      const run = await s.wrapper(['-p', 'go', ...ALLOW_TOOLS], { env });
      assert.equal(run.exitCode, 0, run.stderr);
      assert.equal(run.stdout.toString(), 'ok\n');
      const root = await waitForSession(s.receiver);
      assert.ok(s.receiver.spans.every((x) => x.protocol === protocol));
      assert.equal(spansNamed(s.receiver.spans, 'execute_tool').length, 1, 'decoded whole');
      assert.equal(intAttr(root, 'claude.tool_count'), 1);
      const request = s.receiver.requests.find((r) => r.signal === 'traces');
      assert.equal(request?.headers['uptrace-dsn'], 'https://token@example.test');
      assert.equal(request?.headers['x-team'], 'blue');
      if (protocol === 'http/protobuf') assert.equal(request?.contentType, 'application/x-protobuf');
      if (protocol === 'http/json') assert.equal(request?.contentType, 'application/json');
      if (protocol === 'grpc') {
        assert.ok(existsSync(marker), 'the configured executable ran');
        assert.equal(root.resource['deployment.environment.name'], 'ci');
        assert.equal(root.resource.team, 'plat form');
        assert.equal(root.resource['service.name'], 'my-agent');
        assert.equal(root.resource['service.version'], '0.1.0');
        assert.ok(typeof root.resource['host.name'] === 'string');
        assert.ok(typeof root.resource['process.pid'] === 'number');
      } else {
        await s.receiver.waitFor((r) => r.logs.length > 0 && r.metrics.length > 0);
        for (const signal of ['traces', 'logs', 'metrics'] as const) {
          const sent = s.receiver.requests.find((r) => r.signal === signal);
          assert.equal(sent?.headers['content-encoding'], 'gzip', `${signal} gzipped`);
        }
      }
    } finally {
      await s.close();
    }
  });
}
