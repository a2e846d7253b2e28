import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { Metadata, status } from '@grpc/grpc-js';
import { callErrorFromStatus } from '@grpc/grpc-js/build/src/call.js';
import { OTLPExporterError } from '@opentelemetry/otlp-exporter-base';
import { classifyExportFailure } from '../../../src/export/classify-failure.ts';

// The errors are the ones Node, grpc-js and the OTLP exporters really produce: Node's from real
// sockets on this machine, grpc-js's and the exporters' from their own constructors.

const http1 = { protocol: 'http/protobuf', timeoutMs: 5000 } as const;
const grpc = { protocol: 'grpc', timeoutMs: 5000 } as const;

function port(server: net.Server | http2.Http2Server): number {
  return (server.address() as AddressInfo).port;
}

async function socketError(connect: () => net.Socket): Promise<Error> {
  const socket = connect();
  const [error] = (await once(socket, 'error')) as [Error];
  socket.destroy();
  return error;
}

async function requestError(url: string): Promise<Error> {
  const request = http.request(url, { method: 'POST' });
  request.end('x');
  const [error] = (await once(request, 'error')) as [Error];
  return error;
}

test('a closed port is "refused", from the real ECONNREFUSED socket error', async () => {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const closedPort = port(server);
  server.close();
  await once(server, 'close');
  const error = await socketError(() => net.connect(closedPort, '127.0.0.1'));
  assert.equal(Reflect.get(error, 'code'), 'ECONNREFUSED');
  const failure = classifyExportFailure(error, http1);
  assert.equal(failure.kind, 'refused');
  assert.match(failure.reason, /^connection refused \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)$/);
  // grpc-js reports the same as UNAVAILABLE with the refusal in its details.
  const grpcError = callErrorFromStatus(
    { code: status.UNAVAILABLE, details: `No connection established. Last error: ${error.message}`, metadata: new Metadata() },
    '',
  );
  assert.equal(classifyExportFailure(grpcError, grpc).kind, 'refused');
});

test('an unknown host is "host-not-found", whether the resolver says ENOTFOUND or EAI_AGAIN', async () => {
  const error = await socketError(() => net.connect(4318, 'collector.invalid'));
  assert.ok(['ENOTFOUND', 'EAI_AGAIN'].includes(String(Reflect.get(error, 'code'))));
  const failure = classifyExportFailure(error, http1);
  assert.equal(failure.kind, 'host-not-found');
  assert.match(failure.reason, /^host not found \(getaddrinfo (ENOTFOUND|EAI_AGAIN) collector\.invalid\)$/);
  const grpcError = callErrorFromStatus(
    { code: status.UNAVAILABLE, details: 'Name resolution failed for target dns:collector.invalid:4317', metadata: new Metadata() },
    '',
  );
  const grpcFailure = classifyExportFailure(grpcError, grpc);
  assert.equal(grpcFailure.kind, 'host-not-found');
});

test('https:// to a plain-text port is a TLS error that says the server does not speak TLS', async () => {
  const server = net.createServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const error = await socketError(() => tls.connect({ host: '127.0.0.1', port: port(server), rejectUnauthorized: true }));
    const failure = classifyExportFailure(error, http1);
    assert.equal(failure.kind, 'tls');
    assert.match(
      failure.reason,
      /^TLS error: the endpoint is https:\/\/ but the server does not speak TLS \(use http:\/\/, OTEL_EXPORTER_OTLP_INSECURE=true for a gRPC endpoint given without a scheme/,
    );
  } finally {
    server.close();
  }
});

test('a certificate problem names the certificate, from the code Node gives it', () => {
  const error = Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  assert.deepEqual(classifyExportFailure(error, http1), { kind: 'tls', reason: 'TLS error: self-signed certificate' });
  const expired = Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' });
  assert.deepEqual(classifyExportFailure(expired, grpc), { kind: 'tls', reason: 'TLS error: certificate has expired' });
});

test('OTLP/HTTP sent to a gRPC (HTTP/2) port is a protocol mismatch, from the real parser error', async () => {
  const server = http2.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const error = await requestError(`http://127.0.0.1:${port(server)}/v1/traces`);
    assert.equal(Reflect.get(error, 'code'), 'HPE_INVALID_CONSTANT');
    const failure = classifyExportFailure(error, http1);
    assert.equal(failure.kind, 'protocol-mismatch');
    assert.match(failure.reason, /sent OTLP\/HTTP, but the endpoint answered with HTTP\/2 frames.*OTEL_EXPORTER_OTLP_PROTOCOL=grpc/);
  } finally {
    server.close();
  }
});

