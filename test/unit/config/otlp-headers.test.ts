import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveExportConfig } from '../../../src/config/otlp-config.ts';
import { readKeyValueEntries } from '../../../src/config/key-value-list.ts';
import { describeSignal, maskSecret } from '../../../src/config/describe-config.ts';

test('a malformed header entry is dropped and named by its key or its place only, never its value', () => {
  const config = resolveExportConfig({
    OTEL_EXPORTER_OTLP_HEADERS: 'Authorization: Bearer sekrit-one,x-token=%E2%98%83sekrit-two,x-ok=fine,x-nl=a%0Asekrit-three',
  });
  assert.deepEqual(config.traces.headers, { 'x-ok': 'fine' });
  const text = config.warnings.join('\n');
  assert.doesNotMatch(text, /sekrit/);
  assert.match(text, /OTEL_EXPORTER_OTLP_HEADERS: ignoring entry 1 \(expected key=value\)/);
  assert.match(text, /ignoring the entry for key "x-token"/);
  assert.match(text, /ignoring the entry for key "x-nl"/);
});

test('a bad header entry is dropped alone, for every signal, with one warning; the signal variable adds to the general one', () => {
  const config = resolveExportConfig({
    OTEL_EXPORTER_OTLP_HEADERS: 'x-team=caf%C3%A9,authorization=Bearer%20sekrit-four,x-cr=a%0Db',
    OTEL_EXPORTER_OTLP_LOGS_HEADERS: 'x-tenant=logs;prop=1',
  });
  for (const signal of ['traces', 'metrics'] as const) assert.deepEqual(config[signal].headers, { authorization: 'Bearer sekrit-four' });
  assert.deepEqual(config.logs.headers, { authorization: 'Bearer sekrit-four', 'x-tenant': 'logs' });
  assert.deepEqual(config.warnings, [
    'OTEL_EXPORTER_OTLP_HEADERS: ignoring the entry for key "x-team" (its value is not printable ASCII)',
    'OTEL_EXPORTER_OTLP_HEADERS: ignoring the entry for key "x-cr" (its value is not printable ASCII)',
  ]);
});

test('entries are read as the OpenTelemetry SDK reads them: trimmed, percent-decoded, empty ones skipped', () => {
  assert.deepEqual(readKeyValueEntries(' a = 1 ,, b%20c=d%3De ,=x,k=,%E0%A4%A=v'), [
    { place: 1, ok: true, key: 'a', value: '1' },
    { place: 3, ok: true, key: 'b c', value: 'd=e' },
    { place: 4, ok: false },
    { place: 5, ok: false },
    { place: 6, ok: false },
  ]);
});

test('a key that is not a header name is named by its place, since it may be the secret itself', () => {
  const config = resolveExportConfig({ OTEL_EXPORTER_OTLP_HEADERS: 'Bearer sekrit=x' });
  assert.deepEqual(config.traces.headers, {});
  assert.match(config.warnings.join('\n'), /ignoring entry 1 \(its key is not a header name/);
  assert.doesNotMatch(config.warnings.join('\n'), /sekrit/);
});

test('masked values show at most 2 characters, short ones none', () => {
  assert.equal(maskSecret('Bearer abcdefghijkl'), 'Be****');
  assert.equal(maskSecret('short-value'), '****');
  assert.equal(maskSecret(''), '****');
});

test('a described endpoint has no userinfo', () => {
  const config = resolveExportConfig({
    OTEL_EXPORTER_OTLP_ENDPOINT: 'https://user:pa55word@collector.example:4318',
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
  });
  assert.equal(describeSignal(config.traces).url, 'https://collector.example:4318/v1/traces');
  const bad = resolveExportConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://user:pa55word@host' });
  assert.doesNotMatch(bad.warnings.join('\n'), /pa55word/);
});
