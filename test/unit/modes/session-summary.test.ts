import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SessionSummaryBuilder } from '../../../src/modes/session-summary.ts';
import type { SessionEvent, ToolOutcome } from '../../../src/session/events.ts';

// The store's summary of a session, added up as its events go by.

const outcome = (isError: boolean): ToolOutcome => ({
  isError,
  outputBytes: 0,
  outputTruncated: false,
  interrupted: false,
  timedOut: false,
  permissionDenied: false,
});
const usage = (input: number, output: number, cacheRead: number, cacheCreation: number) => ({ input, output, cacheRead, cacheCreation });
const result = (costUsd: number | undefined, isError = false) => ({
  subtype: isError ? 'error_during_execution' : 'success',
  isError,
  permissionDenials: 0,
  costByModel: {},
  ...(costUsd !== undefined ? { costUsd } : {}),
});

function session(): SessionEvent[] {
  return [
    { kind: 'session_start', time: 100, sessionId: 's-1', model: 'claude-opus-4-8', version: '2.1.197', cwd: '/w', mode: 'print', resumedFrom: 's-0' },
    { kind: 'prompt_start', time: 110, text: 'first prompt' },
    { kind: 'chat', start: 111, end: 112, messageId: 'm1', model: 'claude-opus-4-8', usage: usage(10, 20, 30, 40), agent: null, text: '' },
    { kind: 'tool_start', time: 113, toolUseId: 't1', name: 'Bash', input: {}, agent: null },
    { kind: 'tool_end', time: 114, toolUseId: 't1', outcome: outcome(true) },
    { kind: 'tool_start', time: 115, toolUseId: 't2', name: 'Read', input: {}, agent: null },
    { kind: 'tool_end', time: 116, toolUseId: 't2', outcome: outcome(false) },
    { kind: 'chat', start: 117, end: 118, messageId: 'm2', model: 'claude-opus-4-8', usage: usage(1, 2, 3, 4), agent: 'toolu_9', text: '' },
    { kind: 'prompt_end', time: 120, result: result(0.25) },
    { kind: 'prompt_start', time: 130, text: 'second prompt' },
    { kind: 'prompt_end', time: 140, result: result(0.5) },
    { kind: 'session_end', time: 150, exitCode: 0, interrupted: false },
  ];
}

test('a session adds up: prompts, tool calls and errors, tokens of every call, and the cost claude reported', () => {
  const builder = new SessionSummaryBuilder((t) => t);
  for (const event of session()) builder.add(event);
  const summary = builder.summary(99);
  assert.deepEqual(summary, {
    sessionId: 's-1',
    mode: 'print',
    model: 'claude-opus-4-8',
    version: '2.1.197',
    startTime: 100,
    endTime: 150,
    exitCode: 0,
    prompts: 2,
    toolCalls: 2,
    toolErrors: 1,
    inputTokens: 11,
    outputTokens: 22,
    cacheReadTokens: 33,
    cacheCreationTokens: 44,
    costUsd: 0.75,
    isError: false,
    interrupted: false,
    resumedFrom: 's-0',
    promptPreview: 'first prompt',
  });
});

test('without a reported cost the computed one is used', () => {
  const builder = new SessionSummaryBuilder((t) => t);
  for (const event of session().filter((e) => e.kind !== 'prompt_end')) builder.add(event);
  assert.equal(builder.summary(1.5).costUsd, 1.5);
});

test('the prompt preview is the first prompt, redacted and cut to 120 characters', () => {
  const builder = new SessionSummaryBuilder((t) => t.replaceAll('sk-secret', '[REDACTED]'));
  builder.add({ kind: 'prompt_start', time: 1 });
  builder.add({ kind: 'prompt_start', time: 2, text: `use sk-secret ${'x'.repeat(200)}` });
  builder.add({ kind: 'prompt_start', time: 3, text: 'later' });
  const preview = builder.summary(0).promptPreview ?? '';
  assert.equal(preview.length, 120);
  assert.ok(preview.startsWith('use [REDACTED] xxx'));
  assert.equal(builder.summary(0).prompts, 3);
});

test('an error result, a failed exit or an interruption mark the session', () => {
  const errored = new SessionSummaryBuilder((t) => t);
  errored.add({ kind: 'prompt_end', time: 1, result: result(undefined, true) });
  assert.equal(errored.summary(0).isError, true);

  const failed = new SessionSummaryBuilder((t) => t);
  failed.add({ kind: 'session_end', time: 9, exitCode: 130, signal: 'SIGINT', interrupted: true });
  const summary = failed.summary(0);
  assert.equal(summary.isError, true);
  assert.equal(summary.exitCode, 130);
  assert.equal(summary.interrupted, true);
  assert.equal(summary.endTime, 9);
});

test('the git context is kept, less whether it went on the resource', () => {
  const builder = new SessionSummaryBuilder((t) => t);
  builder.add({
    kind: 'session_end',
    time: 9,
    exitCode: 0,
    interrupted: false,
    git: { branch: 'main', revision: 'abc', commits: 2, worktree: false, vcsOnResource: true },
  });
  assert.deepEqual(builder.summary(0).git, { branch: 'main', revision: 'abc', commits: 2, worktree: false });
});

test('the summary is a copy: later events do not change one already taken', () => {
  const builder = new SessionSummaryBuilder((t) => t);
  builder.add({ kind: 'prompt_start', time: 1 });
  const first = builder.summary(0);
  builder.add({ kind: 'prompt_start', time: 2 });
  assert.equal(first.prompts, 1);
  assert.equal(builder.summary(0).prompts, 2);
});