test('an unparsable answer that is neither HTTP/2 nor TLS is not called a protocol mismatch', () => {
  const garbage = Object.assign(new Error('Parse Error: Expected HTTP/'), { code: 'HPE_INVALID_CONSTANT', rawPacket: Buffer.from('SSH-2.0-OpenSSH_9\r\n') });
  assert.equal(classifyExportFailure(garbage, http1).kind, 'other');
  const tlsRecord = Object.assign(new Error('Parse Error: Expected HTTP/'), {
    code: 'HPE_INVALID_CONSTANT',
    rawPacket: Buffer.from([0x15, 0x03, 0x01, 0, 2, 2, 80]),
  });
  assert.notEqual(classifyExportFailure(tlsRecord, http1).kind, 'protocol-mismatch');
});

test('gRPC sent to an OTLP/HTTP port is a protocol mismatch, as grpc-js reports it', () => {
  const error = callErrorFromStatus({ code: status.UNAVAILABLE, details: 'Protocol error', metadata: new Metadata() }, '');
  const failure = classifyExportFailure(error, grpc);
  assert.equal(failure.kind, 'protocol-mismatch');
  assert.match(failure.reason, /sent gRPC.*OTEL_EXPORTER_OTLP_PROTOCOL=http\/protobuf/);
  const status404 = callErrorFromStatus({ code: status.UNIMPLEMENTED, details: 'Received HTTP status code 404', metadata: new Metadata() }, '');
  assert.equal(classifyExportFailure(status404, grpc).kind, 'protocol-mismatch');
});

test('timeouts: the HTTP exporter, grpc-js DEADLINE_EXCEEDED and ETIMEDOUT all name the configured timeout', () => {
  const expected = { kind: 'timeout', reason: 'timeout: no answer within 5000 ms' };
  assert.deepEqual(classifyExportFailure(new Error('Request timed out'), http1), expected);
  const deadline = callErrorFromStatus({ code: status.DEADLINE_EXCEEDED, details: 'Deadline exceeded after 5.002s', metadata: new Metadata() }, '');
  assert.deepEqual(classifyExportFailure(deadline, grpc), expected);
  assert.deepEqual(classifyExportFailure(Object.assign(new Error('connect ETIMEDOUT 10.0.0.1:4318'), { code: 'ETIMEDOUT' }), http1), expected);
});

test('an HTTP 4xx/5xx answer keeps its status, the standard reason and the first line of the body', () => {
  const unauthorized = classifyExportFailure(new OTLPExporterError('Unauthorized', 401, 'missing api key\nsecond line'), http1);
  assert.deepEqual(unauthorized, { kind: 'http-status', httpStatus: 401, reason: 'HTTP 401 Unauthorized: missing api key' });
  const tooLarge = classifyExportFailure(new OTLPExporterError('Payload Too Large', 413, ''), { protocol: 'http/json', timeoutMs: 1 });
  assert.deepEqual(tooLarge, { kind: 'http-status', httpStatus: 413, reason: 'HTTP 413 Payload Too Large' });
  // A status with no standard reason here keeps the server's message.
  const teapot = classifyExportFailure(new OTLPExporterError("I'm a teapot", 418), http1);
  assert.deepEqual(teapot, { kind: 'http-status', httpStatus: 418, reason: "HTTP 418 I'm a teapot" });
});

test('retried statuses: the HTTP client status is used when known, the family named when not', () => {
  const retried = new OTLPExporterError('Export failed with retryable status');
  assert.deepEqual(classifyExportFailure(retried, { ...http1, httpStatus: 503 }), {
    kind: 'http-status',
    httpStatus: 503,
    reason: 'HTTP 503 Service Unavailable (retried until the timeout)',
  });
  assert.deepEqual(classifyExportFailure(retried, http1), { kind: 'http-status', reason: 'HTTP 429, 502, 503 or 504 until the timeout' });
});

test('a gRPC status is named by its code, with the details but not the repeated prefix', () => {
  const denied = callErrorFromStatus({ code: status.PERMISSION_DENIED, details: 'bad token', metadata: new Metadata() }, '');
  assert.deepEqual(classifyExportFailure(denied, grpc), { kind: 'grpc-status', reason: 'gRPC PERMISSION_DENIED: bad token' });
  const bare = callErrorFromStatus({ code: status.UNAUTHENTICATED, details: '', metadata: new Metadata() }, '');
  assert.deepEqual(classifyExportFailure(bare, grpc), { kind: 'grpc-status', reason: 'gRPC UNAUTHENTICATED: no details' });
  // A numeric code on an HTTP export is an HTTP status, never a gRPC code.
  assert.equal(classifyExportFailure(new OTLPExporterError('Forbidden', 403), grpc).kind, 'other');
});

test('anything else is "other", with a brief reason and no userinfo', () => {
  assert.deepEqual(classifyExportFailure(undefined, http1), { kind: 'other', reason: 'export failed' });
  assert.deepEqual(classifyExportFailure('socket hang up', http1), { kind: 'other', reason: 'socket hang up' });
  const leaky = classifyExportFailure(new Error('bad answer from https://user:s3cret@collector.example/v1/traces\nstack line'), http1);
  assert.equal(leaky.kind, 'other');
  assert.doesNotMatch(leaky.reason, /s3cret|stack line/);
  assert.match(leaky.reason, /collector\.example/);
});
