import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPLAY_LOCK_DIR, RunLock } from '../../../src/store/run-lock.ts';

// The per-run lock: one sender at a time; a lock whose owner process has gone is taken over at
// once (a wrapper killed while it sent its own session), one that is held is not.

function runDir(): string {
  return mkdtempSync(join(tmpdir(), 'run-lock-'));
}

function lockOwnedBy(dir: string, pid: number): void {
  mkdirSync(join(dir, REPLAY_LOCK_DIR));
  writeFileSync(join(dir, REPLAY_LOCK_DIR, 'owner'), `${pid}-abcdef`);
}

test('a held lock keeps a second sender out until it is released', () => {
  const dir = runDir();
  try {
    const first = RunLock.acquire(dir);
    assert.ok(first);
    assert.equal(RunLock.acquire(dir), undefined);
    first.release();
    const second = RunLock.acquire(dir);
    assert.ok(second?.held());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a fresh lock whose owner process is gone is taken over at once', () => {
  const dir = runDir();
  try {
    // A process that has exited: its pid names no process now.
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    assert.ok(gone);
    lockOwnedBy(dir, gone);
    const taken = RunLock.acquire(dir);
    assert.ok(taken?.held());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a fresh lock whose owner process runs is left alone', () => {
  const dir = runDir();
  try {
    // The parent of this test process is alive while the test runs.
    lockOwnedBy(dir, process.ppid);
    assert.equal(RunLock.acquire(dir), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
