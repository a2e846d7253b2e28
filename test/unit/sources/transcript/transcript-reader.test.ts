import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TranscriptReader } from '../../../../src/sources/transcript/transcript-reader.ts';
import { parseTranscriptLine } from '../../../../src/sources/transcript/transcript-lines.ts';

// A real transcript (test/fixtures/transcripts/subagent-session), read as claude writes it.

const FIXTURE = fileURLToPath(new URL('../../../fixtures/transcripts/subagent-session/', import.meta.url));
const SESSION = '88e41e4f-c656-4b8f-9482-8f0ff3fdbeef';
const AGENT = 'a996928050fc27fe1';

test('the transcript, appended in pieces (a line cut in two included): calls by message id, results, the subagent', () => {
  const dir = mkdtempSync(join(tmpdir(), 'claude-otel-transcript-'));
  try {
    const path = join(dir, `${SESSION}.jsonl`);
    const text = readFileSync(join(FIXTURE, `${SESSION}.jsonl`), 'utf8');
    const reader = new TranscriptReader(path);
    assert.deepEqual(reader.poll(), { calls: [], toolResults: [], apiErrors: [], subagents: [], interrupts: [], compactions: [] }, 'no file yet');

    // Up to the middle of the second assistant line of the first call.
    const cut = text.indexOf('"tool_use","id":"toolu_1"');
    writeFileSync(path, text.slice(0, cut));
    const first = reader.poll();
    assert.equal(first.calls.length, 1);
    const call = first.calls[0];
    assert.ok(call);
    assert.equal(call.messageId, 'msg_stubOY0WrjjMzi4od3fo0h6H');
    assert.equal(call.agentId, null);
    assert.equal(call.text, 'Delegating.');
    assert.equal(call.start, Date.parse('2026-11-21T09:48:02.092Z'), 'a call starts at the entry it answers: the prompt');
    assert.equal(call.firstSeen, Date.parse('2026-11-21T09:48:02.179Z'));

    appendFileSync(path, text.slice(cut));
    const rest = reader.poll();
    assert.equal(rest.calls[0], call, 'the same call, grown');
    assert.equal(call.end, Date.parse('2026-11-21T09:48:02.185Z'));
    assert.deepEqual(call.usage, { input: 120, output: 30, cacheRead: 50, cacheCreation: 7 }, 'one call’s usage, not the sum of its lines');
    assert.equal(call.stopReason, 'tool_use');
    const last = rest.calls[1];
    assert.equal(last?.start, Date.parse('2026-11-21T09:48:02.552Z'), 'the next call answers the tool result');
    assert.equal(last?.stopReason, 'end_turn');
    assert.deepEqual(
      rest.toolResults.map((r) => r.toolUseId),
      ['toolu_1'],
    );
    assert.equal(reader.poll().calls.length, 0, 'nothing new');

    // The subagent's transcript and metadata, under <session>/subagents/.
    const subDir = join(dir, SESSION, 'subagents');
    mkdirSync(subDir, { recursive: true });
    copyFileSync(join(FIXTURE, SESSION, 'subagents', `agent-${AGENT}.jsonl`), join(subDir, `agent-${AGENT}.jsonl`));
    const noMeta = reader.poll();
    assert.deepEqual(
      noMeta.calls.map((c) => c.agentId),
      [AGENT, AGENT],
    );
    assert.deepEqual(noMeta.subagents, []);
    copyFileSync(join(FIXTURE, SESSION, 'subagents', `agent-${AGENT}.meta.json`), join(subDir, `agent-${AGENT}.meta.json`));
    assert.deepEqual(reader.poll().subagents, [{ agentId: AGENT, toolUseId: 'toolu_1', agentType: 'general-purpose', description: 'sub work' }]);
    assert.deepEqual(reader.poll().subagents, [], 'described once');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('lines: API errors, interruptions and claude’s own synthetic messages', () => {
  const base = { timestamp: '2026-11-21T09:39:29.234Z', sessionId: 's' };
  const apiError = parseTranscriptLine(
    JSON.stringify({
      ...base,
      type: 'assistant',
      isApiErrorMessage: true,
      apiErrorStatus: 400,
      message: { id: 'x', model: '<synthetic>', role: 'assistant', content: [{ type: 'text', text: 'API Error: 400 bad' }] },
    }),
  );
  assert.deepEqual(apiError, { kind: 'api_error', time: Date.parse(base.timestamp), status: 400, message: 'API Error: 400 bad', context: { sessionId: 's' } });
  const synthetic = parseTranscriptLine(
    JSON.stringify({ ...base, type: 'assistant', message: { id: 'y', model: '<synthetic>', content: [{ type: 'text', text: 'No response requested.' }] } }),
  );
  assert.deepEqual(synthetic, { kind: 'other' });
  const interrupt = parseTranscriptLine(
    JSON.stringify({ ...base, type: 'user', message: { role: 'user', content: [{ type: 'text', text: '[Request interrupted by user for tool use]' }] } }),
  );
  assert.deepEqual(interrupt, {
    kind: 'user',
    time: Date.parse(base.timestamp),
    toolResults: [],
    interrupted: true,
    text: '[Request interrupted by user for tool use]',
    meta: true,
    context: { sessionId: 's' },
  });
  assert.deepEqual(parseTranscriptLine('{"type":"last-prompt"}'), { kind: 'run_end', marker: 'last-prompt' });
  assert.deepEqual(parseTranscriptLine('not json'), { kind: 'other', unreadable: true });
});
