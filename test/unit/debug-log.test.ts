import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, symlinkSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DEBUG_LOG_FILE, DEBUG_LOG_MAX_BYTES, createDebugLog } from '../../src/debug-log.ts';
import { createRedactor } from '../../src/privacy/redact.ts';
import { scratchDir } from '../support/scratch-dir.ts';

function stateDir(): string {
  return join(scratchDir('claude-otel-debuglog-'), 'state');
}

function records(dir: string): Record<string, unknown>[] {
  return readFileSync(join(dir, DEBUG_LOG_FILE), 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

test('each string value is redacted on its own: a pattern that would break serialised JSON leaves valid lines and numbers intact', async () => {
  const dir = stateDir();
  const redact = createRedactor({ extraPatterns: '[0-9]{5,}' });
  const log = createDebugLog({ enabled: true, stateDir: dir, redact, stderr: false });
  log.log('debug', 'configuration', { timeoutMs: 123456, url: 'http://collector.example:43170/a"b', nested: { list: ['id 9999999', 7] } });
  await log.close();
  const [record] = records(dir);
  assert.equal(record?.msg, 'configuration');
  assert.equal(record?.timeoutMs, 123456);
  assert.equal(record?.url, 'http://collector.example:[REDACTED]/a"b');
  assert.deepEqual(record?.nested, { list: ['id [REDACTED]', 7] });
});

test('nothing a caller passes makes log() throw: a throwing redactor, cycles, bigints, errors', async () => {
  const dir = stateDir();
  const log = createDebugLog({
    enabled: true,
    stateDir: dir,
    redact: (text) => {
      if (text.includes('boom')) throw new Error('redactor failed');
      return text;
    },
    stderr: false,
  });
  const cycle: Record<string, unknown> = { name: 'loop' };
  cycle.self = cycle;
  assert.doesNotThrow(() => log.log('error', 'boom', { cycle, big: 10n ** 30n, error: new Error('bad'), fn: () => 1 }));
  await log.close();
  const [record] = records(dir);
  assert.equal(record?.msg, '[unloggable text]');
  assert.equal(record?.big, (10n ** 30n).toString());
  assert.match(String(record?.error), /^Error: bad/);
});

test('URLs lose their userinfo in the message and in every value', async () => {
  const dir = stateDir();
  const log = createDebugLog({ enabled: false, stateDir: dir, redact: (t) => t, stderr: false });
  log.log('warn', 'export to https://user:pa55word@collector.example failed', { endpoint: 'https://user:pa55word@collector.example/v1/traces' });
  await log.close();
  const text = readFileSync(join(dir, DEBUG_LOG_FILE), 'utf8');
  assert.doesNotMatch(text, /pa55word/);
  assert.match(text, /https:\/\/collector\.example\/v1\/traces/);
});

test('the log file is 0600 in a 0700 state dir', async () => {
  const dir = stateDir();
  const log = createDebugLog({ enabled: false, stateDir: dir, redact: (t) => t, stderr: false });
  log.log('warn', 'something');
  await log.close();
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.equal(statSync(join(dir, DEBUG_LOG_FILE)).mode & 0o777, 0o600);
});

test('a symlink at the log path is not followed: its target is untouched and nothing throws', async () => {
  const dir = stateDir();
  const log0 = createDebugLog({ enabled: false, stateDir: dir, redact: (t) => t, stderr: false });
  log0.log('warn', 'create the dir');
  await log0.close();
  rmSync(join(dir, DEBUG_LOG_FILE));
  const target = join(dir, '..', 'victim.txt');
  writeFileSync(target, 'precious\n');
  symlinkSync(target, join(dir, DEBUG_LOG_FILE));
  const log = createDebugLog({ enabled: false, stateDir: dir, redact: (t) => t, stderr: false });
  assert.doesNotThrow(() => log.log('error', 'must not land in the victim'));
  await log.close();
  assert.equal(readFileSync(target, 'utf8'), 'precious\n');
});

test('a full log is moved to .1 and a new one started', async () => {
  const dir = stateDir();
  const log0 = createDebugLog({ enabled: false, stateDir: dir, redact: (t) => t, stderr: false });
  log0.log('warn', 'first');
  await log0.close();
  writeFileSync(join(dir, DEBUG_LOG_FILE), 'x'.repeat(DEBUG_LOG_MAX_BYTES));
  const log = createDebugLog({ enabled: false, stateDir: dir, redact: (t) => t, stderr: false });
  log.log('warn', 'after rotation');
  await log.close();
  assert.ok(existsSync(join(dir, `${DEBUG_LOG_FILE}.1`)));
  assert.equal(statSync(join(dir, `${DEBUG_LOG_FILE}.1`)).size, DEBUG_LOG_MAX_BYTES);
  assert.deepEqual(
    records(dir).map((r) => r.msg),
    ['after rotation'],
  );
});

test('each line names its level (debug, info, warn, error) rather than a number', async () => {
  const dir = stateDir();
  const log = createDebugLog({ enabled: true, stateDir: dir, redact: (t) => t, stderr: false });
  log.log('debug', 'a');
  log.log('info', 'b');
  log.log('warn', 'c');
  log.log('error', 'd');
  await log.close();
  assert.deepEqual(
    records(dir).map((r) => [r.level, r.msg]),
    [
      ['debug', 'a'],
      ['info', 'b'],
      ['warn', 'c'],
      ['error', 'd'],
    ],
  );
});
