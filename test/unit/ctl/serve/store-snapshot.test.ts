import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreSnapshot } from '../../../../src/ctl/serve/store-snapshot.ts';

// When the live page is told that the store changed. A run directory's time is the first sign,
// but on many kernels it moves in clock ticks: a file renamed in during the tick of the last look
// leaves it as it was. The directory's time is put back by hand here to stand for that.

function store(): { stateDir: string; run: string; cleanup: () => void } {
  const stateDir = mkdtempSync(join(tmpdir(), 'claude-otel-snapshot-'));
  const run = join(stateDir, 'sessions', '20260101T000000Z-1-1');
  mkdirSync(run, { recursive: true });
  return { stateDir, run, cleanup: () => rmSync(stateDir, { recursive: true, force: true }) };
}

/** Renames a file into the directory, as the wrapper writes, and puts the directory's time back. */
function renameInKeepingTime(dir: string, name: string, text: string): void {
  const { atime, mtime } = statSync(dir);
  const temporary = join(dir, '..', `.${name}.tmp`);
  writeFileSync(temporary, text);
  renameSync(temporary, join(dir, name));
  utimesSync(dir, atime, mtime);
}

test('a file renamed into a directory within the same clock tick is a change', () => {
  const { stateDir, run, cleanup } = store();
  try {
    let now = statSync(run).mtimeMs + 100;
    const snapshot = new StoreSnapshot(
      stateDir,
      () => {},
      () => {},
      () => now,
    );
    assert.equal(snapshot.refresh(), true, 'the first look');
    assert.equal(snapshot.refresh(), false, 'nothing changed');
    renameInKeepingTime(run, 'chunk-0001.json', '{}');
    assert.equal(snapshot.refresh(), true, 'a new file');
    renameInKeepingTime(run, 'meta.json', '{"a":1}');
    assert.equal(snapshot.refresh(), true, 'a new file');
    renameInKeepingTime(run, 'meta.json', '{"a":2}');
    assert.equal(snapshot.refresh(), true, 'a file replaced by a rename');
    assert.equal(snapshot.version, 4);
    // Settling is no change: the page is not told again.
    now += 60_000;
    assert.equal(snapshot.refresh(), false, 'the directory settled');
    assert.equal(snapshot.version, 4);
  } finally {
    cleanup();
  }
});

test('a settled directory is known by its time, and a new run directory is a change', () => {
  const { stateDir, run, cleanup } = store();
  try {
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(run, old, old);
    const snapshot = new StoreSnapshot(stateDir, () => {});
    assert.equal(snapshot.refresh(), true);
    assert.equal(snapshot.refresh(), false);
    mkdirSync(join(stateDir, 'sessions', '20260101T000001Z-2-2'));
    assert.equal(snapshot.refresh(), true, 'a new run');
    writeFileSync(join(run, 'meta.json'), '{}');
    assert.equal(snapshot.refresh(), true, 'a file in an old run');
    rmSync(join(stateDir, 'sessions', '20260101T000001Z-2-2'), { recursive: true });
    assert.equal(snapshot.refresh(), true, 'a run removed');
    assert.equal(snapshot.refresh(), false);
  } finally {
    cleanup();
  }
});

test('a change that a reader of the store sees first is announced all the same', () => {
  const { stateDir, run, cleanup } = store();
  try {
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(run, old, old);
    const told: number[] = [];
    const snapshot: StoreSnapshot = new StoreSnapshot(
      stateDir,
      () => {},
      () => told.push(snapshot.version),
    );
    snapshot.refresh();
    assert.deepEqual(told, [1]);
    snapshot.current();
    assert.deepEqual(told, [1], 'nothing changed, nothing told');
    writeFileSync(join(run, 'meta.json'), '{}');
    // A request reads the store before the watch looks: the watch then sees no change.
    snapshot.current();
    assert.equal(snapshot.refresh(), false);
    assert.deepEqual(told, [1, 2], 'the version the request was served is announced');
  } finally {
    cleanup();
  }
});
