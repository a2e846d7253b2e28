import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startScenario, waitForSession, spansNamed, intAttr, ALLOW_TOOLS, CLAUDE_BIN, CLI_DEFAULTS, WRAPPER_BIN } from '../support/scenario.ts';
import type { StubStep } from '../support/anthropic-stub.ts';
import { normalizeOutput } from '../support/normalize-output.ts';

// claude-otel's stdout against bare claude's on the same script, byte for byte (ids and
// timings, which differ between any two runs, masked), and the ways claude is found.

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

for (const [name, args] of formats) {
  test(`${name}: stdout and exit code identical to bare claude`, async () => {
    const s = await startScenario([...script(), ...script()]);
    try {
      const bare = await s.claude(['-p', 'go', ...args, ...ALLOW_TOOLS]);
      const wrapped = await s.wrapper(['-p', 'go', ...args, ...ALLOW_TOOLS]);
      assert.equal(wrapped.exitCode, bare.exitCode);
      assert.equal(wrapped.stderr, bare.stderr);
      assert.ok(bare.stdout.length > 0);
      assert.equal(normalizeOutput(wrapped.stdout.toString('utf8')), normalizeOutput(bare.stdout.toString('utf8')));
      if (!args.includes('json') && !args.includes('stream-json'))
        assert.equal(wrapped.stdout.toString(), bare.stdout.toString(), 'text is identical without masking');
      await waitForSession(s.receiver);
    } finally {
      await s.close();
    }
  });
}

for (const [name, args] of [
  ['text', []],
  ['json', ['--output-format', 'json']],
  ['stream-json', ['--output-format', 'stream-json', '--verbose']],
] as const) {
  test(`API error in ${name}: stdout and exit code identical to bare claude`, async () => {
    const s = await startScenario(Array.from({ length: 2 * CLI_DEFAULTS.requestsPer400 }, () => ({ kind: 'error' as const, status: 400 })));
    try {
      const bare = await s.claude(['-p', 'go', ...args]);
      const wrapped = await s.wrapper(['-p', 'go', ...args]);
      assert.equal(bare.exitCode, 1);
      assert.equal(wrapped.exitCode, 1);
      assert.equal(normalizeOutput(wrapped.stdout.toString()), normalizeOutput(bare.stdout.toString()));
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

for (const protocol of ['grpc', 'http/protobuf', 'http/json'] as const) {
  test(`export over ${protocol}`, async () => {
    const s = await startScenario(
      [
        { kind: 'tools', tools: [{ name: 'Bash', input: { command: 'echo p' } }] },
        { kind: 'text', text: 'ok' },
      ],
      { protocol },
    );
    try {
      const run = await s.wrapper(['-p', 'go', ...ALLOW_TOOLS], {
        env: { OTEL_EXPORTER_OTLP_HEADERS: 'uptrace-dsn=https%3A%2F%2Ftoken%40example.test,x-team=blue' },
      });
      assert.equal(run.exitCode, 0, run.stderr);
      const root = await waitForSession(s.receiver);
      assert.ok(s.receiver.spans.every((x) => x.protocol === protocol));
      assert.equal(spansNamed(s.receiver.spans, 'execute_tool').length, 1);
      assert.equal(intAttr(root, 'claude.tool_count'), 1);
      const request = s.receiver.requests.find((r) => r.signal === 'traces');
      assert.equal(request?.headers['uptrace-dsn'], 'https://token@example.test');
      assert.equal(request?.headers['x-team'], 'blue');
      if (protocol === 'http/protobuf') assert.equal(request?.contentType, 'application/x-protobuf');
      if (protocol === 'http/json') assert.equal(request?.contentType, 'application/json');
    } finally {
      await s.close();
    }
  });
}

for (const protocol of ['http/protobuf', 'http/json'] as const) {
  test(`the export at exit is compressed as OTEL_EXPORTER_OTLP_COMPRESSION says (${protocol})`, async () => {
    const s = await startScenario(
      [
        { kind: 'tools', tools: [{ name: 'Bash', input: { command: 'echo z' } }] },
        { kind: 'text', text: 'ok' },
      ],
      { protocol },
    );
    try {
      const run = await s.wrapper(['-p', 'go', ...ALLOW_TOOLS], { env: { OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip', OTEL_METRICS_EXPORTER: 'otlp' } });
      assert.equal(run.exitCode, 0, run.stderr);
      await waitForSession(s.receiver);
      await s.receiver.waitFor((r) => r.logs.length > 0 && r.metrics.length > 0);
      for (const signal of ['traces', 'logs', 'metrics'] as const) {
        const request = s.receiver.requests.find((r) => r.signal === signal);
        assert.equal(request?.headers['content-encoding'], 'gzip', `${signal} gzipped`);
      }
      assert.equal(spansNamed(s.receiver.spans, 'execute_tool').length, 1, 'and decoded whole');
    } finally {
      await s.close();
    }
  });
}

test('OTEL_RESOURCE_ATTRIBUTES and OTEL_SERVICE_NAME reach the resource', async () => {
  const s = await startScenario([{ kind: 'text', text: 'ok' }]);
  try {
    const run = await s.wrapper(['-p', 'go'], {
      env: { OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=ci,team=plat%20form', OTEL_SERVICE_NAME: 'my-agent' },
    });
    assert.equal(run.exitCode, 0, run.stderr);
    const root = await waitForSession(s.receiver);
    assert.equal(root.resource['deployment.environment.name'], 'ci');
    assert.equal(root.resource.team, 'plat form');
    assert.equal(root.resource['service.name'], 'my-agent');
    assert.equal(root.resource['service.version'], '0.1.0');
    assert.ok(typeof root.resource['host.name'] === 'string');
    assert.ok(typeof root.resource['process.pid'] === 'number');
  } finally {
    await s.close();
  }
});

test('CLAUDE_OTEL_CLAUDE_BIN chooses the claude that runs', async () => {
  const s = await startScenario([{ kind: 'text', text: 'via custom bin' }]);
  try {
    const marker = join(s.sandbox.home, 'custom-ran');
    const custom = join(s.sandbox.home, 'my-claude');
    await writeFile(custom, `#!/bin/sh\ntouch '${marker}'\nexec '${CLAUDE_BIN}' "$@"\n`);
    await chmod(custom, 0o755);
    const run = await s.wrapper(['-p', 'go'], { env: { CLAUDE_OTEL_CLAUDE_BIN: custom } });
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(run.stdout.toString(), 'via custom bin\n');
    const { existsSync } = await import('node:fs');
    assert.ok(existsSync(marker), 'the configured executable ran');
  } finally {
    await s.close();
  }
});

test('without CLAUDE_OTEL_CLAUDE_BIN, the first claude on PATH that is not the wrapper runs', async () => {
  const s = await startScenario([{ kind: 'text', text: 'found on PATH' }]);
  try {
    // A shim dir first on PATH: `claude` there is the wrapper itself (as `alias`/symlink users have it),
    // then a shim script calling claude-otel; only the third dir has the real claude.
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
    const PATH = [selfDir, shimDir, realDir, s.sandbox.env.PATH].join(':');
    const run = await s.wrapper(['-p', 'go'], { env: { CLAUDE_OTEL_CLAUDE_BIN: undefined, PATH } });
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(run.stdout.toString(), 'found on PATH\n');
  } finally {
    await s.close();
  }
});
