import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startScenario, waitForSession } from '../support/scenario.ts';
import { ATTR_CLAUDE_PROMPT_PREVIEW } from '../../src/telemetry/names.ts';

// The wrapper reads claude's arguments as claude does: an option's value is not the prompt.

test("options with values (--effort, -n) are not taken for the prompt's words", async () => {
  const s = await startScenario([{ kind: 'text', text: 'A summary.' }]);
  try {
    const run = await s.wrapper(['-p', '--effort', 'high', '-n', 'review', 'summarise README.md']);
    assert.equal(run.exitCode, 0, run.stderr.toString());
    assert.equal(run.stdout.toString(), 'A summary.\n');
    const root = await waitForSession(s.receiver);
    assert.equal(root.attributes[ATTR_CLAUDE_PROMPT_PREVIEW], 'summarise README.md');
  } finally {
    await s.close();
  }
});
