import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resumeArgs, resumedFrom } from '../../../src/launch/resume-args.ts';

const ID = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
const NEW_ID = '11111111-2222-3333-4444-555555555555';

test('a run that resumes nothing', () => {
  assert.equal(resumeArgs(['-p', 'hello', '--output-format', 'json']), undefined);
  assert.equal(resumeArgs([]), undefined);
  // --fork-session alone forks nothing.
  assert.equal(resumeArgs(['--fork-session', '-p', 'x']), undefined);
  // After "--" everything is the prompt.
  assert.equal(resumeArgs(['-p', '--', '--resume', ID]), undefined);
});

test('--resume <id>, -r <id> and --resume=<id>', () => {
  for (const args of [
    ['-p', '--resume', ID, 'next'],
    ['-r', ID, '-p', 'next'],
    [`--resume=${ID}`, '-p', 'next'],
  ]) {
    assert.deepEqual(resumeArgs(args), { resumeId: ID, continued: false, fork: false }, args.join(' '));
  }
});

test('--resume without an id or with a search term (the picker) and --continue / -c', () => {
  assert.deepEqual(resumeArgs(['--resume', 'login bug']), { continued: false, fork: false });
  assert.deepEqual(resumeArgs(['--resume=login', '--fork-session']), { continued: false, fork: true });
  assert.deepEqual(resumeArgs(['--resume']), { continued: false, fork: false });
  assert.deepEqual(resumeArgs(['--resume', '--model', 'sonnet']), { continued: false, fork: false });
  assert.deepEqual(resumeArgs(['-p', '--continue', 'next']), { continued: true, fork: false });
  assert.deepEqual(resumeArgs(['-c']), { continued: true, fork: false });
});

test('--fork-session with --resume or --continue, either order', () => {
  assert.deepEqual(resumeArgs(['--fork-session', '--resume', ID]), { resumeId: ID, continued: false, fork: true });
  assert.deepEqual(resumeArgs(['--continue', '--fork-session']), { continued: true, fork: true });
});

test('resumedFrom: the id given, else the id claude reports unless the run forked', () => {
  assert.equal(resumedFrom(undefined, ID), undefined);
  // A plain resume keeps the id: the earlier session is the one claude reports.
  assert.equal(resumedFrom(resumeArgs(['-p', '--resume', ID]), ID), ID);
  assert.equal(resumedFrom(resumeArgs(['-p', '--continue']), ID), ID);
  assert.equal(resumedFrom(resumeArgs(['--resume']), ID), ID);
  // A fork gets a new id: only an id given to --resume names the earlier session.
  assert.equal(resumedFrom(resumeArgs(['-p', '--resume', ID, '--fork-session']), NEW_ID), ID);
  assert.equal(resumedFrom(resumeArgs(['-p', '--continue', '--fork-session']), NEW_ID), undefined);
  // No id reported yet: nothing to name.
  assert.equal(resumedFrom(resumeArgs(['-p', '--continue']), ''), undefined);
});
