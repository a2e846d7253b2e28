import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HookSpool, STALE_SPOOL_MS } from '../../../../src/sources/hooks/hook-spool.ts';
import { scratchDir } from '../../../support/scratch-dir.ts';

test('stale spool directories of this user are removed; live, fresh and foreign-looking ones stay', () => {
  const dir = scratchDir('claude-otel-spools-');
  const now = Date.now();
  const old = new Date(now - STALE_SPOOL_MS - 60_000);
  const deadPid = spawnSync(process.execPath, ['-e', '0']).pid;
  const make = (name: string, stale: boolean): string => {
    const path = join(dir, name);
    mkdirSync(path);
    writeFileSync(join(path, 'payload.json'), '{}');
    if (stale) utimesSync(path, old, old);
    return path;
  };
  const dead = make(`claude-otel-hooks-${deadPid}-aaaaaa`, true);
  const legacy = make('claude-otel-hooks-bbbbbb', true);
  const live = make(`claude-otel-hooks-${process.ppid}-cccccc`, true);
  const fresh = make(`claude-otel-hooks-${deadPid}-dddddd`, false);
  const other = make('something-else', true);
  const target = make('link-target', true);
  symlinkSync(target, join(dir, `claude-otel-hooks-${deadPid}-eeeeee`));

  assert.equal(HookSpool.removeStale(now, dir), 2);
  assert.ok(!existsSync(dead), 'its wrapper is gone and it is a day old');
  assert.ok(!existsSync(legacy), 'no pid in its name: its age decides');
  assert.ok(existsSync(live), 'its wrapper still runs');
  assert.ok(existsSync(fresh), 'touched within the day');
  assert.ok(existsSync(other));
  assert.ok(existsSync(join(target, 'payload.json')), 'a symlink is not followed');
});

test("a new spool directory is named with the wrapper's pid and is private", () => {
  const spool = HookSpool.create();
  try {
    assert.match(spool.dir, new RegExp(`claude-otel-hooks-${process.pid}-[^/]+$`));
  } finally {
    spool.remove();
  }
});
