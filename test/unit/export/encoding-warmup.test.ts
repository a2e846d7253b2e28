import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveExportConfig } from '../../../src/config/otlp-config.ts';
import { warmEncoding } from '../../../src/export/encoding-warmup.ts';

// The encoding warm-up runs the flush's encoders on made-up data while claude runs: it must
// encode a request for every signal the flush will send, with every protocol, and never print
// (claude's stdout is the user's, stderr is where console exporters write).

const ALL = { OTEL_METRICS_EXPORTER: 'otlp' };
for (const [env, encoded] of [
  [{ ...ALL, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, ['traces', 'logs', 'metrics']],
  [{ ...ALL, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' }, ['traces', 'logs', 'metrics']],
  [{ ...ALL, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }, ['traces', 'logs', 'metrics']],
  // The default: no metrics exporter.
  [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' }, ['traces', 'logs']],
  [{ OTEL_TRACES_EXPORTER: 'console', OTEL_LOGS_EXPORTER: 'console', OTEL_METRICS_EXPORTER: 'console' }, ['traces', 'logs', 'metrics']],
] as const) {
  test(`the encoding warm-up encodes ${encoded.join(', ')} and writes nothing (${JSON.stringify(env)})`, async () => {
    const written: string[] = [];
    const stdout = process.stdout.write.bind(process.stdout);
    const stderr = process.stderr.write.bind(process.stderr);
    const capture = (chunk: string | Uint8Array): boolean => {
      written.push(String(chunk));
      return true;
    };
    process.stdout.write = capture as typeof process.stdout.write;
    process.stderr.write = capture as typeof process.stderr.write;
    let signals: string[];
    try {
      signals = await warmEncoding(resolveExportConfig(env));
    } finally {
      process.stdout.write = stdout;
      process.stderr.write = stderr;
    }
    assert.deepEqual(written, []);
    assert.deepEqual(signals.sort(), [...encoded].sort());
  });
}
