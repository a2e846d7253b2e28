import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TelemetryGuard } from '../../../src/modes/telemetry-guard.ts';
import { recordingLog } from './fakes.ts';

// Nothing that goes wrong while recording reaches claude's output or exit status.

test('a step that throws is logged with its name and counted; the work of a step that does not is done', () => {
  const log = recordingLog();
  const guard = new TelemetryGuard(log);
  let done = false;
  guard.run('a good step', () => {
    done = true;
  });
  assert.equal(done, true);
  assert.equal(guard.failed, 0);
  guard.run('reading a line', () => {
    throw new Error('bad line');
  });
  assert.equal(guard.failed, 1);
  assert.equal(log.records.length, 1);
  assert.equal(log.records[0]?.level, 'error');
  assert.equal(log.records[0]?.message, 'telemetry failed while reading a line; claude is not affected');
  assert.match(String(log.records[0]?.fields?.error), /Error: bad line/);
});

test('an asynchronous step gives its value, or the fallback when it rejects or throws', async () => {
  const log = recordingLog();
  const guard = new TelemetryGuard(log);
  assert.equal(await guard.settle('flushing', async () => 'trace', undefined), 'trace');
  assert.equal(await guard.settle('flushing', () => Promise.reject(new Error('down')), 'fallback'), 'fallback');
  assert.equal(
    await guard.settle(
      'starting',
      () => {
        throw 'not an error';
      },
      7,
    ),
    7,
  );
  assert.equal(guard.failed, 2);
  assert.equal(log.records[1]?.fields?.error, 'not an error');
  assert.match(String(log.records[0]?.fields?.error), /down/);
});
