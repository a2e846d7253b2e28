import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { subagentCalls } from '../../../../src/sources/transcript/subagent-usage.ts';
import { scratchDir } from '../../../support/scratch-dir.ts';

// Print mode reads a subagent's calls from its transcript: the final usage and the stop reason
// stream-json does not give.

const SESSION = '88e41e4f-c656-4b8f-9482-8f0ff3fdbeef';
const FIXTURE = fileURLToPath(new URL(`../../../fixtures/transcripts/subagent-session/${SESSION}/subagents/agent-a996928050fc27fe1.jsonl`, import.meta.url));

function configWith(lines: string[]): string {
  const config = scratchDir('claude-otel-subagent-calls-');
  const subagents = join(config, 'projects', '-home-user-project', SESSION, 'subagents');
  mkdirSync(subagents, { recursive: true });
  writeFileSync(join(subagents, 'agent-a996928050fc27fe1.jsonl'), `${lines.join('\n')}\n`);
  return config;
}

const fixtureLines = () => readFileSync(FIXTURE, 'utf8').split('\n').filter(Boolean);

test("each call's usage and stop reason, by message id", () => {
  const calls = subagentCalls(configWith(fixtureLines()), SESSION);
  assert.deepEqual(
    [...calls].map(([id, call]) => [id, call.stopReason, call.usage.output]),
    [
      ['msg_stubi8RoGl34A5XrJHPW1HBm', 'tool_use', 30],
      ['msg_stubLzOhlbj4rZjZPpg1TZzi', 'end_turn', 12],
    ],
  );
});

test('a later line of the same call without a stop reason keeps the one given; its usage is the last', () => {
  const lines = fixtureLines();
  const index = lines.findIndex((l) => l.includes('"stop_reason":"tool_use"'));
  const line = JSON.parse(lines[index] ?? '{}') as { message: { stop_reason: unknown; usage: { output_tokens: number } } };
  line.message.stop_reason = null;
  line.message.usage.output_tokens = 31;
  lines.splice(index + 1, 0, JSON.stringify(line));
  const call = subagentCalls(configWith(lines), SESSION).get('msg_stubi8RoGl34A5XrJHPW1HBm');
  assert.equal(call?.stopReason, 'tool_use');
  assert.equal(call?.usage.output, 31);
});
