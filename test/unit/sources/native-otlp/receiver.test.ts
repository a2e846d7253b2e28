import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startNativeReceiver } from '../../../../src/sources/native-otlp/receiver.ts';
import { TOKEN_HEADER } from '../../../../src/sources/native-otlp/child-env.ts';
import { nativeChildEnv } from '../../../../src/sources/native-otlp/child-env.ts';
import { otlpJsonToProtobuf } from '../../../../src/export/otlp-json-to-protobuf.ts';
import type { NativeBatch } from '../../../../src/sources/native-otlp/native-records.ts';

// The receiver Claude Code's exporters send to: only this run's OTLP is taken, and nothing it
// is sent makes it throw or hang.

function post(url: string, path: string, body: Buffer | string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}${path}`, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const TRACES_JSON = {
  resourceSpans: [
    {
      resource: { attributes: [] },
      scopeSpans: [
        {
          scope: { name: 'com.anthropic.claude_code.tracing' },
          spans: [
            {
              traceId: '0af7651916cd43dd8448eb211c80319c',
              spanId: 'b7ad6b7169203331',
              name: 'claude_code.tool',
              kind: 1,
              startTimeUnixNano: '1796584486462000000',
              endTimeUnixNano: '1796584486506127400',
              attributes: [
                { key: 'tool_use_id', value: { stringValue: 'toolu_1' } },
                { key: 'duration_ms', value: { intValue: '44' } },
                { key: 'gen_ai.response.finish_reasons', value: { arrayValue: { values: [{ stringValue: 'tool_use' }] } } },
                { key: 'nested', value: { kvlistValue: { values: [{ key: 'a', value: { boolValue: true } }] } } },
              ],
              status: { code: 2, message: 'ShellError' },
            },
          ],
        },
      ],
    },
  ],
};

test('this run’s OTLP, protobuf or JSON, is taken; a wrong token, junk, a wrong path are refused with a status', async () => {
  const batches: NativeBatch[] = [];
  const refused: number[] = [];
  const receiver = await startNativeReceiver({ onBatch: (_s, b) => batches.push(b), onRefused: (status) => refused.push(status) });
  try {
    const { url, token } = receiver.endpoint;
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const good = { [TOKEN_HEADER]: token, 'content-type': 'application/x-protobuf' };
    const protobuf = Buffer.from(otlpJsonToProtobuf('traces', TRACES_JSON));
    assert.equal((await post(url, '/v1/traces', protobuf, good)).status, 200);
    assert.equal((await post(url, '/v1/traces', JSON.stringify(TRACES_JSON), { ...good, 'content-type': 'application/json' })).status, 200);
    assert.equal(batches.length, 2);
    for (const batch of batches) {
      const [span] = batch.spans;
      assert.equal(span?.name, 'claude_code.tool');
      assert.equal(span?.traceId, '0af7651916cd43dd8448eb211c80319c');
      assert.equal(span?.parentSpanId, '');
      assert.equal(span?.attributes.duration_ms, 44);
      assert.deepEqual(span?.attributes['gen_ai.response.finish_reasons'], ['tool_use']);
      assert.equal(span?.attributes.nested, '{"a":true}');
      assert.deepEqual(span?.status, { code: 2, message: 'ShellError' });
    }
    assert.equal((await post(url, '/v1/traces', protobuf, { [TOKEN_HEADER]: 'x'.repeat(token.length) })).status, 401);
    assert.equal((await post(url, '/v1/traces', protobuf, {})).status, 401);
    assert.equal((await post(url, '/v1/logs', Buffer.from([0xff, 0xff, 0xff, 0x0f, 0x01]), good)).status, 400);
    assert.equal((await post(url, '/v1/metrics', '{"resourceMetrics": 7}', { ...good, 'content-type': 'application/json' })).status, 400);
    assert.equal((await post(url, '/v1/metrics', 'not json', { ...good, 'content-type': 'application/json' })).status, 400);
    assert.equal((await post(url, '/v1/other', protobuf, good)).status, 404);
    assert.deepEqual(refused, [401, 401, 400, 400, 400, 404]);
    assert.equal(batches.length, 2, 'nothing refused was taken');
    await receiver.idle();
    receiver.close();
  } finally {
    receiver.close();
  }
});

test('claude’s environment: its OTLP settings point at the receiver, the signals it sends stay the user’s', () => {
  const endpoint = { url: 'http://127.0.0.1:1234', token: 'abc' };
  const user = {
    CLAUDE_CODE_ENABLE_TELEMETRY: '1',
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'console,otlp',
    OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.example:4318',
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example',
    OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer secret',
    OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
    PATH: '/bin',
  };
  const env = nativeChildEnv(user, endpoint, false);
  assert.equal(env.OTEL_EXPORTER_OTLP_ENDPOINT, 'http://127.0.0.1:1234');
  assert.equal(env.OTEL_EXPORTER_OTLP_PROTOCOL, 'http/protobuf');
  assert.equal(env.OTEL_EXPORTER_OTLP_HEADERS, `${TOKEN_HEADER}=abc`);
  assert.equal(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, undefined, 'no per-signal endpoint sends past the receiver');
  assert.equal(env.OTEL_METRICS_EXPORTER, 'none');
  assert.equal(env.OTEL_LOGS_EXPORTER, 'console,otlp');
  assert.equal(env.OTEL_TRACES_EXPORTER, undefined);
  assert.equal(env.CLAUDE_CODE_ENHANCED_TELEMETRY_BETA, undefined, 'auto does not turn the beta on');
  assert.equal(env.PATH, '/bin');
  assert.equal(user.OTEL_EXPORTER_OTLP_ENDPOINT, 'https://collector.example:4318', "the user's environment is not changed");
  const forced = nativeChildEnv({ PATH: '/bin', OTEL_METRICS_EXPORTER: 'none' }, endpoint, true);
  assert.equal(forced.CLAUDE_CODE_ENABLE_TELEMETRY, '1');
  assert.equal(forced.CLAUDE_CODE_ENHANCED_TELEMETRY_BETA, '1');
  assert.equal(forced.OTEL_TRACES_EXPORTER, 'otlp');
  assert.equal(forced.OTEL_LOGS_EXPORTER, 'otlp');
  assert.equal(forced.OTEL_METRICS_EXPORTER, 'none');
});
