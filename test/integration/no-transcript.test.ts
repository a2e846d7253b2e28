import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startScenario, waitForSession, childrenOf, spansNamed, intAttr, ALLOW_TOOLS } from '../support/scenario.ts';

// --no-session-persistence: claude writes no transcript, so nothing may wait for one; the
// figures only a transcript holds (a subagent's calls' final output tokens) are absent.

test('--no-session-persistence: the session completes, a subagent’s calls have no output count, nothing waits for a transcript', async () => {
  const s = await startScenario(
    [
      { kind: 'tools', tools: [{ name: 'Agent', input: { description: 'sub work', prompt: 'run echo sub', subagent_type: 'general-purpose' } }] },
      { kind: 'text', text: 'All done.' },
    ],
    {
      agents: {
        'run echo sub': [
          { kind: 'tools', tools: [{ name: 'Bash', input: { command: 'echo sub' } }] },
          { kind: 'text', text: 'sub done' },
        ],
      },
    },
  );
  try {
    const run = await s.wrapper(['-p', 'delegate', '--no-session-persistence', ...ALLOW_TOOLS]);
    assert.equal(run.exitCode, 0, run.stderr);
    assert.match(run.stdout.toString(), /^All done\.\n/);
    const projects = join(s.sandbox.home, '.claude', 'projects');
    const transcripts = existsSync(projects)
      ? readdirSync(projects, { recursive: true })
          .map(String)
          .filter((f) => f.endsWith('.jsonl'))
      : [];
    assert.deepEqual(transcripts, [], 'claude wrote no transcript');

    const root = await waitForSession(s.receiver);
    assert.equal(intAttr(root, 'process.exit.code'), 0);
    assert.equal(root.attributes['claude.result.subtype'], 'success');
    const spans = s.receiver.spans.filter((x) => x.traceId === root.traceId);
    const agent = spans.find((x) => x.name === 'invoke_agent general-purpose');
    assert.ok(agent, 'the subagent span is there');
    const subChats = spansNamed(childrenOf(spans, agent), 'chat');
    assert.ok(subChats.length >= 1);
    const streamed = subChats.filter((c) => c.attributes['gen_ai.response.id'] !== undefined);
    assert.ok(streamed.length >= 1);
    for (const chat of streamed) {
      assert.equal(chat.attributes['gen_ai.usage.output_tokens'], undefined, 'only its first chunk’s count was seen');
      assert.equal(intAttr(chat, 'gen_ai.usage.input_tokens'), 120 + 50 + 7);
    }
    // 2.1.197's Task result reports the final answer's exact usage: that call keeps it.
    for (const chat of subChats.filter((c) => c.attributes['gen_ai.response.id'] === undefined)) assert.equal(intAttr(chat, 'gen_ai.usage.output_tokens'), 12);
    // The main agent's calls keep their exact figures (from the API events in the stream).
    const mainChats = childrenOf(spans, root).flatMap((p) => spansNamed(childrenOf(spans, p), 'chat'));
    assert.ok(mainChats.length >= 2);
    for (const chat of mainChats) assert.ok(intAttr(chat, 'gen_ai.usage.output_tokens') > 1);
  } finally {
    await s.close();
  }
});
