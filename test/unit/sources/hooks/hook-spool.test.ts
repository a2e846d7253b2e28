import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HookSpool } from '../../../../src/sources/hooks/hook-spool.ts';

const common = { session_id: 's1', transcript_path: '/home/user/.claude/projects/p/s1.jsonl', cwd: '/home/user/project' };

function write(spool: HookSpool, name: string, body: string, timeMs: number): void {
  const path = join(spool.dir, name);
  writeFileSync(path, body);
  utimesSync(path, timeMs / 1000, timeMs / 1000);
}

const payload = (event: string, extra: Record<string, unknown> = {}) => JSON.stringify({ ...common, hook_event_name: event, ...extra });

test('payloads come out in the order the hooks fired, with the time they fired, and leave the spool', () => {
  const spool = HookSpool.create();
  try {
    const t = Date.now() - 60_000;
    write(spool, '300.json', payload('Stop'), t + 300);
    write(spool, '100.json', payload('UserPromptSubmit', { prompt: 'hi' }), t + 100);
    write(spool, '200.json', payload('PreToolUse', { tool_name: 'Bash', tool_use_id: 'toolu_1', tool_input: { command: 'ls' } }), t + 200);
    const { payloads, dropped } = spool.drain(false);
    assert.equal(dropped, 0);
    assert.deepEqual(
      payloads.map((p) => p.payload.event),
      ['UserPromptSubmit', 'PreToolUse', 'Stop'],
    );
    assert.deepEqual(
      payloads.map((p) => p.time),
      [t + 100, t + 200, t + 300],
    );
    assert.deepEqual(readdirSync(spool.dir), []);
  } finally {
    spool.remove();
  }
  assert.equal(existsSync(spool.dir), false);
});

test('the same modification time (a coarse file-system clock): claude’s firing order decides', () => {
  const spool = HookSpool.create();
  try {
    const t = Date.now() - 60_000;
    write(spool, '1.json', payload('PostToolUse', { tool_name: 'Read', tool_use_id: 'toolu_1', tool_input: {}, tool_response: {} }), t);
    write(spool, '2.json', payload('PreToolUse', { tool_name: 'Read', tool_use_id: 'toolu_1', tool_input: {} }), t);
    assert.deepEqual(
      spool.drain(false).payloads.map((p) => p.payload.event),
      ['PreToolUse', 'PostToolUse'],
    );
  } finally {
    spool.remove();
  }
});

test('a payload still being written holds back the ones after it, until it is complete', () => {
  const spool = HookSpool.create();
  try {
    const t = Date.now();
    write(spool, '1.json', payload('UserPromptSubmit', { prompt: 'hi' }), t - 30);
    write(spool, '2.json', payload('PreToolUse', { tool_name: 'Bash', tool_use_id: 'toolu_1', tool_input: {} }).slice(0, 40), t - 20);
    write(spool, '3.json', payload('Stop'), t - 10);
    assert.deepEqual(
      spool.drain(false).payloads.map((p) => p.payload.event),
      ['UserPromptSubmit'],
    );
    write(spool, '2.json', payload('PreToolUse', { tool_name: 'Bash', tool_use_id: 'toolu_1', tool_input: {} }), t - 20);
    assert.deepEqual(
      spool.drain(false).payloads.map((p) => p.payload.event),
      ['PreToolUse', 'Stop'],
    );
  } finally {
    spool.remove();
  }
});

test('when claude has exited, or after a long time, an incomplete payload is dropped; so is what is not a hook payload', () => {
  const spool = HookSpool.create();
  try {
    const t = Date.now();
    write(spool, '1.json', '{"session_id": "s1", "hook_eve', t - 60_000);
    write(spool, '2.json', payload('Stop'), t - 50_000);
    write(spool, '3.json', JSON.stringify({ hello: 'world' }), t - 40_000);
    write(spool, '4.json', '{"cut', t - 10);
    write(spool, '5.json', payload('SessionEnd', { reason: 'other' }), t - 5);
    const early = spool.drain(false);
    assert.deepEqual(
      early.payloads.map((p) => p.payload.event),
      ['Stop'],
    );
    assert.equal(early.dropped, 2);
    const last = spool.drain(true);
    assert.deepEqual(
      last.payloads.map((p) => p.payload.event),
      ['SessionEnd'],
    );
    assert.equal(last.dropped, 1);
  } finally {
    spool.remove();
  }
});
