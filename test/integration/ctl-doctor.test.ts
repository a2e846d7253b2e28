import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CTL_BIN, CLAUDE_BIN, CLAUDE_CLI_VERSION } from '../support/scenario.ts';
import { makeSandbox, runCommand } from '../support/claude-run.ts';
import type { RunResult, Sandbox } from '../support/claude-run.ts';
import { closedPort, startOtlpReceiver } from '../support/otlp-receiver.ts';
import type { OtlpProtocol, OtlpReceiver, ReceiverBehaviour } from '../support/otlp-receiver.ts';

// `claude-otel-ctl doctor` against real collectors that accept, refuse, hang, fail, or speak
// the other protocol: each failure is named with its endpoint and its reason.

let sandbox: Sandbox;

before(async () => {
  // The doctor never calls the API; the sandbox only gives it a clean HOME and environment.
  sandbox = await makeSandbox({ apiUrl: 'http://127.0.0.1:9' });
});

after(async () => {
  await sandbox.cleanup();
});

function doctor(env: Record<string, string | undefined>, args: string[] = []): Promise<RunResult> {
  return runCommand(CTL_BIN, ['doctor', ...args], {
    sandbox,
    env: { CLAUDE_OTEL_CLAUDE_BIN: CLAUDE_BIN, CLAUDE_OTEL_STATE_DIR: join(sandbox.home, 'state'), ...env },
  });
}

async function withReceiver<T>(protocol: OtlpProtocol, behaviour: ReceiverBehaviour, body: (receiver: OtlpReceiver) => Promise<T>): Promise<T> {
  const receiver = await startOtlpReceiver({ protocol, behaviour });
  try {
    return await body(receiver);
  } finally {
    await receiver.close();
  }
}

interface DoctorJson {
  ok: boolean;
  checks: Record<string, { status: string; endpoint?: string; kind?: string; reason?: string }>;
  configuration: { signals: Record<string, { headers: Record<string, string>; url: string; protocol: string }> };
  claude: { found: boolean; version?: string };
}

for (const protocol of ['grpc', 'http/protobuf', 'http/json'] as const) {
  test(`a live ${protocol} collector accepts the test span, log record and metric: exit 0`, async () => {
    await withReceiver(protocol, 'accept', async (receiver) => {
      const run = await doctor({
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_METRICS_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=sk-supersecretvalue',
      });
      const out = run.stdout.toString();
      assert.equal(run.exitCode, 0, out + run.stderr);
      for (const signal of ['traces', 'logs', 'metrics']) assert.match(out, new RegExp(`${signal}: accepted by ${receiver.endpoint}`));
      assert.match(out, /ok: traces, logs, metrics accepted/);
      assert.match(out, new RegExp(`claude\\s+\\S+ \\(${CLAUDE_CLI_VERSION.replaceAll('.', '\\.')} \\(Claude Code\\)\\)`));
      assert.match(out, /flush timeout\s+2000 ms/);
      // Secrets: at most the first 2 characters, on screen; the collector gets the real header.
      assert.match(out, /x-api-key=sk\*\*\*\*;/, 'at most 2 characters of a header value show');
      assert.doesNotMatch(out, /supersecret/);
      assert.ok(receiver.requests.every((r) => r.headers['x-api-key'] === 'sk-supersecretvalue'));
      assert.ok(receiver.spans.some((s) => s.name === 'claude-otel doctor' && s.resource['service.name'] === 'claude-otel'));
      assert.ok(receiver.logs.some((l) => l.eventName === 'claude_otel.doctor'));
      assert.ok(receiver.metrics.some((m) => m.name === 'claude_otel.doctor.checks'));
    });
  });
}

