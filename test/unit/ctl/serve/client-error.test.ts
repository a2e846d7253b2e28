import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clientErrorStatus, rawErrorResponse } from '../../../../src/ctl/serve/http-reply.ts';
import { wellEncodedQuery } from '../../../../src/ctl/serve/trace-server.ts';

// What serve answers to a request Node's parser refuses before the handler, and which queries
// it refuses for their percent-encoding.

const LIMIT = 16_384;
const overflow = (packet: string) => ({ code: 'HPE_HEADER_OVERFLOW', rawPacket: Buffer.from(packet, 'latin1') });

test('a URL too long is 414, headers too large 431, an unknown method or garbage 400, a slow request 408', () => {
  assert.equal(clientErrorStatus(overflow(`GET /api/traces?q=${'x'.repeat(20_000)} HTTP/1.1\r\nHost: localhost\r\n`), LIMIT).status, 414);
  assert.equal(clientErrorStatus(overflow(`GET /${'x'.repeat(20_000)}`), LIMIT).status, 414, 'the request line not ended yet');
  assert.equal(clientErrorStatus(overflow(`GET /api/traces HTTP/1.1\r\n${'X-Long: y\r\n'.repeat(3000)}`), LIMIT).status, 431);
  assert.equal(clientErrorStatus(overflow('X-Long: y\r\n'.repeat(3000)), LIMIT).status, 431, 'a packet in the middle of the headers');
  assert.equal(clientErrorStatus({ code: 'HPE_HEADER_OVERFLOW' }, LIMIT).status, 431);
  assert.deepEqual(clientErrorStatus({ code: 'HPE_INVALID_METHOD' }, LIMIT), { status: 400, message: 'unknown method: only GET and HEAD are answered' });
  assert.equal(clientErrorStatus({ code: 'HPE_INVALID_CONSTANT' }, LIMIT).status, 400);
  assert.equal(clientErrorStatus({}, LIMIT).status, 400);
  assert.equal(clientErrorStatus({ code: 'ERR_HTTP_REQUEST_TIMEOUT' }, LIMIT).status, 408);
});

test('the raw answer is HTTP with the JSON error of every other answer, and closes the connection', () => {
  const answer = rawErrorResponse(431, 'too large');
  const [head = '', body = ''] = answer.split('\r\n\r\n');
  const [statusLine, ...headerLines] = head.split('\r\n');
  assert.equal(statusLine, 'HTTP/1.1 431 Request Header Fields Too Large');
  const headers = Object.fromEntries(headerLines.map((line) => line.split(': ') as [string, string]));
  assert.equal(headers.connection, 'close');
  assert.equal(headers['content-type'], 'application/json; charset=utf-8');
  assert.equal(headers['cache-control'], 'no-store');
  assert.equal(Number(headers['content-length']), Buffer.byteLength(body));
  assert.deepEqual(JSON.parse(body), { error: { status: 431, message: 'too large' } });
});

test('a query whose names or values do not decode is refused, as a path is', () => {
  for (const ok of ['', '?', '?q=caf%C3%A9', '?q=a+b&limit=5', '?q=100%25', '?flag']) assert.equal(wellEncodedQuery(ok), true, ok);
  for (const bad of ['?q=%ZZ', '?q=%', '?q=%E0%A4%A', '?limit=5&q=50%', '?%ZZ=1']) assert.equal(wellEncodedQuery(bad), false, bad);
});
