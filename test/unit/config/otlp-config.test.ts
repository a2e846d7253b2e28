import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveExportConfig } from '../../../src/config/otlp-config.ts';
import { resolvePrivacyConfig } from '../../../src/config/privacy-config.ts';
import { MAX_TIMER_MS } from '../../../src/config/timer-limit.ts';

test('with nothing set: gRPC to localhost:4317, traces and logs on, metrics off, 10 s, no compression, no warnings', () => {
  const config = resolveExportConfig({});
  assert.deepEqual(config.warnings, []);
  for (const signal of ['traces', 'logs', 'metrics'] as const) {
    const c = config[signal];
    assert.equal(c.signal, signal);
    assert.equal(c.protocol, 'grpc');
    assert.equal(c.url, 'http://localhost:4317');
    assert.deepEqual(c.headers, {});
    assert.equal(c.timeoutMs, 10_000);
    assert.equal(c.compression, 'none');
  }
  assert.deepEqual([config.traces.exporter, config.logs.exporter, config.metrics.exporter], ['otlp', 'otlp', 'none']);
});

test('HTTP protocols get the OTLP/HTTP default port and a /v1/<signal> path; gRPC keeps the endpoint as is', () => {
  const http = resolveExportConfig({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' });
  assert.equal(http.traces.url, 'http://localhost:4318/v1/traces');
  assert.equal(http.logs.url, 'http://localhost:4318/v1/logs');
  assert.equal(http.metrics.url, 'http://localhost:4318/v1/metrics');
  const base = resolveExportConfig({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.example/otlp//' });
  assert.equal(base.traces.url, 'https://collector.example/otlp/v1/traces');
  assert.equal(base.traces.protocol, 'http/json');
  const grpc = resolveExportConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.example:4317/' });
  assert.equal(grpc.logs.url, 'https://collector.example:4317/');
});

test('per-signal settings win over the general ones, for that signal only', () => {
  const config = resolveExportConfig({
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'grpc',
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://base.example:4318',
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces.example/custom/path',
    OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://logs.example:4317',
    OTEL_EXPORTER_OTLP_TIMEOUT: '2000',
    OTEL_EXPORTER_OTLP_METRICS_TIMEOUT: '500',
    OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
    OTEL_EXPORTER_OTLP_LOGS_COMPRESSION: 'none',
    OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20general,x-tenant=a',
    OTEL_EXPORTER_OTLP_METRICS_HEADERS: 'x-tenant=b',
    OTEL_METRICS_EXPORTER: 'otlp',
  });
  assert.deepEqual(config.warnings, []);
  // A signal endpoint is used as written, path included.
  assert.equal(config.traces.url, 'http://traces.example/custom/path');
  assert.equal(config.traces.protocol, 'http/protobuf');
  assert.equal(config.logs.protocol, 'grpc');
  assert.equal(config.logs.url, 'http://logs.example:4317');
  assert.equal(config.metrics.url, 'http://base.example:4318/v1/metrics');
  assert.deepEqual([config.traces.timeoutMs, config.logs.timeoutMs, config.metrics.timeoutMs], [2000, 2000, 500]);
  assert.deepEqual([config.traces.compression, config.logs.compression, config.metrics.compression], ['gzip', 'none', 'gzip']);
  assert.deepEqual(config.traces.headers, { authorization: 'Bearer general', 'x-tenant': 'a' });
  assert.deepEqual(config.metrics.headers, { authorization: 'Bearer general', 'x-tenant': 'b' });
  assert.equal(config.metrics.exporter, 'otlp');
});

test('exporter lists: the first supported entry wins; an unsupported list falls back with one warning', () => {
  const config = resolveExportConfig({ OTEL_TRACES_EXPORTER: 'zipkin, Console', OTEL_LOGS_EXPORTER: 'none', OTEL_METRICS_EXPORTER: 'prometheus' });
  assert.equal(config.traces.exporter, 'console');
  assert.equal(config.logs.exporter, 'none');
  assert.equal(config.metrics.exporter, 'none');
  assert.deepEqual(config.warnings, ['OTEL_METRICS_EXPORTER=prometheus is not supported (otlp, console, none); using none']);
});

test("a bad protocol is ignored with a warning naming the variable: a signal's own falls back to the general setting, a general one to gRPC", () => {
  const config = resolveExportConfig({ OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'htp', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf' });
  assert.equal(config.traces.protocol, 'http/protobuf');
  assert.equal(config.traces.url, 'http://localhost:4318/v1/traces');
  assert.equal(config.logs.protocol, 'http/protobuf');
  assert.deepEqual(config.warnings, ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=htp is not a protocol (grpc, http/protobuf, http/json); using http/protobuf']);
  const both = resolveExportConfig({ OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http', OTEL_EXPORTER_OTLP_PROTOCOL: 'json' });
  assert.deepEqual([both.traces.protocol, both.logs.protocol], ['grpc', 'grpc']);
  assert.deepEqual(both.warnings, [
    'OTEL_EXPORTER_OTLP_PROTOCOL=json is not a protocol (grpc, http/protobuf, http/json); using grpc',
    'OTEL_EXPORTER_OTLP_LOGS_PROTOCOL=http is not a protocol (grpc, http/protobuf, http/json); using grpc',
  ]);
});

test('a bad endpoint is ignored with a warning: a bad signal endpoint falls back to the general one', () => {
  const config = resolveExportConfig({
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'collector:4318',
    OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'unix:///run/otel.sock',
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://good.example:4318',
  });
  assert.equal(config.traces.url, 'http://good.example:4318/v1/traces');
  assert.equal(config.logs.url, 'http://good.example:4318/v1/logs');
  assert.deepEqual(config.warnings, [
    'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=collector:4318 has no http:// or https://, which http/protobuf needs; ignoring it',
    'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT=unix:///run/otel.sock is not an http(s) URL; ignoring it',
  ]);
  const none = resolveExportConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' });
  assert.equal(none.traces.url, 'http://localhost:4317');
  assert.deepEqual(none.warnings, ['OTEL_EXPORTER_OTLP_ENDPOINT=not a url is neither an http(s) URL nor a host:port; ignoring it']);
  // A host:port is only that: a path, or a user and password, make it no endpoint (and the password never shows).
  const path = resolveExportConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317/v1/traces', OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'me:hunter2@collector:4317' });
  assert.equal(path.traces.url, 'http://localhost:4317');
  assert.deepEqual(path.warnings, [
    'OTEL_EXPORTER_OTLP_ENDPOINT=collector:4317/v1/traces is neither an http(s) URL nor a host:port; ignoring it',
    'OTEL_EXPORTER_OTLP_LOGS_ENDPOINT=collector:4317 is neither an http(s) URL nor a host:port; ignoring it',
  ]);
});

test('gRPC takes a host:port without a scheme: http:// when ..._INSECURE is on, https:// otherwise', () => {
  const insecure = resolveExportConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: '127.0.0.1:42195', OTEL_EXPORTER_OTLP_INSECURE: 'true' });
  assert.deepEqual(insecure.warnings, []);
  assert.deepEqual(
    [insecure.traces.url, insecure.logs.url, insecure.metrics.url],
    ['http://127.0.0.1:42195', 'http://127.0.0.1:42195', 'http://127.0.0.1:42195'],
  );
  // Secure unless told otherwise, as the OpenTelemetry spec has it.
  assert.equal(resolveExportConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector.example:4317/' }).traces.url, 'https://collector.example:4317');
  assert.equal(resolveExportConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: '[::1]:4317', OTEL_EXPORTER_OTLP_INSECURE: 'false' }).logs.url, 'https://[::1]:4317');
  // A scheme wins over INSECURE.
  assert.equal(
    resolveExportConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.example:4317', OTEL_EXPORTER_OTLP_INSECURE: 'true' }).traces.url,
    'https://collector.example:4317',
  );

  // Per signal: its own endpoint and its own INSECURE, each falling back to the general one.
  const own = resolveExportConfig({
    OTEL_EXPORTER_OTLP_ENDPOINT: 'collector.example:4317',
    OTEL_EXPORTER_OTLP_INSECURE: 'on',
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'traces.example:4317',
    OTEL_EXPORTER_OTLP_TRACES_INSECURE: 'off',
    OTEL_EXPORTER_OTLP_LOGS_INSECURE: 'maybe',
  });
  assert.equal(own.traces.url, 'https://traces.example:4317');
  assert.equal(own.logs.url, 'http://collector.example:4317');
  assert.equal(own.metrics.url, 'http://collector.example:4317');
  assert.deepEqual(own.warnings, ['OTEL_EXPORTER_OTLP_LOGS_INSECURE=maybe is not on or off (1/true/yes/on, 0/false/no/off); using on']);
});

test('OTLP/HTTP refuses a host:port without a scheme, with one warning however many signals read it', () => {
  const http = resolveExportConfig({
    OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_EXPORTER_OTLP_INSECURE: 'true',
  });
  assert.deepEqual(
    [http.traces.url, http.logs.url, http.metrics.url],
    ['http://localhost:4318/v1/traces', 'http://localhost:4318/v1/logs', 'http://localhost:4318/v1/metrics'],
  );
  assert.deepEqual(http.warnings, ['OTEL_EXPORTER_OTLP_ENDPOINT=collector:4318 has no http:// or https://, which http/json needs; ignoring it']);
  // The same endpoint serves the signals that speak gRPC.
  const mixed = resolveExportConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4317', OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/protobuf' });
  assert.equal(mixed.traces.url, 'https://collector:4317');
  assert.equal(mixed.logs.url, 'http://localhost:4318/v1/logs');
  assert.deepEqual(mixed.warnings, ['OTEL_EXPORTER_OTLP_ENDPOINT=collector:4317 has no http:// or https://, which http/protobuf needs; ignoring it']);
});

test('a bad general setting leaves one warning, not one per signal', () => {
  const config = resolveExportConfig({
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http',
    OTEL_EXPORTER_OTLP_TIMEOUT: 'soon',
    OTEL_EXPORTER_OTLP_HEADERS: 'x-team=caf%C3%A9',
    OTEL_METRICS_EXPORTER: 'otlp',
  });
  assert.deepEqual(config.warnings, [
    'OTEL_EXPORTER_OTLP_PROTOCOL=http is not a protocol (grpc, http/protobuf, http/json); using grpc',
    'OTEL_EXPORTER_OTLP_TIMEOUT=soon is not a positive number of milliseconds; using 10000',
    'OTEL_EXPORTER_OTLP_HEADERS: ignoring the entry for key "x-team" (its value is not printable ASCII)',
  ]);
});

test('compression: gzip or none (any case); anything else is reported once and sends uncompressed', () => {
  const brotli = resolveExportConfig({ OTEL_EXPORTER_OTLP_COMPRESSION: 'brotli' });
  assert.deepEqual([brotli.traces.compression, brotli.logs.compression, brotli.metrics.compression], ['none', 'none', 'none']);
  assert.deepEqual(brotli.warnings, ['OTEL_EXPORTER_OTLP_COMPRESSION=brotli is not supported (gzip, none); sending uncompressed']);
  // A signal's own bad value falls back to the general setting.
  const own = resolveExportConfig({ OTEL_EXPORTER_OTLP_COMPRESSION: 'GZIP', OTEL_EXPORTER_OTLP_LOGS_COMPRESSION: 'zstd' });
  assert.deepEqual([own.traces.compression, own.logs.compression], ['gzip', 'gzip']);
  assert.deepEqual(own.warnings, ['OTEL_EXPORTER_OTLP_LOGS_COMPRESSION=zstd is not supported (gzip, none); using gzip']);
  const alone = resolveExportConfig({ OTEL_EXPORTER_OTLP_LOGS_COMPRESSION: 'zstd' });
  assert.deepEqual(alone.warnings, ['OTEL_EXPORTER_OTLP_LOGS_COMPRESSION=zstd is not supported (gzip, none); sending uncompressed']);
});

test('timeouts: not a positive number falls back to the general value, then to 10 s; too long is clamped', () => {
  const bad = resolveExportConfig({ OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '-5', OTEL_EXPORTER_OTLP_TIMEOUT: '3000' });
  assert.equal(bad.traces.timeoutMs, 3000);
  assert.equal(bad.logs.timeoutMs, 3000);
  assert.deepEqual(bad.warnings, ['OTEL_EXPORTER_OTLP_TRACES_TIMEOUT=-5 is not a positive number of milliseconds; using 3000']);
  assert.equal(resolveExportConfig({ OTEL_EXPORTER_OTLP_METRICS_TIMEOUT: 'soon' }).metrics.timeoutMs, 10_000);
  assert.equal(resolveExportConfig({ OTEL_EXPORTER_OTLP_TIMEOUT: '1s' }).logs.timeoutMs, 10_000);
  const long = resolveExportConfig({ OTEL_EXPORTER_OTLP_LOGS_TIMEOUT: '9999999999' });
  assert.equal(long.logs.timeoutMs, MAX_TIMER_MS);
  assert.deepEqual(long.warnings, [`OTEL_EXPORTER_OTLP_LOGS_TIMEOUT=9999999999 is longer than a timer can wait; using ${MAX_TIMER_MS} ms (about 24.8 days)`]);
});

test('blank values count as unset', () => {
  const config = resolveExportConfig({ OTEL_EXPORTER_OTLP_PROTOCOL: '  ', OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_EXPORTER_OTLP_TIMEOUT: ' ' });
  assert.deepEqual(config.warnings, []);
  assert.equal(config.traces.url, 'http://localhost:4317');
  assert.equal(config.traces.timeoutMs, 10_000);
});

test('sampler settings: defaults, a supported sampler, a ratio only for ratio samplers, bad values warned', () => {
  const defaults: string[] = [];
  const plain = resolvePrivacyConfig({}, defaults);
  assert.deepEqual([plain.sampler, plain.samplerRatio, plain.keepErrors], ['parentbased_always_on', 1, true]);
  assert.deepEqual(defaults, []);

  const ratioWarnings: string[] = [];
  const ratio = resolvePrivacyConfig({ OTEL_TRACES_SAMPLER: ' TraceIdRatio ', OTEL_TRACES_SAMPLER_ARG: '0.25' }, ratioWarnings);
  assert.deepEqual([ratio.sampler, ratio.samplerRatio], ['traceidratio', 0.25]);
  assert.deepEqual(ratioWarnings, []);

  const ignored: string[] = [];
  assert.equal(resolvePrivacyConfig({ OTEL_TRACES_SAMPLER: 'always_on', OTEL_TRACES_SAMPLER_ARG: '0.1' }, ignored).samplerRatio, 1);
  assert.deepEqual(ignored, []);

  const bad: string[] = [];
  const badConfig = resolvePrivacyConfig({ OTEL_TRACES_SAMPLER: 'jaeger_remote', OTEL_TRACES_SAMPLER_ARG: '2' }, bad);
  assert.equal(badConfig.sampler, 'parentbased_always_on');
  assert.deepEqual(bad, ['OTEL_TRACES_SAMPLER=jaeger_remote is not supported; using parentbased_always_on']);

  const badRatio: string[] = [];
  assert.equal(resolvePrivacyConfig({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '1.5' }, badRatio).samplerRatio, 1);
  assert.deepEqual(badRatio, ['OTEL_TRACES_SAMPLER_ARG=1.5 is not a ratio between 0 and 1; using 1']);
});