test('metrics are off by default and say so; --json gives the same verdict; gRPC to a host:port with INSECURE goes to http://', async () => {
  await withReceiver('grpc', 'accept', async (receiver) => {
    const hostPort = receiver.endpoint.replace(/^http:\/\//, '');
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: hostPort, OTEL_EXPORTER_OTLP_INSECURE: 'true', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' };
    const run = await doctor(env);
    const out = run.stdout.toString();
    assert.equal(run.exitCode, 0, out + run.stderr);
    assert.match(out, /\n {2}metrics: off \(OTEL_METRICS_EXPORTER=none\)\n/);
    // The endpoint as set, each signal's URL as resolved, and no warning.
    assert.match(out, new RegExp(`\\n {2}endpoint +${hostPort}\\n`));
    assert.match(out, new RegExp(`\\n {2}traces +otlp, grpc → ${receiver.endpoint};`));
    assert.match(out, new RegExp(`traces: accepted by ${receiver.endpoint} \\(grpc,`));
    assert.doesNotMatch(out, /warning:/);
    assert.equal(receiver.metrics.length, 0);

    const json = await doctor(env, ['--json']);
    assert.equal(json.exitCode, 0);
    const report = JSON.parse(json.stdout.toString()) as DoctorJson;
    assert.equal(report.ok, true);
    assert.equal(report.checks.traces?.status, 'accepted');
    assert.equal(report.checks.logs?.status, 'accepted');
    assert.equal(report.checks.metrics?.status, 'off');
    assert.equal(report.configuration.signals.traces?.url, receiver.endpoint);
    assert.equal(report.claude.found, true);
  });
});

test('nothing listening: exit 1, the endpoint and "connection refused"', async () => {
  const endpoint = `http://127.0.0.1:${await closedPort()}`;
  const run = await doctor({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' });
  const out = run.stdout.toString();
  assert.equal(run.exitCode, 1, out);
  assert.match(out, new RegExp(`traces: FAILED: ${endpoint} \\(grpc\\): connection refused`));
  assert.match(out, new RegExp(`logs: FAILED: ${endpoint} \\(grpc\\): connection refused`));
  assert.match(out, /not ok: traces, logs not accepted/);
  assert.equal(run.stderr, '');

  const json = await doctor({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' }, ['--json', '--timeout-ms', '1500']);
  assert.equal(json.exitCode, 1);
  const report = JSON.parse(json.stdout.toString()) as DoctorJson;
  assert.equal(report.ok, false);
  assert.equal(report.checks.traces?.kind, 'refused');
  assert.equal(report.checks.traces?.endpoint, `${endpoint}/v1/traces`);
});

test('a misspelt or unknown variable is named once, with "did you mean"; every warning shows once; the failed check names the endpoint and why on one line', async () => {
  const endpoint = `http://127.0.0.1:${await closedPort()}`;
  const run = await doctor({
    OTEL_EXPORTER_OTLP_ENDPIONT: 'http://collector.example:4317',
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    CLAUDE_OTEL_FLUSH_TIMEOUT: '500',
    CLAUDE_OTEL_FROBNICATE: 'on',
    OTEL_BSP_SCHEDULE_DELAY: '100',
    OTEL_EXPORTER_OTLP_TIMEOUT: 'soon',
    OTEL_EXPORTER_OTLP_COMPRESSION: 'brotli',
    CLAUDE_OTEL_REDACT: '([',
    CLAUDE_OTEL_REDACT_ALLOW: '(x',
  });
  const out = run.stdout.toString();
  assert.equal(run.exitCode, 1, out);
  const warnings = out.split('\n').filter((line) => line.startsWith('  warning: '));
  assert.deepEqual(warnings.sort(), [
    '  warning: CLAUDE_OTEL_FLUSH_TIMEOUT is not a setting claude-otel knows, so it has no effect; did you mean CLAUDE_OTEL_FLUSH_TIMEOUT_MS?',
    '  warning: CLAUDE_OTEL_FROBNICATE is not a claude-otel setting, so it has no effect',
    '  warning: CLAUDE_OTEL_REDACT: "([" is not a regular expression; ignoring it',
    '  warning: CLAUDE_OTEL_REDACT_ALLOW: "(x" is not a regular expression; ignoring it',
    '  warning: OTEL_EXPORTER_OTLP_COMPRESSION=brotli is not supported (gzip, none); sending uncompressed',
    '  warning: OTEL_EXPORTER_OTLP_ENDPIONT is not a setting claude-otel knows, so it has no effect; did you mean OTEL_EXPORTER_OTLP_ENDPOINT?',
    '  warning: OTEL_EXPORTER_OTLP_TIMEOUT=soon is not a positive number of milliseconds; using 10000',
  ]);
  assert.doesNotMatch(out, /OTEL_BSP_SCHEDULE_DELAY/);
  assert.match(
    out,
    new RegExp(`\\n  traces: FAILED: ${endpoint} \\(grpc\\): connection refused[^\\n]*\\n  logs: FAILED: ${endpoint} \\(grpc\\): connection refused[^\\n]*\\n`),
  );
});

for (const protocol of ['grpc', 'http/protobuf'] as const) {
  test(`a collector that never answers (${protocol}): timeout after --timeout-ms`, async () => {
    await withReceiver(protocol, 'black-hole', async (hole) => {
      const run = await doctor({ OTEL_EXPORTER_OTLP_ENDPOINT: hole.endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: protocol }, ['--timeout-ms', '800']);
      const out = run.stdout.toString();
      assert.equal(run.exitCode, 1, out);
      assert.match(out, new RegExp(`traces: FAILED: ${hole.endpoint}\\S* \\(${protocol}\\): timeout: no answer within 800 ms`));
      assert.match(out, /checks \(timeout 800 ms per signal\)/);
    });
  });
}

test('a collector answering HTTP 503: the status is named', async () => {
  await withReceiver('http/protobuf', 'http-503', async (failing) => {
    const run = await doctor({ OTEL_EXPORTER_OTLP_ENDPOINT: failing.endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' }, ['--timeout-ms', '1500']);
    const out = run.stdout.toString();
    assert.equal(run.exitCode, 1, out);
    assert.match(out, new RegExp(`traces: FAILED: ${failing.endpoint}/v1/traces \\(http/protobuf\\): HTTP 503 Service Unavailable`));
    assert.match(out, new RegExp(`logs: FAILED: ${failing.endpoint}/v1/logs \\(http/protobuf\\): HTTP 503`));
    assert.ok(failing.requests.length >= 2, 'the exports reached the collector');
  });
});

test('a collector answering HTTP 500 with escape sequences: its text is named without them', async () => {
  const hostile = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('\x1b]0;PWNED\x07\x1b[2Jbroken\rcollector');
    });
  });
  await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
  try {
    const endpoint = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
    const run = await doctor({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' }, ['--timeout-ms', '1500']);
    const out = run.stdout.toString();
    assert.equal(run.exitCode, 1, out);
    assert.match(out, new RegExp(`traces: FAILED: ${endpoint}/v1/traces \\(http/protobuf\\): HTTP 500.*PWNED`));
    assert.doesNotMatch(out, /[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
  } finally {
    hostile.closeAllConnections();
    await new Promise((resolve) => hostile.close(resolve));
  }
});

test('a collector answering HTTP 404 (a signal endpoint with the wrong path): the status and its text are named', async () => {
  await withReceiver('http/protobuf', 'accept', async (receiver) => {
    const wrong = `${receiver.endpoint}/v1/trace`;
    const run = await doctor({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: wrong,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    });
    const out = run.stdout.toString();
    assert.equal(run.exitCode, 1, out);
    assert.match(out, new RegExp(`traces: FAILED: ${wrong} \\(http/protobuf\\): HTTP 404 Not Found: no OTLP signal at /v1/trace\n`));
    assert.match(out, new RegExp(`logs: accepted by ${receiver.endpoint}/v1/logs`));
    assert.match(out, /not ok: traces not accepted/);
  });
});

test('gRPC sent to an OTLP/HTTP port: a protocol mismatch, not a vague failure', async () => {
  await withReceiver('http/protobuf', 'accept', async (httpReceiver) => {
    const run = await doctor({ OTEL_EXPORTER_OTLP_ENDPOINT: httpReceiver.endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, ['--json']);
    assert.equal(run.exitCode, 1);
    const report = JSON.parse(run.stdout.toString()) as DoctorJson;
    assert.equal(report.checks.traces?.kind, 'protocol-mismatch');
    assert.match(report.checks.traces?.reason ?? '', /sent gRPC, but the endpoint does not speak gRPC.*OTEL_EXPORTER_OTLP_PROTOCOL=http\/protobuf/);
    const text = await doctor({ OTEL_EXPORTER_OTLP_ENDPOINT: httpReceiver.endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' });
    assert.match(text.stdout.toString(), new RegExp(`logs: FAILED: ${httpReceiver.endpoint} \\(grpc\\): protocol mismatch`));
  });
});

test('OTLP/HTTP sent to a gRPC port: a protocol mismatch the other way round', async () => {
  await withReceiver('grpc', 'accept', async (grpcReceiver) => {
    const run = await doctor({ OTEL_EXPORTER_OTLP_ENDPOINT: grpcReceiver.endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' });
    const out = run.stdout.toString();
    assert.equal(run.exitCode, 1, out);
    assert.match(
      out,
      new RegExp(
        `traces: FAILED: ${grpcReceiver.endpoint}/v1/traces \\(http/protobuf\\): protocol mismatch: sent OTLP/HTTP, but the endpoint answered with HTTP/2 frames`,
      ),
    );
    assert.equal(grpcReceiver.spans.length, 0);
  });
});

test('https:// to a collector without TLS: a TLS error that says so', async () => {
  await withReceiver('http/protobuf', 'accept', async (plain) => {
    const endpoint = plain.endpoint.replace('http://', 'https://');
    const run = await doctor({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' }, ['--timeout-ms', '1500']);
    assert.equal(run.exitCode, 1);
    assert.match(
      run.stdout.toString(),
      new RegExp(`traces: FAILED: ${endpoint}/v1/traces \\(http/protobuf\\): TLS error: the endpoint is https:// but the server does not speak TLS`),
    );
  });
});

test('claude that cannot be found fails the doctor too; a bad option is a usage error', async () => {
  await withReceiver('grpc', 'accept', async (receiver) => {
    const run = await doctor({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, CLAUDE_OTEL_CLAUDE_BIN: join(sandbox.home, 'no-such-claude') });
    const out = run.stdout.toString();
    assert.equal(run.exitCode, 1, out);
    assert.match(out, /claude\s+NOT FOUND: CLAUDE_OTEL_CLAUDE_BIN=.*no-such-claude is not an executable file/);
    assert.match(out, /traces: accepted/);
    assert.match(out, /not ok: claude cannot be run/);
  });
  const bad = await doctor({}, ['--timeout-ms', 'soon']);
  assert.equal(bad.exitCode, 2);
  assert.equal(bad.stderr, 'claude-otel-ctl: --timeout-ms "soon": expected a whole number of milliseconds, 1 or more\n');
  assert.equal(bad.stdout.toString(), '');
});

test('a store that cannot be written fails the doctor, which names why; a store that can is checked without a trace left', async () => {
  await withReceiver('grpc', 'accept', async (receiver) => {
    // Something in the way of every run directory: `sessions` is a file.
    const blocked = join(sandbox.home, 'blocked-state');
    mkdirSync(blocked, { mode: 0o700 });
    writeFileSync(join(blocked, 'sessions'), 'not a directory\n');
    const run = await doctor({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, CLAUDE_OTEL_STATE_DIR: blocked });
    const out = run.stdout.toString();
    assert.equal(run.exitCode, 1, out);
    assert.match(out, /state dir\s+.*blocked-state \(local store on, but NOTHING CAN BE STORED: E\w+: .*\)\n/);
    assert.match(out, /traces: accepted/);
    assert.match(out, /not ok: sessions cannot be stored in the state dir\n/);
    const json = await doctor({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, CLAUDE_OTEL_STATE_DIR: blocked }, ['--json']);
    assert.equal(json.exitCode, 1);
    const parsed = JSON.parse(json.stdout.toString()) as { ok: boolean; store: { status: string; reason?: string } };
    assert.equal(parsed.ok, false);
    assert.equal(parsed.store.status, 'failed');
    assert.match(parsed.store.reason ?? '', /^E\w+: /);

    // A new user's state dir: made as a first run makes it, checked, and left with nothing in it.
    const fresh = join(sandbox.home, 'fresh-state');
    const ok = await doctor({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, CLAUDE_OTEL_STATE_DIR: fresh }, ['--json']);
    assert.equal(ok.exitCode, 0, ok.stdout.toString());
    assert.deepEqual((JSON.parse(ok.stdout.toString()) as { store: unknown }).store, { status: 'writable' });
    assert.deepEqual(readdirSync(join(fresh, 'sessions')), [], 'the check file is gone');

    const off = await doctor({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, CLAUDE_OTEL_STATE_DIR: blocked, CLAUDE_OTEL_STORE: 'off' }, ['--json']);
    assert.equal(off.exitCode, 0, 'a store that is off is not checked');
    assert.deepEqual((JSON.parse(off.stdout.toString()) as { store: unknown }).store, { status: 'off' });
  });
});
