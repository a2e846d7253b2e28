import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { carriedTotals } from '../../../../src/sources/transcript/carried-totals.ts';

// A real 2.1.337 transcript of a session run three times (print mode, resumed twice): each run
// wrote its totals, counted from the earlier runs', as it ended.
const SESSION = 'd3302867-58b5-4ea1-a848-e15fad46a040';
const FIXTURE = new URL(`../../../fixtures/transcripts/print-2.1.337-resumed-background-agent/${SESSION}.jsonl`, import.meta.url);

function configDir(): { dir: string; project: string; transcript: string; [Symbol.dispose](): void } {
  const dir = mkdtempSync(join(tmpdir(), 'claude-otel-carried-'));
  // A directory name that is not the cwd's: the file is found by its session id.
  const project = join(dir, 'projects', '-some-project');
  mkdirSync(project, { recursive: true });
  const transcript = join(project, `${SESSION}.jsonl`);
  copyFileSync(FIXTURE, transcript);
  return { dir, project, transcript, [Symbol.dispose]: () => rmSync(dir, { recursive: true, force: true }) };
}

test('a resumed session starts from its last cost-state line', () => {
  using config = configDir();
  const totals = carriedTotals(config.dir, { sessionId: SESSION }, '2.1.337');
  assert.ok(totals);
  assert.ok(Math.abs(totals.costUsd - 0.008325) < 1e-12);
  assert.equal(totals.durationApiMs, 360);
  assert.deepEqual(Object.keys(totals.costByModel), ['claude-opus-5-5']);
  assert.ok(Math.abs((totals.costByModel['claude-opus-5-5'] ?? 0) - 0.008325) < 1e-12);
});

test('lines written after it, damaged ones and other sessions’ do not count', () => {
  using config = configDir();
  appendFileSync(
    config.transcript,
    [
      '{"type":"last-prompt","lastPrompt":"x","sessionId":"d3302867-58b5-4ea1-a848-e15fad46a040"}',
      '{"type":"cost-state","sessionId":"another","totalCostUSD":9,"totalAPIDuration":9}',
      '{"type":"cost-state","sessionId":"d3302867-58b5-4ea1-a848-e15fad46a040","totalCostUSD":"lots"}',
      '{"type":"cost-state", cut short',
      '',
    ].join('\n'),
  );
  assert.equal(carriedTotals(config.dir, { sessionId: SESSION }, '2.1.337')?.durationApiMs, 360);
});

test('nothing is carried over by a CLI before 2.1.332, from a session that wrote no totals, or for an id that is no file name', () => {
  using config = configDir();
  assert.equal(carriedTotals(config.dir, { sessionId: SESSION }, '2.1.197'), undefined);
  writeFileSync(config.transcript, '{"type":"user","message":{"role":"user","content":"hi"}}\n');
  assert.equal(carriedTotals(config.dir, { sessionId: SESSION }, '2.1.337'), undefined);
  assert.equal(carriedTotals(config.dir, { sessionId: '../-some-project/x' }, '2.1.337'), undefined);
  assert.equal(carriedTotals(join(config.dir, 'missing'), { sessionId: SESSION }, '2.1.337'), undefined);
});

test('--continue --fork-session: the latest session of the directory, the new one left out', () => {
  using config = configDir();
  const cwd = '/some/project';
  const older = join(config.project, 'a0000000-0000-4000-8000-000000000000.jsonl');
  writeFileSync(older, '{"type":"cost-state","sessionId":"a0000000-0000-4000-8000-000000000000","totalCostUSD":7,"totalAPIDuration":7}\n');
  utimesSync(older, new Date(1_000_000), new Date(1_000_000));
  const fork = join(config.project, 'f0000000-0000-4000-8000-000000000000.jsonl');
  writeFileSync(fork, '{"type":"user","message":{"role":"user","content":"hi"}}\n');
  assert.equal(carriedTotals(config.dir, { latestIn: cwd, except: 'f0000000-0000-4000-8000-000000000000' }, '2.1.337')?.durationApiMs, 360);
  utimesSync(config.transcript, new Date(500_000), new Date(500_000));
  assert.equal(carriedTotals(config.dir, { latestIn: cwd, except: 'f0000000-0000-4000-8000-000000000000' }, '2.1.337')?.durationApiMs, 7);
  assert.equal(carriedTotals(config.dir, { latestIn: '/another/project', except: 'f0000000-0000-4000-8000-000000000000' }, '2.1.337'), undefined);
});
