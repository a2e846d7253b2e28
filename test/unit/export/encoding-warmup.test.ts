import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveExportConfig } from '../../../src/config/otlp-config.ts';
import { warmEncoding } from '../../../src/export/encoding-warmup.ts';

// The encoding warm-up runs the flush's encoders on made-up data while claude runs: it must
// never print (claude's stdout is the user's, stderr is where console exporters write) and
// must work for every protocol.

for (const env of [
  { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' },
  { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' },
  { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' },
  { OTEL_TRACES_EXPORTER: 'console', OTEL_LOGS_EXPORTER: 'console', OTEL_METRICS_EXPORTER: 'console' },
]) {
  test(`the encoding warm-up writes nothing (${JSON.stringify(env)})`, async () => {
    const written: string[] = [];
    const stdout = process.stdout.write.bind(process.stdout);
    const stderr = process.stderr.write.bind(process.stderr);
    const capture = (chunk: string | Uint8Array): boolean => {
      written.push(String(chunk));
      return true;
    };
    process.stdout.write = capture as typeof process.stdout.write;
    process.stderr.write = capture as typeof process.stderr.write;
    try {
      await warmEncoding(resolveExportConfig(env));
    } finally {
      process.stdout.write = stdout;
      process.stderr.write = stderr;
    }
    assert.deepEqual(written, []);
  });
}
