import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clearMark, hasUndeliveredMark, markBeforeSending, markUndelivered, UNDELIVERED_MARK_FILE } from '../../../src/store/flush-protocol.ts';

// The undelivered mark is set before a session is sent, so a wrapper killed while sending
// leaves it behind; the run that set it removes it once its session was delivered, and never
// removes a mark that earlier or later sessions depend on.

function withStateDir(body: (dir: string, mark: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'claude-otel-mark-'));
  try {
    body(dir, join(dir, UNDELIVERED_MARK_FILE));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a run that set the mark before sending removes it once delivered', () => {
  withStateDir((dir, mark) => {
    const token = markBeforeSending(dir);
    assert.ok(token);
    assert.ok(existsSync(mark), 'set before anything is sent');
    clearMark(dir, token);
    assert.ok(!existsSync(mark));
  });
});

test('the mark is seen while it is there, and only then (a run with nothing to retry loads no replay code)', () => {
  withStateDir((dir) => {
    assert.equal(hasUndeliveredMark(dir), false);
    const token = markBeforeSending(dir);
    assert.ok(token);
    assert.equal(hasUndeliveredMark(dir), true);
    clearMark(dir, token);
    assert.equal(hasUndeliveredMark(dir), false);
    markUndelivered(dir);
    assert.equal(hasUndeliveredMark(dir), true);
  });
});

test('a mark that was there already is not this run’s to remove', () => {
  withStateDir((dir, mark) => {
    markUndelivered(dir);
    assert.equal(markBeforeSending(dir), undefined);
    assert.ok(existsSync(mark));
  });
});

test('a mark another run wrote after ours stays', () => {
  withStateDir((dir, mark) => {
    const token = markBeforeSending(dir);
    assert.ok(token);
    markUndelivered(dir);
    clearMark(dir, token);
    assert.ok(existsSync(mark), 'another session still waits');
  });
});

test('a FIFO where the mark should be is left alone, and clearing does not wait on it', { timeout: 10_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'claude-otel-mark-'));
  try {
    const path = join(dir, UNDELIVERED_MARK_FILE);
    execFileSync('mkfifo', [path]);
    clearMark(dir, 'any token');
    assert.ok(lstatSync(path).isFIFO());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
