import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExportResult } from '@opentelemetry/core';
import { resolveWrapperConfig } from '../../src/config/wrapper-config.ts';
import type { ExportConfig, Signal } from '../../src/config/otlp-config.ts';
import { checkSignals } from '../../src/ctl/commands/doctor-checks.ts';
import { createRequestExporters } from '../../src/export/request-exporters.ts';
import type { EncodedRequest, RequestExporter, RequestExporters } from '../../src/export/request-exporters.ts';
import { startOtlpReceiver } from '../support/otlp-receiver.ts';

// `claude-otel-ctl doctor` sends its test items through the request exporters a session goes out
// with: when those are broken, doctor fails, even where the collector itself is fine. Here the
// wrapper's own traces exporter is broken the way an encoding fault would break it (what it hands
// the transport is not OTLP), against a real collector that accepts every well-formed request.

/** The wrapper's request exporter, with what it sends cut in half on the way out. */
function truncating(exporter: RequestExporter): RequestExporter {
  return {
    export: (request: EncodedRequest, done: (result: ExportResult) => void) =>
      exporter.export({ body: request.body.subarray(0, Math.floor(request.body.length / 2)), items: request.items }, done),
    shutdown: () => exporter.shutdown(),
  };
}

test('a broken request exporter fails the doctor, naming the endpoint and what the collector said', async () => {
  const receiver = await startOtlpReceiver({ protocol: 'http/json', behaviour: 'accept' });
  const stateDir = mkdtempSync(join(tmpdir(), 'claude-otel-doctor-'));
  try {
    const config = resolveWrapperConfig({
      CLAUDE_OTEL_STATE_DIR: stateDir,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_METRICS_EXPORTER: 'otlp',
    });
    const opened: Signal[] = [];
    const brokenTraces = async (exportConfig: ExportConfig, signals: readonly Signal[]): Promise<RequestExporters> => {
      opened.push(...signals);
      const exporters = await createRequestExporters(exportConfig, signals);
      return exporters.traces ? { ...exporters, traces: truncating(exporters.traces) } : exporters;
    };

    const checks = await checkSignals(config, 3000, brokenTraces);
    assert.deepEqual(opened.sort(), ['logs', 'metrics', 'traces'], 'every test item goes out through the request exporters');
    const traces = checks.traces;
    assert.equal(traces.status, 'failed');
    assert.ok(traces.status === 'failed');
    assert.equal(traces.endpoint, `${receiver.endpoint}/v1/traces`);
    assert.equal(traces.kind, 'http-status');
    assert.match(traces.reason, /^HTTP 400 Bad Request: cannot decode OTLP traces request/);
    assert.equal(checks.logs.status, 'accepted');
    assert.equal(checks.metrics.status, 'accepted');
    assert.ok(
      receiver.requests.some((r) => r.signal === 'traces'),
      'the broken request reached the collector',
    );
    assert.equal(receiver.spans.length, 0);
    assert.ok(receiver.logs.some((l) => l.eventName === 'claude_otel.doctor'));

    // The same exporters unbroken: the collector takes the test span.
    const healthy = await checkSignals(config, 3000);
    assert.equal(healthy.traces.status, 'accepted');
    assert.ok(receiver.spans.some((s) => s.name === 'claude-otel doctor'));
  } finally {
    await receiver.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
});
