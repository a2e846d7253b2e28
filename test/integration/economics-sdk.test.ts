import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startScenario, waitForSession, childrenOf, spansNamed } from '../support/scenario.ts';
import { collect, sdkOptions, startQuery } from '../support/agent-sdk.ts';

// SDK mode (the real Agent SDK driving claude-otel): the same cost components and, on
// request, the same conversation content as print mode.

const SECRET = 'sk-ant-api03-SDKPLANTEDsecret0123456789';

test('SDK mode: cost by component adds up, and with CLAUDE_OTEL_LOG_CONTENT=on the conversation is on the spans, scrubbed', async () => {
  const s = await startScenario([
    { kind: 'tools', tools: [{ name: 'Bash', input: { command: `echo ${SECRET} >/dev/null; printf ok` } }] },
    { kind: 'text', text: 'It is ok.' },
  ]);
  try {
    await collect(startQuery('check it', sdkOptions(s, 'wrapped', { allowedTools: ['Bash'], env: { CLAUDE_OTEL_LOG_CONTENT: 'on' } })));
    const root = await waitForSession(s.receiver);
    assert.equal(root.attributes['claude.mode'], 'sdk');
    const [turn] = childrenOf(s.receiver.spans, root).filter((x) => x.name === 'invoke_agent claude-code');
    assert.ok(turn);
    const chats = spansNamed(childrenOf(s.receiver.spans, turn), 'chat').sort((a, b) => Number(a.startTimeUnixNano - b.startTimeUnixNano));
    assert.equal(chats.length, 2);
    for (const span of [...chats, turn, root]) {
      const parts = ['claude.cost.input_usd', 'claude.cost.output_usd', 'claude.cost.cache_read_usd', 'claude.cost.cache_write_usd'].map((k) =>
        Number(span.attributes[k]),
      );
      assert.ok(Math.abs(parts.reduce((a, b) => a + b, 0) - Number(span.attributes['claude.cost_usd'])) < 1e-12, `${span.name}: the parts add up`);
    }
    assert.deepEqual(JSON.parse(String(chats[0]?.attributes['gen_ai.input.messages'])), [{ role: 'user', parts: [{ type: 'text', content: 'check it' }] }]);
    const [bash] = spansNamed(childrenOf(s.receiver.spans, turn), 'execute_tool');
    assert.deepEqual(JSON.parse(String(bash?.attributes['gen_ai.tool.call.arguments'])), { command: 'echo [REDACTED] >/dev/null; printf ok' });
    const secondIn = JSON.parse(String(chats[1]?.attributes['gen_ai.input.messages'])) as { role: string }[];
    assert.deepEqual(
      secondIn.map((m) => m.role),
      ['tool'],
    );
    assert.deepEqual(JSON.parse(String(chats[1]?.attributes['gen_ai.output.messages'])), [
      { role: 'assistant', parts: [{ type: 'text', content: 'It is ok.' }], finish_reason: 'end_turn' },
    ]);
    assert.ok(!JSON.stringify(s.receiver.spans, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)).includes('SDKPLANTED'), 'the secret is nowhere');
  } finally {
    await s.close();
  }
});
