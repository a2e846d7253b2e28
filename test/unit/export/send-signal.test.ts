import { test, mock } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExportResult } from '@opentelemetry/core';
import { OTLPExporterError } from '@opentelemetry/otlp-exporter-base';
import { sendWith } from '../../../src/export/send-signal.ts';
import type { ExportsWithCallback } from '../../../src/export/send-signal.ts';
import { sendRequests } from '../../../src/export/send-requests.ts';
import { createRequestExporter, shutdownRequestExporters } from '../../../src/export/request-exporters.ts';
import type { EncodedRequest, RequestExporter } from '../../../src/export/request-exporters.ts';
import { resolveExportConfig } from '../../../src/config/otlp-config.ts';
import type { ExportConfig, SignalExportConfig } from '../../../src/config/otlp-config.ts';
import { DeadlineReached } from '../../../src/deadline.ts';

// One export of one signal and the reason it failed; a request over the size limit sent as
// parts. (The store's flush over this send path is tested in store/flush-protocol.test.ts.)

const http: Pick<SignalExportConfig, 'protocol' | 'url' | 'timeoutMs'> = {
  protocol: 'http/protobuf',
  url: 'http://collector.invalid:4318/v1/traces',
  timeoutMs: 5000,
};

test('an exporter that throws instead of calling back is a failure with its message', async () => {
  const exporter: ExportsWithCallback<string> = {
    export: () => {
      throw new Error('exporter is shut down');
    },
  };
  const attempt = await sendWith(exporter, 'items', http);
  assert.equal(attempt.ok, false);
  assert.deepEqual(attempt.ok ? undefined : attempt.failure, { kind: 'other', reason: 'exporter is shut down' });
});

test('an exporter that never calls back ends as a timeout after its own timeout and a grace', async (t) => {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
  t.after(() => mock.timers.reset());
  let outcome: Awaited<ReturnType<typeof sendWith>> | undefined;
  void sendWith({ export: () => {} }, 'items', http).then((attempt) => (outcome = attempt));
  mock.timers.tick(5999);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(outcome, undefined);
  mock.timers.tick(1);
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(outcome, { ok: false, durationMs: 6000, failure: { kind: 'timeout', reason: 'timeout: no answer within 5000 ms' } });
});

test("the flush's deadline ends the wait as a timeout; another abort as abandoned with its reason", async () => {
  const deadline = new AbortController();
  const waiting = sendWith({ export: () => {} }, 'items', http, deadline.signal);
  deadline.abort(new DeadlineReached(2000));
  const timedOut = await waiting;
  assert.deepEqual(timedOut.ok ? undefined : timedOut.failure, { kind: 'timeout', reason: 'no answer within the flush budget (2000 ms)' });

  const signal = new AbortController();
  signal.abort(new Error('SIGTERM'));
  let exported = false;
  const abandoned = await sendWith(
    {
      export: () => {
        exported = true;
      },
    },
    'items',
    http,
    signal.signal,
  );
  assert.deepEqual(abandoned.ok ? undefined : abandoned.failure, { kind: 'other', reason: 'abandoned: SIGTERM' });
  assert.equal(exported, false, 'nothing is handed to an exporter once given up');
});

test('a call back after the wait was given up changes nothing', async () => {
  let late: (result: ExportResult) => void = () => {};
  const abort = new AbortController();
  const waiting = sendWith(
    {
      export: (_items: string, done: (result: ExportResult) => void) => {
        late = done;
      },
    },
    'items',
    http,
    abort.signal,
  );
  abort.abort(new DeadlineReached(10));
  late({ code: 0 });
  assert.equal((await waiting).ok, false);
});

