import { test } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { normalUrl, watchHttpStatus } from '../../../src/export/http-status-watch.ts';

// The HTTP status of an export's responses, from Node's HTTP client, for the URL watched only.

/** A local server that answers every request with the status `status.next`. */
async function statusServer(t: TestContext, status: { next: number }): Promise<string> {
  const server = createServer((_req, res) => {
    res.statusCode = status.next;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Sends a POST and resolves once the response has been read. */
function post(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end('{}');
  });
}

test('the last status of responses from the watched URL', async (t) => {
  const status = { next: 503 };
  const base = await statusServer(t, status);
  const watch = watchHttpStatus(`${base}/v1/traces`);
  t.after(() => watch.stop());
  assert.equal(watch.last, undefined);
  assert.equal(await post(`${base}/v1/traces`), 503);
  assert.equal(watch.last, 503);
  status.next = 429;
  assert.equal(await post(`${base}/v1/traces`), 429);
  assert.equal(watch.last, 429, 'the last one');
  // Another URL's responses are not this export's.
  status.next = 502;
  assert.equal(await post(`${base}/v1/logs`), 502);
  assert.equal(watch.last, 429);
});

test('after stop() responses are no longer seen', async (t) => {
  const status = { next: 502 };
  const base = await statusServer(t, status);
  const watch = watchHttpStatus(`${base}/v1/metrics`);
  await post(`${base}/v1/metrics`);
  assert.equal(watch.last, 502);
  watch.stop();
  const other = watchHttpStatus(`${base}/v1/metrics`);
  t.after(() => other.stop());
  status.next = 504;
  await post(`${base}/v1/metrics`);
  assert.equal(other.last, 504, 'the response came');
  assert.equal(watch.last, 502);
});

test('two watches of the same URL each see its responses', async (t) => {
  const base = await statusServer(t, { next: 504 });
  const a = watchHttpStatus(`${base}/v1/traces`);
  const b = watchHttpStatus(`${base}/v1/traces`);
  t.after(() => {
    a.stop();
    b.stop();
  });
  await post(`${base}/v1/traces`);
  assert.deepEqual([a.last, b.last], [504, 504]);
});

test('URLs compare in their normal form; one that cannot be read watches nothing', () => {
  assert.equal(normalUrl('HTTP://Collector.Example:80/v1/traces'), 'http://collector.example/v1/traces');
  assert.equal(normalUrl('not a url'), undefined);
  const watch = watchHttpStatus('not a url');
  assert.equal(watch.last, undefined);
  watch.stop();
});
