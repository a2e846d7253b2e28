import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveExportConfig } from '../../../src/config/otlp-config.ts';
import { withoutHeaderVariables } from '../../../src/export/header-variables.ts';
import { createRequestExporters } from '../../../src/export/request-exporters.ts';
import { warmGrpcConnections } from '../../../src/export/grpc-warmup.ts';
import type { DebugLog } from '../../../src/debug-log.ts';

// The OTLP packages read the header variables themselves; an entry the wrapper dropped must not
// come back that way and break the exporters or the gRPC warm-up.

const BAD = { OTEL_EXPORTER_OTLP_HEADERS: 'x-team=caf%C3%A9,x-ok=1', OTEL_EXPORTER_OTLP_LOGS_HEADERS: 'x-nl=a%0Ab' };

async function withEnv(vars: Record<string, string>, body: () => Promise<void>): Promise<void> {
  Object.assign(process.env, vars);
  try {
    await body();
  } finally {
    for (const name of Object.keys(vars)) delete process.env[name];
  }
}

test('the header variables are hidden while building, and restored after, also when building throws', () => {
  process.env.OTEL_EXPORTER_OTLP_HEADERS = 'a=1';
  try {
    assert.equal(
      withoutHeaderVariables(() => process.env.OTEL_EXPORTER_OTLP_HEADERS),
      undefined,
    );
    assert.throws(() =>
      withoutHeaderVariables(() => {
        throw new Error('x');
      }),
    );
    assert.equal(process.env.OTEL_EXPORTER_OTLP_HEADERS, 'a=1');
  } finally {
    delete process.env.OTEL_EXPORTER_OTLP_HEADERS;
  }
});

test('with a bad header entry in the environment, every request exporter and the gRPC warm-up are still made', async () => {
  await withEnv(BAD, async () => {
    for (const protocol of ['grpc', 'http/protobuf', 'http/json']) {
      const config = resolveExportConfig({
        ...BAD,
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_METRICS_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9',
      });
      const exporters = await createRequestExporters(config);
      assert.deepEqual(Object.keys(exporters).sort(), ['logs', 'metrics', 'traces'], protocol);
      await Promise.all(Object.values(exporters).map((e) => e.shutdown()));
    }
    const logged: string[] = [];
    const debugLog: DebugLog = { log: (_level, message, fields) => logged.push(`${message} ${JSON.stringify(fields)}`), close: async () => {} };
    const config = resolveExportConfig({ ...BAD, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' });
    const warmup = await warmGrpcConnections([config.traces, config.logs], debugLog);
    warmup.close();
    assert.doesNotMatch(logged.join('\n'), /credentials could not be made|café/);
  });
});