test("a retried HTTP status the exporter did not keep is taken from Node's HTTP client", async (t: TestContext) => {
  const server = createServer((_req, res) => {
    res.statusCode = 503;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`;
  // As the OTLP HTTP transport does: the request is made, and only "retryable" comes back.
  const exporter: ExportsWithCallback<string> = {
    export: (_items, done) => {
      const req = request(url, { method: 'POST', agent: false }, (res) => {
        res.resume();
        res.on('end', () => done({ code: 1, error: new OTLPExporterError('Export failed with retryable status') }));
      });
      req.end();
    },
  };
  const attempt = await sendWith(exporter, 'items', { protocol: 'http/json', url, timeoutMs: 5000 });
  assert.deepEqual(attempt.ok ? undefined : attempt.failure, {
    kind: 'http-status',
    httpStatus: 503,
    reason: 'HTTP 503 Service Unavailable (retried until the timeout)',
  });
});

function target(signal: SignalExportConfig['signal']): SignalExportConfig {
  return {
    signal,
    exporter: 'otlp',
    protocol: 'http/protobuf',
    url: `http://collector.invalid:4318/v1/${signal}`,
    headers: {},
    timeoutMs: 1000,
    compression: 'none',
  };
}
const config = (maxRequestBytes: number): ExportConfig => ({
  traces: target('traces'),
  logs: target('logs'),
  metrics: target('metrics'),
  endpoint: undefined,
  maxRequestBytes,
  warnings: [],
});

/** An exporter that accepts, or refuses the parts whose body is in `refuse`. */
function recording(refuse: string[] = []): RequestExporter & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    export: (request: EncodedRequest, done: (result: ExportResult) => void) => {
      const body = Buffer.from(request.body).toString();
      sent.push(body);
      done(refuse.includes(body) ? { code: 1, error: new Error('rejected') } : { code: 0 });
    },
    shutdown: async () => {},
  };
}

/** A request of `n` items that splits into one part per item. */
function splittable(n: number): EncodedRequest {
  const items = Array.from({ length: n }, (_, i) => `part-${i}`);
  return {
    body: Buffer.from(items.join('|')),
    items: n,
    split: () => items.map((item) => ({ body: Buffer.from(item), items: 1 })),
  };
}

test('a request over the size limit goes as its parts, in order; the signal is accepted once all were', async () => {
  const traces = recording();
  const report = await sendRequests({ traces }, { traces: splittable(3) }, config(10));
  assert.deepEqual(traces.sent, ['part-0', 'part-1', 'part-2']);
  assert.equal(report.outcomes.traces?.ok, true);
  assert.equal(report.timedOut, false);
  // Under the limit, the request goes whole.
  const whole = recording();
  await sendRequests({ traces: whole }, { traces: splittable(3) }, config(1000));
  assert.deepEqual(whole.sent, ['part-0|part-1|part-2']);
});

test('a part refused stops the rest of that signal only', async () => {
  const traces = recording(['part-1']);
  const logs = recording();
  const report = await sendRequests({ traces, logs }, { traces: splittable(3), logs: splittable(2) }, config(10));
  assert.deepEqual(traces.sent, ['part-0', 'part-1']);
  assert.equal(report.outcomes.traces?.ok, false);
  assert.deepEqual(logs.sent, ['part-0', 'part-1']);
  assert.equal(report.outcomes.logs?.ok, true);
  assert.equal(report.timedOut, false, 'a refusal is not a timeout');
});

test('only signals with both a request and an exporter are sent and reported', async () => {
  const traces = recording();
  const metrics = recording();
  const report = await sendRequests({ traces, metrics }, { traces: splittable(1), logs: splittable(1) }, config(1000));
  assert.deepEqual(Object.keys(report.outcomes), ['traces']);
  assert.deepEqual(metrics.sent, []);
});

test('a collector that refuses the connection over OTLP/HTTP is given up at the first refusal, not retried until the timeout, nor waited for at shutdown', async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  let attempts = 0;
  const onRequest = () => (attempts += 1);
  subscribe('http.client.request.start', onRequest);
  try {
    for (const protocol of ['http/protobuf', 'http/json'] as const) {
      const config = resolveExportConfig({
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
        OTEL_EXPORTER_OTLP_TIMEOUT: '3000',
      });
      const exporter = await createRequestExporter('traces', config.traces);
      assert.ok(exporter);
      attempts = 0;
      const attempt = await sendWith(exporter, { body: new Uint8Array(0), items: 0 }, config.traces);
      // The transport would try again after a backoff, until its timeout.
      assert.equal(attempts, 1, `${protocol}: connections tried before the send ended`);
      assert.equal(attempt.ok ? undefined : attempt.failure.kind, 'refused', protocol);
      // Nor is the shutdown held by the transport's retries of what was given up (about a second
      // apart): they would only deliver what was already counted as not sent.
      await shutdownRequestExporters({ traces: exporter }, 60_000);
      assert.equal(attempts, 1, `${protocol}: connections tried before the shutdown ended`);
    }
  } finally {
    unsubscribe('http.client.request.start', onRequest);
  }
});
