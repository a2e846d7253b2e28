import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { allowedHosts, checkHostAndOrigin, checkToken } from '../../../../src/ctl/serve/request-guard.ts';

function request(headers: Record<string, string>): IncomingMessage {
  return { headers } as unknown as IncomingMessage;
}

test('Host and Origin: loopback names and the address listened on pass, anything else is 403, no Host 400', () => {
  const hosts = allowedHosts('127.0.0.1');
  for (const host of ['127.0.0.1:4380', 'localhost:4380', 'LOCALHOST', '[::1]:4380', 'localhost.'])
    assert.equal(checkHostAndOrigin(request({ host }), hosts), undefined, host);
  for (const host of ['evil.example', '127.0.0.1.nip.io', '10.0.0.1:4380', 'localhost:4380:1', 'a b'])
    assert.equal(checkHostAndOrigin(request({ host }), hosts)?.status, 403, host);
  assert.deepEqual(checkHostAndOrigin(request({}), hosts), { status: 400, reason: 'no Host header' }, 'no Host');
  assert.equal(checkHostAndOrigin(request({ host: 'localhost', origin: 'http://localhost:4380' }), hosts), undefined);
  for (const origin of ['http://evil.example', 'https://localhost', 'null', 'not a url'])
    assert.equal(checkHostAndOrigin(request({ host: 'localhost', origin }), hosts)?.status, 403, origin);
  assert.equal(checkHostAndOrigin(request({ host: '192.168.1.5:4380' }), allowedHosts('192.168.1.5')), undefined, 'the --host address');
  assert.equal(checkHostAndOrigin(request({ host: '[fe80::1]:4380' }), allowedHosts('fe80::1')), undefined);
});

test('the token: from the Authorization header or the query, compared whole', () => {
  const none = new URLSearchParams();
  assert.equal(checkToken(request({ authorization: 'Bearer s3cret' }), none, 's3cret'), undefined);
  assert.equal(checkToken(request({}), new URLSearchParams('token=s3cret'), 's3cret'), undefined);
  assert.equal(checkToken(request({}), none, 's3cret')?.status, 401);
  assert.equal(checkToken(request({}), new URLSearchParams('token=s3cre'), 's3cret')?.status, 401);
  assert.equal(checkToken(request({ authorization: 'Basic s3cret' }), none, 's3cret')?.status, 401);
  assert.equal(
    checkToken(request({ authorization: 'Bearer wrong' }), new URLSearchParams('token=s3cret'), 's3cret')?.status,
    401,
    'a wrong header is not rescued by the query',
  );
});
