import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withoutUserinfo } from '../../../src/privacy/url-userinfo.ts';

test('user and password are removed from a URL, the rest is kept', () => {
  assert.equal(withoutUserinfo('https://user:password@collector.example:4318/v1/traces?x=1#f'), 'https://collector.example:4318/v1/traces?x=1#f');
  assert.equal(withoutUserinfo('http://:only-password@host'), 'http://host');
  assert.equal(withoutUserinfo('redis://user@host:6379'), 'redis://host:6379');
});

test('a password holding "@" loses everything up to the last one before the host', () => {
  assert.equal(withoutUserinfo('https://u:p@ss@host/a@b'), 'https://host/a@b');
});

test('every URL in a text is cleaned; text around them and URLs without userinfo are left as they are', () => {
  const text = 'export to https://a:b@one.example failed; then "http://two.example/x@y" and grpc+tls://c:d@three:4317, user@mail.example';
  assert.equal(withoutUserinfo(text), 'export to https://one.example failed; then "http://two.example/x@y" and grpc+tls://three:4317, user@mail.example');
});

test('a URL inside JSON text stops at the closing quote', () => {
  const json = JSON.stringify({ url: 'http://host', note: 'a@b' });
  assert.equal(withoutUserinfo(json), json);
});

test('no scheme, no change; a long input without any is returned as is', () => {
  assert.equal(withoutUserinfo('://user:pw@host'), '://user:pw@host');
  const long = 'a'.repeat(200_000);
  assert.equal(withoutUserinfo(long), long);
  const many = 'x://'.repeat(50_000);
  assert.equal(withoutUserinfo(many), many);
});
